"""Base table: a checkbox column for batch actions and a linked first column.

Below 576 px the list renders as cards (portal.css): the first column as the title in full, then the
table's key columns (``Meta.card_fields``, default the next three, and every amount) each with its
label; the other columns stay on the wider screens."""

import django_tables2 as tables

CARD_KEY_COLUMNS = 3


class MoneyColumn(tables.Column):
    """Amounts in 万元, right-aligned, rounded only for display; the list shows their total."""

    attrs = {"td": {"class": "text-end font-monospace"}, "th": {"class": "text-end"}}

    def render(self, value):
        from bureau.formatting import wan

        return wan(value)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._card_roles = self._card_layout()
        for bound in self.columns:
            role = self._card_roles.get(bound.name)
            if role is None or role == "cell-title":
                continue
            # The card shows each key field with its label (CSS ``attr(data-label)``).
            column = bound.column
            attrs = dict(column.attrs)
            td = dict(attrs.get("td", attrs.get("cell", {})))
            td["data-label"] = str(bound.header)
            attrs["td"] = td
            column.attrs = attrs

    def _card_layout(self) -> dict[str, str]:
        names = [c.name for c in self.columns if c.name not in ("selection", "actions")]
        if not names:
            return {}
        roles = {names[0]: "cell-title"}
        declared = getattr(self.Meta, "card_fields", None)
        keys = list(declared) if declared is not None else names[1 : 1 + CARD_KEY_COLUMNS]
        keys += [c.name for c in self.columns if isinstance(c.column, MoneyColumn)]
        for name in keys:
            if name in names and name not in roles:
                roles[name] = "cell-key"
        return roles

    def get_column_class_names(self, classes_set, bound_column):
        classes = super().get_column_class_names(classes_set, bound_column)
        role = getattr(self, "_card_roles", {}).get(bound_column.name)
        if role:
            classes.add(role)
        elif bound_column.name == "selection":
            classes.add("cell-select")
        return classes
