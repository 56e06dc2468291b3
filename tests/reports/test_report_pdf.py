"""The PDF and DOCX files: fonts, every character drawn, nothing fetched, staff text escaped."""

import io
import subprocess

import pytest
from docx import Document as read_docx

from reports import fonts
from reports.docx import render_docx
from reports.pdf import ASSET_ORIGIN, FONT_PREFIX, render_pdf, render_report_html, static_path, url_fetcher
from reports.report_selectors import report_completeness, report_snapshot
from reports.sections import build_document
from tests.reports.docx_reading import east_asian_font
from tests.reports.factories import YEAR, AnnualReportFactory, add, complete_inputs, fake_indicators  # noqa: F401

PASSWD = "file:///etc/passwd"
REMOTE = "http://203.0.113.7/logo.png"


def run(*cmd: str, data: bytes) -> str:
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout.decode()


def pdftotext(pdf: bytes) -> str:
    """Text in drawing order (-raw keeps table cells whole), whitespace removed (it may drop spaces)."""
    return squeeze(run("pdftotext", "-raw", "-", "-", data=pdf))


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_fetcher_serves_only_the_apps_report_assets():
    assert static_path(ASSET_ORIGIN + "static/reports/report-pdf.css").name == "report-pdf.css"
    for url in (
        PASSWD,
        REMOTE,
        "https://example.com/static/reports/report-pdf.css",
        ASSET_ORIGIN + "static/reports/../../../../etc/passwd",
        ASSET_ORIGIN + "static/reports/%2e%2e/%2e%2e/bureau/settings/base.py",
        ASSET_ORIGIN + "static/vendor/bootstrap/css/bootstrap.min.css",
        "data:text/css,body{color:red}",
    ):
        assert static_path(url) is None, url


def test_fetcher_serves_fonts_cut_for_a_document_and_nothing_else_from_their_folder():
    cut = fonts.cut_fonts("示例县科技局")
    assert {f.family for f in cut} >= {"Report Song", "Report Hei"}
    assert static_path(FONT_PREFIX + cut[0].file_name) == fonts.cache_dir() / cut[0].file_name
    (fonts.cache_dir() / "notes.txt").write_text("x")
    for name in ("notes.txt", "../" + cut[0].file_name, cut[0].file_name.replace(".otf", ".ttf"), "%2e%2e/passwd"):
        assert static_path(FONT_PREFIX + name) is None, name


def test_weasyprint_is_refused_files_and_remote_urls_in_markup():
    """Should markup ever reach the PDF, the fetcher still loads nothing outside static/reports."""
    fetcher = url_fetcher()
    html = (
        f'<link rel="stylesheet" href="static/reports/report-pdf.css"><p>正文</p><img src="{PASSWD}">'
        f'<img src="{REMOTE}"><link rel="stylesheet" href="https://example.com/x.css">'
    )
    pdf = render_pdf(html, fetcher=fetcher)
    assert set(fetcher.refused) == {PASSWD, REMOTE, "https://example.com/x.css"}
    assert "root:" not in pdftotext(pdf)


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_indicators")
def test_markup_in_records_and_staff_text_is_printed_as_text_never_fetched():
    complete_inputs()
    add("applications_approved", 1, title=f'<img src="{PASSWD}">镁合金部件 {REMOTE}')
    report = AnnualReportFactory(year=YEAR, opening=f'<img src="{REMOTE}"><script>alert(1)</script>开篇')
    doc = build_document(report_snapshot(report))
    html = render_report_html(doc)
    assert "<script>" not in html and '<img src="' not in html
    fetcher = url_fetcher()
    text = pdftotext(render_pdf(html, fetcher=fetcher))
    assert fetcher.refused == []  # escaped: nothing was even asked for
    assert squeeze(f'<img src="{PASSWD}">镁合金部件') in text
    assert "<script>alert(1)</script>开篇" in text


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_indicators")
def test_rare_characters_are_drawn_in_the_cjk_fonts_and_the_pdf_stays_small():
    complete_inputs()
    add("applications_approved", 12, title="王堃主持的𠮷祥镁合金研发", location="省重点研发计划(科技创新类)")
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    pdf = render_pdf(render_report_html(doc))
    text = pdftotext(pdf)
    assert "王堃主持的𠮷祥镁合金研发" in text  # 堃 outside GB2312, 𠮷 outside the BMP
    embedded = run("pdffonts", "-", data=pdf).splitlines()[2:]
    # Only the report's faces (Noto cut to the document's characters), embedded, subset, with
    # a ToUnicode map: no fallback font stepped in for a character the cut fonts missed.
    assert embedded and all("+Report-" in line and " yes yes yes " in line for line in embedded)
    assert len(pdf) <= 1024 * 1024


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_indicators")
def test_characters_the_fonts_cannot_draw_block_the_build():
    complete_inputs()
    add("applications_approved", 1, title="表情\U0001f600项目")
    check = report_completeness(report_snapshot(AnnualReportFactory(year=YEAR)))
    problem = next(p for p in check.blocking if p.item == "characters")
    assert "\U0001f600" in problem.message and not problem.excludable


def test_a_missing_cjk_font_is_a_clear_error(monkeypatch):
    from reports.checks import check_report_fonts

    monkeypatch.setattr(fonts, "_fc_match", lambda family, style: None)
    fonts.faces.cache_clear()
    try:
        with pytest.raises(fonts.FontsMissing, match="fonts-noto-cjk"):
            render_pdf("<p>汉字</p>")
        errors = check_report_fonts()
        assert errors[0].id == "reports.E001" and "Noto Serif CJK SC" in errors[0].msg
    finally:
        fonts.faces.cache_clear()


def test_installed_fonts_pass_the_start_up_check():
    from reports.checks import check_report_fonts

    assert check_report_fonts() == []
    assert set(fonts.faces()) == set(fonts.REQUIRED_FACES)


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_indicators")
def test_docx_has_the_same_headings_paragraphs_tables_and_fonts():
    complete_inputs()
    add("applications_recommended", 19, location="省重点研发计划(科技创新类)")
    add("applications_approved", 8, location="省重点研发计划(科技创新类)")
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    word = read_docx(io.BytesIO(render_docx(doc)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0].replace("\n", "") == doc.title
    assert f"一、{YEAR}年工作完成情况" in texts
    assert any("组织申报省重点研发计划（科技创新类）项目19项、获批8项" in t for t in texts)
    assert len(word.tables) == 2
    assert [c.text for c in word.tables[0].rows[0].cells] == [
        "指标",
        "单位",
        "目标值",
        "完成值",
        "完成率",
        "上年值",
        "同比",
    ]
    body = next(p for p in word.paragraphs if "组织申报" in p.text)
    assert east_asian_font(body) == fonts.DOCX_NAMES[fonts.FANG]  # from the paragraph's style (Body Text)
    section = word.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


# ---------------------------------------------------------------- FandolFang on a 400-unit em


def _cut_song_copy(tmp_path, text="科技局"):
    """A small CFF font on a 1,000-unit em: the Song face cut to ``text``, copied out of the cache."""
    cut = next(f for f in fonts.cut_fonts(text) if f.family == "Report Song" and f.weight == "normal")
    copy = tmp_path / "song.otf"
    copy.write_bytes((fonts.cache_dir() / cut.file_name).read_bytes())
    return copy


def test_quantizing_puts_outlines_widths_and_matrix_on_the_new_em_once(tmp_path):
    from fontTools.pens.boundsPen import ControlBoundsPen
    from fontTools.ttLib import TTFont

    path = _cut_song_copy(tmp_path)

    def measure():
        font = TTFont(str(path))
        glyph = font.getBestCmap()[ord("科")]
        pen = ControlBoundsPen(font.getGlyphSet())
        font.getGlyphSet()[glyph].draw(pen)
        top = font["CFF "].cff.topDictIndex[0]
        return font["head"].unitsPerEm, font["hmtx"][glyph][0], pen.bounds, top.FontMatrix[0], font["name"]

    upem, advance, bounds, matrix, _ = measure()
    assert upem == 1000 and matrix == 0.001
    assert fonts.quantize_outlines(str(path), 400) is True
    new_upem, new_advance, new_bounds, new_matrix, name = measure()
    assert (new_upem, new_matrix) == (400, 0.0025)
    assert new_advance == round(advance * 0.4)
    # Every point moved by at most half a unit of the new em (rounding), nothing else changed.
    assert all(abs(new - old * 0.4) <= 0.5 for new, old in zip(new_bounds, bounds, strict=True))
    assert "1000 to 400 units per em" in str(name.getDebugName(10))  # the GPL's notice of a change
    assert fonts.quantize_outlines(str(path), 400) is False


def test_a_font_replaced_in_place_is_cut_anew_not_served_from_the_old_cut(tmp_path, monkeypatch):
    path = _cut_song_copy(tmp_path, "科技局工作")
    key = fonts.REQUIRED_FACES[0]
    installed = {**fonts.faces(), key: fonts.Face(key[0], key[1], str(path), 0)}
    monkeypatch.setattr(fonts, "faces", lambda: installed)
    before = {f.family + f.weight: f.file_name for f in fonts.cut_fonts("科技")}
    fonts.quantize_outlines(str(path), 400)
    after = {f.family + f.weight: f.file_name for f in fonts.cut_fonts("科技")}
    assert before["Report Songnormal"] != after["Report Songnormal"]
    assert before["Report Heinormal"] == after["Report Heinormal"]


def test_an_unprepared_fangsong_is_a_start_up_warning_and_the_command_prepares_it(tmp_path, monkeypatch):
    from django.core.management import call_command

    from reports.checks import check_report_fonts

    path = _cut_song_copy(tmp_path)
    monkeypatch.setattr(
        fonts, "optional_faces", lambda: {(fonts.FANG, "Regular"): fonts.Face(fonts.FANG, "Regular", str(path), 0)}
    )
    assert fonts.fang_needs_quantizing() == str(path)
    assert "reports.W003" in [m.id for m in check_report_fonts()]
    out = io.StringIO()
    call_command("prepare_report_fonts", stdout=out)
    assert "已换算到 400 单位字身" in out.getvalue()
    assert fonts.fang_needs_quantizing() is None
    assert "reports.W003" not in [m.id for m in check_report_fonts()]
    call_command("prepare_report_fonts", stdout=(out := io.StringIO()))
    assert "已就绪" in out.getvalue()
