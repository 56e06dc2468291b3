"""The bad-file corpus (tests/ledgers/files/, made by make_corpus.py): each file gets a clear
Chinese message and changes nothing, through the service, the upload page and the command."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.write import ledger_import
from enterprises.models import Enterprise
from tests.enterprises.factories import EnterpriseFactory

FILES = Path(__file__).parent / "files"

# file -> what the clerk must read (the whole file is refused)
REFUSED = {
    "not_xlsx.xlsx": "不是 Excel 工作簿（.xlsx）",
    "corrupt_zip.xlsx": "文件已损坏",
    "crc_mismatch.xlsx": "文件已损坏",
    "password_protected.xlsx": "设置了打开密码",
    "legacy_excel97.xls": "Excel 97-2003（.xls）",
    "word_document.xlsx": "不是 Excel 工作簿",
    "wrong_headers.xlsx": "缺少必填列 企业名称、统一社会信用代码",
    "duplicate_headers.xlsx": "表头「企业规模」出现了两次（第C列和第D列）",
    "empty_sheet.xlsx": "是空的",
    "header_only.xlsx": "只有表头，没有数据行",
    "merged_header.xlsx": "表头有合并单元格（B1:C1）",
    "merged_data.xlsx": "数据区有合并单元格（E2:E4）",
    "too_many_rows.xlsx": "超过每次导入 50 行的上限",
    "zip_bomb.xlsx": "压缩炸弹",
    "xml_entities.xlsx": "不安全的XML内容",
    "with_vba_project.xlsx": "文件含有宏（VBA代码），为安全起见不予导入",
    "macro_enabled.xlsm": "这是启用宏的工作簿（.xlsm），为安全起见不予导入",
}


def table_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LEDGER_MAX_ROWS = 50  # too_many_rows.xlsx has 60


@pytest.fixture
def existing():
    """An enterprise that the good rows of the corpus would update: it must stay as it is."""
    return EnterpriseFactory(credit_code="91370323MA3C8N2K4B", name="原名称有限公司", scale=Enterprise.Scale.BELOW)


def test_the_corpus_is_complete():
    assert {p.name for p in FILES.iterdir()} == {
        *REFUSED,
        "formula_without_cached_value.xlsx",
        "formula_with_cached_value.xlsx",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_file_is_refused_with_its_message_and_nothing_changes(name, existing, staff):
    before = table_counts()
    result = ledger_import(ledger=get_ledger("企业名录"), path=str(FILES / name), user=staff, commit=True)
    assert not result.committed
    assert any(REFUSED[name] in m for m in result.file_errors), result.file_errors
    assert table_counts() == before
    existing.refresh_from_db()
    assert existing.name == "原名称有限公司"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_upload_page_shows_the_message_and_keeps_nothing(name, existing, staff_client, settings):
    url = reverse("ledger_import", args=["enterprises"])
    before = table_counts()
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes())
    response = staff_client.post(url, {"file": upload})
    assert response.status_code == 400
    assert REFUSED[name] in response.content.decode()
    assert table_counts() == before  # no import job either
    uploads = Path(settings.MEDIA_ROOT) / "ledger-uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


@pytest.mark.django_db
def test_formula_without_a_saved_value_is_a_row_error(existing, staff):
    before = table_counts()
    result = ledger_import(
        ledger=get_ledger("企业名录"), path=str(FILES / "formula_without_cached_value.xlsx"), user=staff, commit=True
    )
    assert "第2行 联系电话：公式没有保存计算结果，请在Excel中打开并保存，或把公式改为数值" in result.messages()
    assert any("公式单元格" in n for n in result.notices)
    assert table_counts() == before


@pytest.mark.django_db
def test_formula_with_a_saved_value_imports_that_value_and_says_so(existing, staff):
    result = ledger_import(
        ledger=get_ledger("企业名录"), path=str(FILES / "formula_with_cached_value.xlsx"), user=staff, commit=True
    )
    assert result.committed, result.messages()
    assert any("导入的是Excel保存时的计算结果" in n for n in result.notices)
    existing.refresh_from_db()
    assert existing.phone == "0533-3212345"
    assert existing.name == "示例县鲁中新材料科技有限公司"


@pytest.mark.django_db
def test_file_over_the_byte_limit_is_refused_before_it_is_read(settings, existing, staff_client):
    settings.LEDGER_MAX_BYTES = 1024
    before = table_counts()
    upload = SimpleUploadedFile("big.xlsx", (FILES / "header_only.xlsx").read_bytes())
    response = staff_client.post(reverse("ledger_import", args=["enterprises"]), {"file": upload})
    assert response.status_code == 400
    assert "文件大小 5 KB 超过上限 1 KB" in response.content.decode()
    assert table_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["password_protected.xlsx", "wrong_headers.xlsx"])
def test_command_prints_the_message_and_fails(name, existing, capsys):
    before = table_counts()
    with pytest.raises(CommandError) as info:
        call_command("import_ledger", "企业名录", str(FILES / name))
    assert info.value.returncode == 1
    assert REFUSED[name] in capsys.readouterr().err
    assert table_counts() == before
