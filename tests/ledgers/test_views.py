"""The ledger pages: template download, upload → preview (nothing written) → confirm, permissions,
the server-side copy of the upload, and the Celery path for large files."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bureau.records.models import ImportJob
from bureau.records.urls import record_url
from enterprises.models import Enterprise, YearlyStatistic
from tests.conftest import make_user
from tests.enterprises.factories import EnterpriseFactory
from tests.ledgers.xlsx import code, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["企业名称*", "统一社会信用代码*", "企业规模"]


def upload(client, slug, content, name="台账.xlsx"):
    return client.post(reverse("ledger_import", args=[slug]), {"file": SimpleUploadedFile(name, content)})


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_template_has_marked_headers_drop_downs_and_an_example_sheet(staff_client):
    response = staff_client.get(reverse("ledger_template", args=["enterprises"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == ["企业名录", "填写示例"]
    sheet = wb["企业名录"]
    assert [c.value for c in sheet[1]] == [
        "企业名称*",
        "统一社会信用代码*",
        "所属乡镇",
        "行业",
        "企业规模",
        "联系人",
        "联系电话",
    ]
    lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    scale_list = lists["E2:E1001"]  # 企业规模, for a thousand rows
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    col = scale_list.split("!")[1].split(":")[0].replace("$", "")[0]
    values = [c.value for c in options[col] if c.value]
    assert values[1:] == ["规上", "规下"]
    example = [c.value for c in wb["填写示例"][2]]
    assert example[1] and len(example[1]) == 18


def test_the_templates_example_row_imports(staff_client, tmp_path):
    """Fill the template with its own example: the ledger accepts it (header, formats, enums)."""
    from enterprises.models import Industry, Town

    Town.objects.create(name="南麻街道")
    Industry.objects.get_or_create(name="新材料")
    wb = load_workbook(io.BytesIO(staff_client.get(reverse("ledger_template", args=["enterprises"])).content))
    wb["企业名录"].append([c.value for c in wb["填写示例"][2]])
    buffer = io.BytesIO()
    wb.save(buffer)
    job = job_of(upload(staff_client, "enterprises", buffer.getvalue()))
    assert job.status == ImportJob.Status.PREVIEW, job.result
    assert job.result["counts"]["new"] == 1


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(staff_client, staff, settings):
    EnterpriseFactory(credit_code=code(1), name="旧名称", scale="below")
    content = xlsx_bytes(HEADERS, [["新名称", code(1), "规上"], ["乙公司", code(2), "规下"]])
    job = job_of(upload(staff_client, "enterprises", content))
    assert job.status == ImportJob.Status.PREVIEW
    assert job.user == staff
    stored = Path(settings.MEDIA_ROOT) / job.stored_file
    assert stored.exists() and str(job.stored_file).startswith("ledger-uploads/")
    page = staff_client.get(reverse("ledger_job", args=[job.pk])).content.decode()
    assert "新增" in page and "修改" in page
    assert "旧名称" in page and "新名称" in page
    assert Enterprise.objects.count() == 1  # preview wrote nothing
    response = staff_client.post(reverse("ledger_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == ["乙公司", "新名称"]
    assert not stored.exists()  # the server copy goes once the import is done
    done = staff_client.get(reverse("ledger_job", args=[job.pk])).content.decode()
    assert "已全部导入：新增 1 条，修改 1 条" in done
    # Confirming twice does not import twice.
    staff_client.post(reverse("ledger_job_confirm", args=[job.pk]))
    assert Enterprise.objects.count() == 2


def test_rows_with_errors_cannot_be_confirmed(staff_client):
    content = xlsx_bytes(HEADERS, [["甲公司", code(1), "规上"], ["乙公司", "91370323MA3E0000XX", "中"]])
    job = job_of(upload(staff_client, "enterprises", content))
    assert job.status == ImportJob.Status.INVALID
    page = staff_client.get(reverse("ledger_job", args=[job.pk])).content.decode()
    assert "第3行 企业规模：「中」不是可选值，可选：规上、规下" in page
    assert "确认导入" not in page
    staff_client.post(reverse("ledger_job_confirm", args=[job.pk]))
    assert Enterprise.objects.count() == 0


def test_confirm_validates_the_stored_file_again_not_the_preview(staff_client):
    """Between preview and confirm the enterprise a statistics row points to is deleted."""
    ent = EnterpriseFactory(credit_code=code(1))
    content = xlsx_bytes(["统一社会信用代码*", "年度*", "研发经费支出(万元)"], [[code(1), 2019, "12.5万元"]])
    job = job_of(upload(staff_client, "statistics", content))
    assert job.status == ImportJob.Status.PREVIEW
    ent.delete()
    staff_client.post(reverse("ledger_job_confirm", args=[job.pk]), {"rows": "forged preview"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert "未找到统一社会信用代码" in job.result["rows"][0]["errors"][0]
    assert YearlyStatistic.objects.count() == 0


def test_a_job_is_only_its_uploaders(staff_client):
    job = job_of(upload(staff_client, "enterprises", xlsx_bytes(HEADERS, [["甲公司", code(1), "规上"]])))
    other = make_user("staff", username="another_staff")
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(reverse("ledger_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("ledger_job_confirm", args=[job.pk])).status_code == 404
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "slug", "allowed"),
    [
        ("staff", "enterprises", True),
        ("leader", "enterprises", False),  # leaders change nothing
        ("staff", "targets", False),  # annual targets are the admin's
        ("admin", "targets", True),
        ("reviewer", "county-years", False),
    ],
)
def test_import_needs_add_and_change_on_the_ledgers_records(client, role, slug, allowed):
    client.force_login(make_user(role))
    expected = 200 if allowed else 403
    assert client.get(reverse("ledger_import", args=[slug])).status_code == expected
    assert client.get(reverse("ledger_template", args=[slug])).status_code == 200  # reading is for all roles


def test_unknown_ledger_is_404(staff_client):
    assert staff_client.get(reverse("ledger_import", args=["nothing"])).status_code == 404


def test_the_list_page_offers_import_and_the_index_lists_every_ledger(staff_client, leader_client):
    page = staff_client.get(record_url(Enterprise, "list")).content.decode()
    assert reverse("ledger_import", args=["enterprises"]) in page
    assert (
        reverse("ledger_import", args=["enterprises"])
        not in leader_client.get(record_url(Enterprise, "list")).content.decode()
    )
    index = staff_client.get(reverse("ledger_index")).content.decode()
    for name in ("企业名录", "企业资质", "企业年度统计", "县域基础数据", "年度目标"):
        assert name in index


def test_discarding_a_preview_removes_the_stored_file(staff_client, settings):
    job = job_of(upload(staff_client, "enterprises", xlsx_bytes(HEADERS, [["甲公司", code(1), "规上"]])))
    stored = Path(settings.MEDIA_ROOT) / job.stored_file
    staff_client.post(reverse("ledger_job_discard", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DISCARDED
    assert not stored.exists()
    staff_client.post(reverse("ledger_job_confirm", args=[job.pk]))
    assert Enterprise.objects.count() == 0


def test_a_large_file_is_validated_and_written_by_the_task_with_progress(
    staff_client, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_ASYNC_ROWS = 3
    rows = [[f"公司{i}", code(i), "规上"] for i in range(8)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, "enterprises", xlsx_bytes(HEADERS, rows))
    job = job_of(response)
    assert job.status == ImportJob.Status.PREVIEW  # the (eager) task ran
    assert (job.progress_done, job.progress_total) == (8, 8)
    partial = staff_client.get(reverse("ledger_job", args=[job.pk]) + "?partial=1", HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("ledger_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Enterprise.objects.count() == 8


def test_a_running_job_page_polls_its_progress(staff_client, staff):
    job = ImportJob.objects.create(
        ledger="enterprises",
        user=staff,
        filename="大表.xlsx",
        stored_file="ledger-uploads/x.xlsx",
        status=ImportJob.Status.VALIDATING,
        progress_done=2500,
        progress_total=10000,
        phase="校验数据",
    )
    page = staff_client.get(reverse("ledger_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "2500 / 10000 行" in page and "25%" in page


def test_amounts_are_kept_exact_through_the_page(staff_client):
    EnterpriseFactory(credit_code=code(1))
    content = xlsx_bytes(["统一社会信用代码*", "年度*", "研发经费支出(万元)"], [[code(1), 2019, 0.1 + 0.2]])
    job = job_of(upload(staff_client, "statistics", content))
    staff_client.post(reverse("ledger_job_confirm", args=[job.pk]))
    assert YearlyStatistic.objects.get().rd_expenditure == Decimal("0.3")


@pytest.mark.parametrize(
    "slug",
    ["enterprises", "certifications", "statistics", "applications", "talents", "platforms", "county-years", "targets"],
)
def test_every_ledgers_template_has_its_headers_and_an_example(admin_client_, slug):
    from bureau.ledgers.columns import get_ledger

    ledger = get_ledger(slug)
    wb = load_workbook(io.BytesIO(admin_client_.get(reverse("ledger_template", args=[slug])).content))
    assert [c.value for c in wb[ledger.name][1]] == [c.title for c in ledger.columns]
    example = [c.value for c in wb["填写示例"][2]]
    assert all(example[i] is not None for i, c in enumerate(ledger.columns) if c.required)
