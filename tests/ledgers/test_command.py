"""``manage.py import_ledger``: same checks as the page, errors one per line, exit code ≠ 0."""

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from enterprises.models import Enterprise
from tests.ledgers.xlsx import code, write_xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["企业名称*", "统一社会信用代码*", "企业规模"]


def test_good_file_by_chinese_name_imports_and_reports(tmp_path, capsys):
    path = write_xlsx(tmp_path / "a.xlsx", HEADERS, [["甲公司", code(1), "规上"], ["乙公司", code(2), None]])
    call_command("import_ledger", "企业名录", str(path))
    assert "新增 2" in capsys.readouterr().out
    assert Enterprise.objects.count() == 2


def test_dry_run_by_slug_writes_nothing(tmp_path, capsys):
    path = write_xlsx(tmp_path / "a.xlsx", HEADERS, [["甲公司", code(1), "规上"]])
    call_command("import_ledger", "enterprises", str(path), "--dry-run")
    assert "试运行，未写入" in capsys.readouterr().out
    assert Enterprise.objects.count() == 0


def test_errors_are_printed_one_per_line_and_nothing_is_written(tmp_path, capsys):
    rows = [["甲公司", code(1), "规上"], [None, code(2), "大型"]]
    path = write_xlsx(tmp_path / "a.xlsx", HEADERS, rows)
    with pytest.raises(CommandError) as info:
        call_command("import_ledger", "企业名录", str(path))
    assert info.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        "第3行 企业名称：必填，不能为空",
        "第3行 企业规模：「大型」不是可选值，可选：规上、规下",
    ]
    assert Enterprise.objects.count() == 0


def test_unknown_ledger_lists_the_ledgers(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("import_ledger", "企业花名册", str(tmp_path / "x.xlsx"))
    assert info.value.returncode == 2
    assert "企业名录（enterprises）" in str(info.value)


@pytest.mark.django_db(transaction=True)
def test_exit_status_as_a_script_sees_it(tmp_path, capsys):
    """``manage.py`` turns the command's error into the process exit status (for scripts and cron).

    Transactional: ``run_from_argv`` closes the connections, which would end a wrapping test
    transaction on PostgreSQL (SQLite's in-memory test database ignores the close)."""
    bad = write_xlsx(tmp_path / "bad.xlsx", HEADERS, [["甲公司", "123", "规上"]])
    with pytest.raises(SystemExit) as info:
        execute_from_command_line(["manage.py", "import_ledger", "企业名录", str(bad)])
    assert info.value.code == 1
    assert "第2行 统一社会信用代码：应为18位，当前为3位。" in capsys.readouterr().err
    good = write_xlsx(tmp_path / "good.xlsx", HEADERS, [["甲公司", code(1), "规上"]])
    execute_from_command_line(["manage.py", "import_ledger", "企业名录", str(good)])  # no SystemExit: status 0
    assert Enterprise.objects.get().name == "甲公司"
