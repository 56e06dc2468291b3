"""Attachments in the browser (issue 18): a 科员 uploads a PDF 立项通知 and a JPG to an application
(the JPG dropped onto the drop zone), previews the PDF, replaces it and downloads the old version;
局领导 sees and downloads them but has no upload, replace or delete control."""

from pathlib import Path

import pytest

from tests.documents import files
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TITLE = "高性能镁质耐火材料关键技术研究与产业化"


def notice_pdf(version: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=f"""<html><body style="font-family: 'Noto Serif CJK SC'; padding: 2cm">
        <h1 style="text-align:center;color:#b00">省科学技术厅文件</h1>
        <p style="text-align:center">鲁科字〔2020〕45号</p>
        <h2 style="text-align:center">关于下达2020年度省重点研发计划项目的通知</h2>
        <p>项目名称：{TITLE}</p><p>{version}</p></body></html>"""
    ).write_pdf()


def test_staff_upload_preview_replace_and_old_version_leader_reads_only(
    browser, page, live_server, login, shot, tmp_path
):
    app = ApplicationFactory(title=TITLE)
    first, second = notice_pdf("（初稿）"), notice_pdf("（盖章版）")
    (tmp_path / "立项通知.pdf").write_bytes(first)
    (tmp_path / "立项通知(盖章).pdf").write_bytes(second)
    login(page, "staff")
    page.goto(f"{live_server.url}{app.get_absolute_url()}")
    panel = page.locator("#documents")
    panel.scroll_into_view_if_needed()
    shot(page, "documents_01_empty_panel")

    # 1. the PDF 立项通知 through the file picker, with kind, title and date
    panel.locator("select[name=kind]").select_option(label="立项通知")
    panel.locator("input[name=title]").fill("2020年度省重点研发计划立项通知")
    panel.locator("input[name=date]").fill("2020-05-18")
    panel.locator("input[name=files]").set_input_files(str(tmp_path / "立项通知.pdf"))
    assert "立项通知.pdf" in panel.locator("[data-dropzone-list]").inner_text()
    with page.expect_navigation():
        panel.locator("button:has-text('上传')").click()
    page.wait_for_selector(".alert-success:has-text('已上传 1 个附件：立项通知.pdf')")

    # 2. a JPG dropped onto the drop zone
    jpg = list(files.jpg())
    page.evaluate(
        """(bytes) => {
            const dt = new DataTransfer();
            dt.items.add(new File([new Uint8Array(bytes)], "现场照片.jpg", {type: "image/jpeg"}));
            const zone = document.querySelector("[data-dropzone]");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        jpg,
    )
    assert "现场照片.jpg" in panel.locator("[data-dropzone-list]").inner_text()
    panel.locator("select[name=kind]").select_option(label="其他")
    with page.expect_navigation():
        panel.locator("button:has-text('上传')").click()
    page.wait_for_selector(".alert-success:has-text('已上传 1 个附件：现场照片.jpg')")
    rows = page.locator("#documents tr[data-document]")
    assert rows.count() == 2
    assert "立项通知" in rows.nth(0).inner_text() and "2020-05-18" in rows.nth(0).inner_text()
    page.locator("#documents").scroll_into_view_if_needed()
    shot(page, "documents_02_uploaded")

    # 3. preview the PDF in the page
    notice = page.locator("#documents tr[data-document='2020年度省重点研发计划立项通知']")
    with page.expect_response(lambda r: "inline=1" in r.url) as pdf_response:
        notice.locator("a:has-text('预览')").click()
    assert pdf_response.value.headers["content-type"] == "application/pdf"
    assert pdf_response.value.headers["content-disposition"].startswith("inline;")
    page.wait_for_selector("iframe.document-preview")
    page.wait_for_timeout(1500)  # let the PDF viewer draw for the screenshot
    shot(page, "documents_03_pdf_preview", full_page=False)
    page.go_back()

    # 4. replace it with the stamped version
    notice = page.locator("#documents tr[data-document='2020年度省重点研发计划立项通知']")
    notice.locator("button:has-text('替换')").click()
    replace_form = page.locator("#documents tr.collapse.show form")
    replace_form.wait_for(state="visible")
    replace_form.locator("input[type=file]").set_input_files(str(tmp_path / "立项通知(盖章).pdf"))
    with page.expect_navigation():
        replace_form.locator("button:has-text('确认替换')").click()
    page.wait_for_selector(".alert-success:has-text('第2版')")
    assert (
        "立项通知(盖章).pdf"
        in page.locator("#documents tr[data-document='2020年度省重点研发计划立项通知']").inner_text()
    )

    # 5. download the old version from 历史版本: its original Chinese name and its bytes
    page.locator("#documents details:has-text('历史版本（1）') summary").click()
    with page.expect_download() as download_info:
        page.locator("#documents details:has-text('历史版本') a:has-text('立项通知.pdf')").click()
    download = download_info.value
    assert download.suggested_filename == "立项通知.pdf"
    assert Path(download.path()).read_bytes() == first
    page.locator("#documents").scroll_into_view_if_needed()
    shot(page, "documents_04_replaced_with_history")

    # 6. 局领导: sees and downloads, but has no upload, replace or delete control
    leader_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True)
    leader_page = leader_context.new_page()
    login(leader_page, "leader")
    leader_page.goto(f"{live_server.url}{app.get_absolute_url()}")
    leader_panel = leader_page.locator("#documents")
    assert leader_panel.locator("tr[data-document]").count() == 2
    assert leader_panel.locator("[data-documents-upload]").count() == 0
    assert leader_panel.locator("button:has-text('删除'), button:has-text('替换')").count() == 0
    with leader_page.expect_download() as leader_download:
        leader_panel.locator("tr[data-document='现场照片'] a:has-text('下载')").click()
    assert leader_download.value.suggested_filename == "现场照片.jpg"
    leader_panel.scroll_into_view_if_needed()
    shot(leader_page, "documents_05_leader_read_only")
    leader_context.close()
