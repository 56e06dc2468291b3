"""The fast sheet reader gives what openpyxl's read-only values_only gives, cell type by cell type."""

import datetime
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from bureau.ledgers.columns import get_ledger
from bureau.ledgers.reader import SheetRows
from bureau.ledgers.safety import inspect_file

FILES = Path(__file__).parent / "files"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def trimmed(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return tuple(row)


def openpyxl_rows(path):
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    rows = [trimmed(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def fast_rows(path):
    info = inspect_file(str(path), get_ledger("企业名录"))
    wb = load_workbook(path, read_only=True, data_only=True)
    rows = [trimmed(r) for r in SheetRows(str(path), info, wb)]
    wb.close()
    return rows


@pytest.mark.django_db
def test_same_rows_as_openpyxl_for_every_cell_type(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["企业名称*", "统一社会信用代码*", "数值", "日期", "布尔", "空"])
    ws.append(["甲", "91370323MA3C8N2K4B", 12, datetime.datetime(2019, 5, 1), True, None])  # noqa: DTZ001
    ws.append(["乙", "x", 12.5, datetime.date(2020, 1, 31), False, None])
    ws.append([None, None, None, None, None, None])
    ws["C6"] = 1e-7
    ws["F6"] = "远处的格"
    ws["A8"] = "=1+1"  # no saved value
    path = tmp_path / "types.xlsx"
    wb.save(path)
    assert fast_rows(path) == openpyxl_rows(path)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["formula_with_cached_value.xlsx", "merged_data.xlsx", "too_many_rows.xlsx"])
def test_same_rows_as_openpyxl_on_the_corpus(name):
    assert fast_rows(FILES / name) == openpyxl_rows(FILES / name)


def cell(xml: str):
    return etree.fromstring(f'<c xmlns="{NS}" {xml}')


class _Workbook:
    shared_strings = ["共享文本", "另一个"]
    _date_formats = {3}
    _timedelta_formats = set()
    epoch = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - openpyxl's Windows epoch


def test_each_stored_cell_kind_is_read_like_openpyxl():
    reader = SheetRows("unused.xlsx", None, _Workbook())
    assert reader._value(cell('t="s"><v>1</v></c>'), 2, 1) == "另一个"
    assert reader._value(cell('t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c>'), 2, 1) == "富文本"
    assert reader._value(cell('t="str"><f>A1</f><v>公式结果</v></c>'), 2, 1) == "公式结果"
    assert reader._value(cell('t="e"><v>#DIV/0!</v></c>'), 2, 1) == "#DIV/0!"
    assert reader._value(cell('t="b"><v>1</v></c>'), 2, 1) is True
    assert reader._value(cell('s="3"><v>43586</v></c>'), 2, 1) == datetime.datetime(2019, 5, 1)  # noqa: DTZ001
    assert reader._value(cell("><v>1.5E3</v></c>"), 2, 1) == 1500.0
    assert reader._value(cell("><f>SUM(A1:A2)</f></c>"), 7, 3) is None
    assert reader.missing_values == {(7, 3)}
