"""The .xlsx a clerk fills in: headers (required marked *), drop-downs, formats, an example."""

from __future__ import annotations

import io

from bureau.ledgers.columns import Ledger


def ledger_template(ledger: type[Ledger]) -> bytes:
    """An .xlsx to fill in: the headers (required marked *), drop-downs for enumerated columns,
    formats for dates and amounts, a filled-in example on the second sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = ledger.name[:31]
    example = wb.create_sheet("填写示例")
    options = wb.create_sheet("选项")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    required_font = Font(bold=True, color="C00000")
    plain_font = Font(bold=True)
    option_col = 0
    for index, column in enumerate(ledger.columns, start=1):
        letter = get_column_letter(index)
        for sheet in (ws, example):
            cell = sheet.cell(row=1, column=index, value=column.title)
            cell.font = required_font if column.required else plain_font
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.column_dimensions[letter].width = max(column.width, len(column.title) * 2 + 2)
        hint = _column_hint(column)
        if hint:
            ws.cell(row=1, column=index).comment = Comment(hint, "科技局工作平台", width=260, height=90)
        value = column.example
        example.cell(row=2, column=index, value=value)
        if column.number_format:
            example.cell(row=2, column=index).number_format = column.number_format
            for row in range(2, 1002):
                ws.cell(row=row, column=index).number_format = column.number_format
        labels = column.labels()
        if labels:
            option_col += 1
            option_letter = get_column_letter(option_col)
            options.cell(row=1, column=option_col, value=column.header)
            for r, label in enumerate(labels, start=2):
                options.cell(row=r, column=option_col, value=label)
            ref = f"{quote_sheetname(options.title)}!${option_letter}$2:${option_letter}${len(labels) + 1}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=not column.required)
            dv.error = ("请从下拉列表中选择：%(labels)s" % {"labels": "、".join(labels[:30])})[:250]
            dv.errorTitle = "不是可选值"
            dv.prompt = "请从下拉列表中选择"
            dv.promptTitle = column.header
            dv.showErrorMessage = True
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}1001")
    ws.freeze_panes = "A2"
    example.freeze_panes = "A2"
    notes = [
        "说明：带 * 的列必须填写；请在第一个工作表「%(name)s」中填写，每行一条记录，不要合并单元格。"
        % {"name": ledger.name},
        "日期可写 2019-05-01、2019年5月1日、2019/5/1 或 2019.5.1；金额以万元为单位，可带千分位或“万元”字样。",
        *ledger.notes,
    ]
    for offset, text in enumerate(notes, start=4):
        example.cell(row=offset, column=1, value=text).font = Font(color="555555")
    options.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_hint(column) -> str:
    parts = ["必填" if column.required else "选填"]
    if column.hint:
        parts.append(column.hint)
    if column.help_text:
        parts.append(column.help_text)
    return "；".join(parts)
