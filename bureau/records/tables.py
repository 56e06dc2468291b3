"""Base table: a checkbox column for batch actions and a linked first column."""

import django_tables2 as tables


class RecordTable(tables.Table):
    selection = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"data-select-all": "1", "aria-label": "全选"},
            # name="pk": what the batch views read (the column name "selection" would be posted otherwise).
            "td__input": {"form": "bulk-form", "name": "pk", "aria-label": "选择"},
        },
        orderable=False,
    )

    class Meta:
        attrs = {"class": "table table-hover table-sm align-middle record-table"}
        empty_text = "没有符合条件的记录。"
        per_page = 25


class MoneyColumn(tables.Column):
    """Amounts in 万元, right-aligned, rounded only for display."""

    attrs = {"td": {"class": "text-end font-monospace"}, "th": {"class": "text-end"}}

    def render(self, value):
        from bureau.formatting import wan

        return wan(value)
