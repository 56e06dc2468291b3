"""Issue 15's acceptance: a new county (白杨县, tests/onboarding/county.py) starts from its own eight
Excel ledgers on an empty database — towns and industries only in the ledgers, 2019's applications
loaded as history by a 股室负责人 — and its 2020 report PDF states the figures worked out from them."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import CommandError

from bureau.core.services import site_settings_update
from bureau.indicators import NAMES
from bureau.ledgers.columns import get_ledger
from bureau.ledgers.jobs import import_job_confirm, import_job_start
from bureau.records.models import ImportJob
from bureau.registry import registry
from enterprises.models import Enterprise, Industry, Town
from programs.models import Application, ApplicationLog, Program
from reports.report_services import annual_report_create
from reports.sections import fmt_number
from tests.ledgers.xlsx import write_xlsx
from tests.onboarding.county import APPLICATIONS, COUNTY, FIRMS, LEDGER_ORDER, YEAR, expected_figures, write_ledgers

pytestmark = pytest.mark.django_db

HISTORY_YEAR = 2019
APPLICATION_HEADERS = [
    "项目名称*",
    "承担单位信用代码*",
    "计划名称*",
    "计划级别*",
    "年度*",
    "申请资金(万元)",
    "状态*",
    "获批资金(万元)",
    "立项日期",
]
CODE_BY_NAME = {name: code for code, (name, _unit) in NAMES.items()}


def squeeze(text: str) -> str:
    """pdftotext's text without line breaks, spaces and page numbers (—3—), so phrases read whole."""
    return re.sub(r"\s+", "", re.sub(r"—\s*\d+\s*—", "", text))


def import_as(user, ledger: str, path: Path) -> ImportJob:
    """The upload page's path: the job services preview the stored file, then write it on confirm."""
    with open(path, "rb") as fh:
        job = import_job_start(ledger=get_ledger(ledger), upload=File(fh, name=path.name), user=user)
    assert job.status == ImportJob.Status.PREVIEW, job.result
    job, _started = import_job_confirm(job=job, user=user)
    assert job.status == ImportJob.Status.DONE, job.result
    return job


def cli(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def application_rows(year: int | None = None) -> list[list]:
    from tests.onboarding.county import FIRM, _blank

    return [
        [t, FIRM[n].code, p, lv, y, req, st, _blank(ap), on]
        for t, n, p, lv, y, req, st, ap, on in APPLICATIONS
        if year is None or y == year
    ]


def test_a_new_county_starts_from_its_eight_ledgers_and_its_report_states_their_figures(
    tmp_path, admin_user, reviewer, client
):
    assert not Enterprise.objects.exists() and not Town.objects.exists() and not Program.objects.exists()
    files = write_ledgers(tmp_path / "ledgers")
    site_settings_update(actor=admin_user, county_name=COUNTY)

    # 企业名录 → 企业年度统计 by the command (the system: it adds the towns and the industries it meets).
    first = tmp_path / "first"
    first.mkdir()
    for name in LEDGER_ORDER[:3]:
        shutil.copy(files[name], first / files[name].name)
    out = cli("import_ledgers", str(first))
    assert out.count("已全部写入") == 3, out
    assert set(Town.objects.values_list("name", flat=True)) == {f.town for f in FIRMS}
    assert Industry.objects.filter(name="果品加工").exists()  # the county's own, beside the standard set

    # 项目申报: 管理员 loads this year's rows (extending the catalogue with the programs they name) …
    current = write_xlsx(tmp_path / "项目申报2020.xlsx", APPLICATION_HEADERS, application_rows(YEAR))
    import_as(admin_user, "项目申报", current)
    assert Program.objects.count() == 2
    # … and the reviewer the whole ledger: 2019's rows are new history, 2020's are unchanged.
    job = import_as(reviewer, "项目申报", files["项目申报"])
    assert job.result["counts"]["new"] == sum(1 for a in APPLICATIONS if a[4] == HISTORY_YEAR)
    history = Application.objects.filter(year=HISTORY_YEAR)
    assert set(ApplicationLog.objects.filter(application__in=history).values_list("action", "by")) == {
        ("历史数据导入", reviewer.pk)
    }
    approved = history.filter(status="approved").first()
    page = client_for(client, reviewer).get(approved.get_absolute_url())
    assert "历史数据导入" in page.content.decode()

    # The rest by the command, each file whole.
    rest = tmp_path / "rest"
    rest.mkdir()
    for name in LEDGER_ORDER[4:]:
        shutil.copy(files[name], rest / files[name].name)
    out = cli("import_ledgers", str(rest), "--user", admin_user.username)
    assert [line.split(" → ")[1].split("：")[0] for line in out.splitlines() if " → " in line] == LEDGER_ORDER[4:]

    # The report: the staff's text blocks through the report's service, then the command builds the PDF.
    annual_report_create(
        actor=reviewer,
        year=YEAR,
        opening=f"{YEAR}年，{COUNTY}科技局围绕创新驱动发展战略开展工作。",
        problems="企业研发投入总量仍然偏小。",
        plan_intro=f"{YEAR + 1}年，继续加大企业创新主体培育力度。",
        closing="我们将以更加务实的作风推进科技创新工作。",
    )
    pdf = tmp_path / "report.pdf"
    cli("build_report", "--year", str(YEAR), "--out", str(pdf))
    text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert text.startswith(squeeze(f"{COUNTY}科技局{YEAR}年工作总结")), text[:200]
    missing = []
    for name, value in expected_figures().items():
        indicator = registry["indicators"][CODE_BY_NAME[name]]
        figure = squeeze(fmt_number(Decimal(value), str(indicator.unit), indicator.decimals))
        if figure not in text:
            missing.append(f"{name} {figure}")
    assert not missing, f"not in the PDF: {missing}\n{text}"


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def county_files(tmp_path):
    return write_ledgers(tmp_path / "ledgers")


def load_enterprises(files):
    folder = files["企业名录"].parent.parent / "enterprises"
    folder.mkdir()
    for name in LEDGER_ORDER[:1]:
        shutil.copy(files[name], folder / files[name].name)
    cli("import_ledgers", str(folder))


def test_a_staff_import_of_history_a_new_program_or_a_new_town_writes_nothing_and_says_why(
    county_files, tmp_path, staff
):
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_ledger", "企业名录", str(county_files["企业名录"]), "--user", staff.username, stderr=StringIO()
        )
    assert refused.value.returncode == 1
    assert not Town.objects.exists() and not Enterprise.objects.exists()

    load_enterprises(county_files)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_ledger", "项目申报", str(county_files["项目申报"]), "--user", staff.username, stderr=err)
    lines = err.getvalue().splitlines()
    assert "第2行 计划名称：「省重点研发计划(科技创新类)」不在计划目录中，只有管理员可以新增计划" in lines
    Program.objects.create(name="省重点研发计划(科技创新类)", level="provincial")
    Program.objects.create(name="市科技创新发展计划", level="city")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_ledger", "项目申报", str(county_files["项目申报"]), "--user", staff.username, stderr=err)
    assert any(
        line.startswith("第2行 状态：不能直接登记状态为「已立项」的项目申报") for line in err.getvalue().splitlines()
    )
    assert not Application.objects.exists()


def test_the_same_ledger_imported_by_the_command_loads_the_history_with_its_timeline(county_files, admin_client_):
    load_enterprises(county_files)
    out = cli("import_ledger", "项目申报", str(county_files["项目申报"]))
    assert "已全部写入" in out
    approved = Application.objects.filter(status="approved")
    assert approved.count() == sum(1 for a in APPLICATIONS if a[6] == "已立项")
    for application in approved:
        assert list(application.logs.values_list("action", "by")) == [("历史数据导入", None)]
    page = admin_client_.get(approved.first().get_absolute_url()).content.decode()
    assert "历史数据导入" in page


def test_import_ledgers_stops_at_the_first_file_with_errors_and_keeps_the_files_before_it(county_files):
    folder = county_files["企业名录"].parent
    # 企业资质 names a type the standard list lacks? No: break 企业年度统计 instead (an unknown enterprise).
    broken = folder / "03_企业年度统计.xlsx"
    write_xlsx(broken, ["统一社会信用代码*", "年度*", "研发经费支出(万元)"], [["91370323MA3C8N2K4B", 2020, 10]])
    with pytest.raises(CommandError) as stopped:
        call_command("import_ledgers", str(folder), stdout=StringIO(), stderr=StringIO())
    assert stopped.value.returncode == 1
    assert "03_企业年度统计.xlsx → 企业年度统计：共 1 行" in str(stopped.value)
    assert "其后 5 个文件未导入" in str(stopped.value)
    assert Enterprise.objects.count() == len(FIRMS)
    assert not Application.objects.exists()


def test_import_ledgers_finds_a_files_ledger_from_its_headers_when_its_name_does_not_say(county_files, tmp_path):
    folder = tmp_path / "renamed"
    folder.mkdir()
    shutil.copy(county_files["企业名录"], folder / "a.xlsx")
    shutil.copy(county_files["企业资质"], folder / "b.xlsx")
    (folder / "说明.txt").write_text("not a ledger")
    out = cli("import_ledgers", str(folder))
    assert [line.split(" → ")[0] for line in out.splitlines() if " → " in line] == ["a.xlsx", "b.xlsx"]
    unknown = folder / "c.xlsx"
    write_xlsx(unknown, ["甲", "乙"], [[1, 2]])
    with pytest.raises(CommandError) as refused:
        call_command("import_ledgers", str(folder), stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 2 and "c.xlsx" in str(refused.value)
