"""Excel ledger declarations (台账): one declaration per ledger, read by the importer, the template and the export.

A ledger names its Chinese headers exactly as DOMAIN.md fixes them, the form field each fills, the
required ones, the enumerations and the natural key by which a row finds its record::

    @register_ledger
    class EnterpriseLedger(Ledger):
        slug = "enterprises"
        name = ENTERPRISE_LEDGER          # "企业名录"
        model = Enterprise
        columns = (
            Text("企业名称", "name", required=True),
            CreditCode("统一社会信用代码", "credit_code", required=True),
            NameRef("所属乡镇", "town", Town),
            ...
        )
        key = ("credit_code",)

A column turns a cell into a Python value (``parse``: no database), then into what the record's form
receives (``resolve``: from lookups that ``prepare`` fetched once for the whole file), and a record
back into a cell (``export``), so an exported list imports back unchanged.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db import models

from bureau.permissions import permission_name
from bureau.records.export import FORMULA_PREFIXES

# Fixed ledger names (DOMAIN.md "Excel ledgers"); tests import these rather than retype them.
LEDGER_NAMES = ("企业名录", "企业资质", "企业年度统计", "项目申报", "人才", "创新平台", "县域基础数据", "年度目标")
# A lookup that takes more values than this is split into several queries (SQLite's variable limit).
IN_CHUNK = 900
# On a database without such a limit (PostgreSQL), one query for up to this many values: a dozen
# IN lists of 900 cost PostgreSQL ~2.5x the time of one list of 10,000 (measured on 10,000 codes).
IN_CHUNK_UNLIMITED = 10_000
EXCEL_EPOCH_MAX = 2958465  # 9999-12-31 as an Excel serial


class CellError(Exception):
    """A cell's value is unusable; ``message`` is Chinese and does not repeat the column name."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def chunked(values: Sequence, size: int | None = None) -> Iterable[Sequence]:
    if size is None:
        from django.db import connection

        size = IN_CHUNK if connection.features.max_query_params else IN_CHUNK_UNLIMITED
    for start in range(0, len(values), size):
        yield values[start : start + size]


def normalise_header(text: Any) -> str:
    """Headers as clerks type them: full-width brackets, stray blanks, the * of required columns."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s*]", "", text)


def quoted(value: Any) -> str:
    text = str(value)
    if len(text) > 40:
        text = text[:40] + "…"
    return f"「{text}」"


def cell_text(value: Any) -> str | None:
    """A cell as text: whole numbers without ".0", dates as ISO, blanks as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    # The export guards text Excel would evaluate with a leading apostrophe; take it off again.
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text or None


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_decimal(value: Any, units: Sequence[str] = ()) -> Decimal | None:
    """A number from a cell: Excel numbers through ``str`` (never float arithmetic), or text with
    thousands separators and an optional unit suffix ("1,234.5万元")."""
    if value is None:
        return None
    if isinstance(value, (bool, datetime.date)):
        raise CellError("应为数字，当前为%(v)s" % {"v": quoted(cell_text(value))})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; beyond them a double only carries binary noise.
        return Decimal(format(value, ".15g"))
    if isinstance(value, Decimal):
        return value
    raw = str(value).strip()
    text = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if not text:
        return None
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if "," in text:
        if not _THOUSANDS.match(text):
            raise CellError("千分位分隔符位置不对：%(v)s" % {"v": quoted(raw)})
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        hint = "（单位只能写%(u)s）" % {"u": "或".join(units)} if units else ""
        raise CellError("应为数字，当前为%(v)s%(hint)s" % {"v": quoted(raw), "hint": hint}) from None
    if not number.is_finite():
        raise CellError("应为数字，当前为%(v)s" % {"v": quoted(raw)})
    return number


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: Any) -> datetime.date | None:
    """Excel date cells, Excel serial numbers, and the text forms Chinese offices use:
    2019年5月1日, 2019/5/1, 2019.5.1, 2019-05-01, 20190501."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= EXCEL_EPOCH_MAX:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise CellError("不是有效日期：%(v)s" % {"v": quoted(cell_text(value))})
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise CellError(
            "不是可识别的日期：%(v)s（可写 2019-05-01、2019年5月1日、2019/5/1 或 2019.5.1）" % {"v": quoted(text)}
        )
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError("不是有效日期：%(v)s" % {"v": quoted(text)}) from None


class Column:
    """One Chinese header. ``field`` is the form field it fills (None: only read by the ledger)."""

    kind = "text"
    # What the template's comment on the header says about the column's values.
    hint = ""
    number_format: str | None = None
    width = 16
    # An export-only column written beside this one for a person to read (the unit's name beside
    # its credit code); the import ignores it, so an exported file still imports back unchanged.
    companion_header: str | None = None

    def companion(self, obj: models.Model) -> Any:
        return None

    def __init__(
        self,
        header: str,
        field: str | None = None,
        *,
        required: bool = False,
        example: Any = None,
        help_text: str = "",
        getter=None,
    ):
        self.getter = getter  # record -> cell value, for a column that is not one field
        self.header = header
        self.field = field
        self.required = required
        self.example = example
        self.help_text = help_text
        self.ledger: type[Ledger] | None = None

    def __repr__(self):
        return f"<{type(self).__name__} {self.header}>"

    @property
    def title(self) -> str:
        """The header as the template writes it: required columns marked *."""
        return f"{self.header}*" if self.required else self.header

    # reading
    def parse(self, value: Any) -> Any:
        """Cell → Python value; None for a blank. No database access (runs for every cell)."""
        return cell_text(value)

    def prepare(self, values: list[Any], ctx: ImportContext) -> None:
        """Fetch whatever ``resolve`` needs for all of the file's values of this column, at once."""

    def resolve(self, value: Any, ctx: ImportContext) -> Any:
        """Parsed value → what the form receives (a model instance for a relation)."""
        return value

    # writing
    def export(self, obj: models.Model) -> Any:
        if self.getter is not None:
            return self.getter(obj)
        return getattr(obj, self.field) if self.field else None

    def display(self, value: Any) -> str:
        """A resolved value (or a record's value for this column) as the preview shows it."""
        if value is None or value == "":
            return ""
        if isinstance(value, Decimal):
            return _plain_decimal(value)
        return str(value)

    def labels(self) -> list[str] | None:
        """The allowed values of an enumerated column (for the template's drop-down)."""
        return None

    def model_field(self) -> models.Field | None:
        if self.field is None or self.ledger is None:
            return None
        try:
            return self.ledger.model._meta.get_field(self.field)
        except Exception:  # noqa: BLE001 - a form-only field
            return None


def _plain_decimal(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class Text(Column):
    width = 24


class Integer(Column):
    kind = "int"
    hint = "整数"
    number_format = "0"
    width = 12

    def __init__(self, *args, units: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = tuple(units)

    def parse(self, value):
        try:
            number = parse_decimal(value, self.units)
        except CellError as exc:
            if "千分位" in exc.message:
                raise
            raise CellError("应为整数，当前为%(v)s" % {"v": quoted(cell_text(value))}) from None
        if number is None:
            return None
        if number != number.to_integral_value():
            raise CellError("应为整数，当前为%(v)s" % {"v": quoted(cell_text(value))})
        return int(number)


class Year(Integer):
    kind = "year"
    hint = "年份，如 2019"
    width = 8

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("units", ("年度", "年"))
        super().__init__(*args, **kwargs)

    def parse(self, value):
        if isinstance(value, datetime.date):
            raise CellError("应为年份（如 2019），当前为日期 %(v)s" % {"v": quoted(cell_text(value))})
        try:
            year = super().parse(value)
        except CellError:
            raise CellError("应为年份（如 2019），当前为%(v)s" % {"v": quoted(cell_text(value))}) from None
        if year is not None and not (1949 <= year <= 2100):
            raise CellError("年份应在1949至2100之间，当前为 %(v)s" % {"v": year})
        return year


class Number(Column):
    """A decimal quantity; ``units`` are suffixes accepted in text cells (e.g. 万元)."""

    kind = "decimal"
    hint = "数值"
    number_format = "#,##0.####"
    width = 16

    def __init__(self, *args, units: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = tuple(units)

    def parse(self, value):
        return parse_decimal(value, self.units)


class Money(Number):
    """An amount in 万元 (the header says so); "12.5万元" and "1,234" are accepted, kept exact."""

    kind = "money"
    hint = "金额（万元），如 12.5"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("units", ("万元", "万"))
        super().__init__(*args, **kwargs)


class Date(Column):
    kind = "date"
    hint = "日期，如 2019-05-01 或 2019年5月1日"
    number_format = "yyyy-mm-dd"
    width = 14

    def parse(self, value):
        return parse_date(value)

    def display(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else super().display(value)


class Choice(Column):
    """An enumerated column: the cell holds the Chinese label; the form receives the value."""

    kind = "choice"
    hint = "从下拉列表中选择"
    width = 14

    def __init__(self, *args, choices: Sequence[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._choices = choices

    def choices(self) -> list[tuple[str, str]]:
        if self._choices is not None:
            return [(str(v), str(label)) for v, label in self._choices]
        field = self.model_field()
        return [(str(v), str(label)) for v, label in field.flatchoices if v != ""]

    def labels(self):
        return [label for _v, label in self.choices()]

    def _maps(self) -> tuple[dict[str, str], dict[str, str]]:
        # Built once per column (labels are fixed): the parse runs for every cell.
        if not hasattr(self, "_by_label"):
            choices = self.choices()
            self._by_label = {unicodedata.normalize("NFKC", label): v for v, label in choices}
            self._by_value = {v.lower(): v for v, _label in choices}
        return self._by_label, self._by_value

    def parse(self, value):
        text = cell_text(value)
        if text is None:
            return None
        text = unicodedata.normalize("NFKC", text).strip()
        by_label, by_value = self._maps()
        if text in by_label:
            return by_label[text]
        if text.lower() in by_value:
            return by_value[text.lower()]
        raise CellError("%(v)s不是可选值，可选：%(labels)s" % {"v": quoted(text), "labels": "、".join(self.labels())})

    def export(self, obj):
        if self.getter is not None:
            return self.getter(obj)
        value = getattr(obj, self.field)
        return dict(self.choices()).get(str(value), value) if value not in (None, "") else None

    def display(self, value):
        if value in (None, ""):
            return ""
        return dict(self.choices()).get(str(value), str(value))


class Ref(Column):
    """A relation found by a natural value (a name, a credit code) from one prefetched lookup."""

    kind = "ref"
    hint = "从下拉列表中选择"
    to_field = "name"

    def __init__(
        self, header, field=None, model: type[models.Model] | None = None, *, to_field: str | None = None, **kwargs
    ):
        super().__init__(header, field, **kwargs)
        self._model = model
        if to_field:
            self.to_field = to_field

    @property
    def related_model(self) -> type[models.Model]:
        if self._model is not None:
            return self._model
        return self.model_field().related_model

    def cache(self, ctx: ImportContext) -> dict:
        return ctx.caches.setdefault(id(self), {})

    def prepare(self, values, ctx):
        cache = self.cache(ctx)
        wanted = sorted({v for v in values if v is not None})
        for part in chunked(wanted):
            for obj in self.related_model._default_manager.filter(**{f"{self.to_field}__in": part}):
                cache[getattr(obj, self.to_field)] = obj

    def resolve(self, value, ctx):
        if value is None:
            return None
        obj = self.cache(ctx).get(value)
        if obj is None:
            raise CellError(self.missing_message(value))
        return obj

    def missing_message(self, value) -> str:
        return "%(v)s不在%(what)s列表中" % {"v": quoted(value), "what": self.related_model._meta.verbose_name}

    def export(self, obj):
        if self.getter is not None:
            return self.getter(obj)
        related = getattr(obj, self.field)
        return getattr(related, self.to_field) if related is not None else None

    def display(self, value):
        if isinstance(value, models.Model):
            return str(getattr(value, self.to_field))
        return super().display(value)


def list_key(text: str) -> str:
    """A managed list's name as compared for twins: full/half width folded, blanks removed."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(text)))


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by changing, adding or removing one character (白扬镇/白杨镇)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def near_message(existing: str) -> str:
    return "与已有“%(name)s”相近" % {"name": existing}


class NameRef(Ref):
    """A managed list (乡镇, 行业, 资质类型 …) by name; the template offers its names in a drop-down.

    ``create`` is the list's service, ``create(actor=…, name=…)``: with it, a name the list lacks is
    planned as 新增 (created by ``Ledger.before_commit`` through the service) when the importing user
    may add to the list; for anyone else it is the row's error, naming who can add it. A name that
    differs from one on the list only by blanks or full/half width is that entry (flagged); one that
    differs by one character is flagged 「与已有“…”相近」 for those who may add, and is an error for
    the others (so a typo never becomes a twin without someone who may add confirming it)."""

    def __init__(self, *args, create=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.create = create

    def labels(self):
        return list(
            self.related_model._default_manager.order_by().values_list(self.to_field, flat=True).order_by(self.to_field)
        )

    def may_add(self, ctx: ImportContext) -> bool:
        from bureau.permissions import has_permission

        return self.create is not None and has_permission(ctx.user, self.related_model, "add")

    def prepare(self, values, ctx):
        cache = self.cache(ctx)
        wanted = sorted({v for v in values if v is not None})
        if not wanted:
            return
        # A managed list is short: all of it at once, to find both the names and their near twins.
        listed = {getattr(obj, self.to_field): obj for obj in self.related_model._default_manager.all()}
        by_key = {list_key(name): obj for name, obj in listed.items()}
        near = ctx.caches.setdefault(("near", id(self)), {})
        added = []
        for value in wanted:
            if value in listed:
                cache[value] = listed[value]
                continue
            same = by_key.get(list_key(value))
            if same is not None:
                # Only blanks or full/half width differ: it is that entry.
                cache[value] = same
                near[value] = getattr(same, self.to_field)
                continue
            close = next((name for name in listed if one_edit_apart(list_key(value), list_key(name))), None)
            if close is not None:
                near[value] = close
            if self.may_add(ctx):
                cache[value] = ctx.plan_list_entry(self, value)
                added.append(value + ("（%s，请核对）" % near_message(close) if close else ""))
        if added:
            ctx.notices.append(
                "将新增%(what)s：%(names)s" % {"what": self.related_model._meta.verbose_name, "names": "、".join(added)}
            )

    def resolve(self, value, ctx):
        if value is None:
            return None
        obj = self.cache(ctx).get(value)
        close = ctx.caches.get(("near", id(self)), {}).get(value)
        if obj is None:
            raise CellError(self.missing_message(value, close))
        what = self.related_model._meta.verbose_name
        if obj.pk is None:
            ctx.flag("新增%(what)s：%(v)s" % {"what": what, "v": value})
        if close is not None:
            if obj.pk is None:
                ctx.flag("%(v)s%(near)s，请核对" % {"v": quoted(value), "near": near_message(close)})
            else:
                ctx.flag(
                    "%(v)s%(near)s，按“%(name)s”登记" % {"v": quoted(value), "near": near_message(close), "name": close}
                )
        return obj

    def missing_message(self, value, close: str | None = None):
        from bureau.permissions import roles_with_permission

        what = self.related_model._meta.verbose_name
        if self.create is not None:
            roles = "、".join(roles_with_permission(permission_name(self.related_model, "add"))) or "管理员"
            near = "（%s）" % near_message(close) if close else ""
            return "%(v)s不在%(what)s列表中%(near)s，只有%(roles)s可以新增" % {
                "v": quoted(value),
                "what": what,
                "near": near,
                "roles": roles,
            }
        names = self.labels()
        shown = "、".join(names[:20]) + ("等" if len(names) > 20 else "")
        if not names:
            return "%(v)s不在%(what)s列表中（列表为空，请管理员先维护）" % {"v": quoted(value), "what": what}
        return "%(v)s不在%(what)s列表中，可选：%(names)s" % {"v": quoted(value), "what": what, "names": shown}


class ImportContext:
    """What one import run shares: the user, prefetched lookups, notes for the preview."""

    def __init__(self, ledger: type[Ledger], user=None):
        self.ledger = ledger
        self.user = user
        self.caches: dict[Any, dict] = {}
        self.notices: list[str] = []
        # Records the ledger creates before the rows (e.g. programs not yet in the catalogue).
        self.pending: dict[str, dict] = {}
        # The preview flags of the row being resolved (``Ledger.resolve_row`` sets it).
        self.row_flags: list[str] | None = None

    def flag(self, message: str) -> None:
        """A note for the preview on the row being resolved (not an error)."""
        if self.row_flags is not None and message not in self.row_flags:
            self.row_flags.append(message)

    def plan_list_entry(self, column: NameRef, name: str) -> models.Model:
        """A managed list's new entry, unsaved until the import is written (``create_list_entries``);
        every row naming it holds this one object."""
        planned = self.pending.setdefault("lists", {})
        key = (column.related_model._meta.label, name)
        if key not in planned:
            planned[key] = (column, column.related_model(**{column.to_field: name}))
        return planned[key][1]

    def create_list_entries(self, user) -> None:
        """Create the planned entries through their lists' services (which check ``user``'s right)."""
        for (_label, name), (column, obj) in self.pending.get("lists", {}).items():
            if obj.pk is not None:
                continue
            # Someone may have added it since the preview: then the rows point to that one.
            found = column.related_model._default_manager.filter(**{column.to_field: name}).first()
            adopt(obj, found or column.create(actor=user, name=name))


def adopt(planned: models.Model, saved: models.Model) -> None:
    """Give an object the rows already hold (``planned``) the identity of the one a service saved."""
    planned.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    planned._state.adding = False
    planned._state.db = saved._state.db


class Ledger:
    """Declare an Excel ledger; register it with ``bureau.registry.register_ledger``."""

    do_not_call_in_templates = True  # templates read the class's attributes

    slug: ClassVar[str]
    name: ClassVar[str]  # fixed Chinese name (DOMAIN.md)
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    # Form fields whose values identify a record (the natural key).
    key: ClassVar[tuple[str, ...]]
    # The form that validates a row (default: the registered record's form, else a plain ModelForm).
    form: ClassVar[type | None] = None
    # Relations the export reads, fetched with the list's queryset.
    select_related: ClassVar[tuple[str, ...]] = ()
    # Extra text for the template's instructions.
    notes: ClassVar[tuple[str, ...]] = ()
    # Form fields filled from several columns by ``resolve_row`` (e.g. a call from 计划名称+级别+年度),
    # and the header their errors are reported under.
    derived_fields: ClassVar[tuple[str, ...]] = ()
    field_headers: ClassVar[dict[str, str]] = {}
    # The columns that name a row in the preview (default: the natural key's).
    label_headers: ClassVar[tuple[str, ...]] = ()
    # Model fields ``complete`` derives (compared and written with the sheet's fields).
    computed_fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for column in cls.__dict__.get("columns", ()):
            column.ledger = cls

    # declarations
    @classmethod
    def get_form(cls) -> type:
        if cls.form is not None:
            return cls.form
        from bureau.registry import registry

        record = registry["records"].get(cls.model._meta.label_lower)
        if record is not None and record.form is not None:
            return record.form
        from bureau.records.forms import RecordForm

        return RecordForm

    @classmethod
    def headers(cls) -> list[str]:
        return [c.header for c in cls.columns]

    @classmethod
    def required_headers(cls) -> list[str]:
        return [c.header for c in cls.columns if c.required]

    @classmethod
    def column_for_field(cls, field: str) -> Column | None:
        return next((c for c in cls.columns if c.field == field), None)

    @classmethod
    def header_for_field(cls, field: str) -> str | None:
        """The header an error on a form field is reported under (derived fields name theirs)."""
        column = cls.column_for_field(field)
        if column is not None:
            return column.header
        return cls.field_headers.get(field)

    @classmethod
    def permission(cls, action: str) -> str:
        return permission_name(cls.model, action)

    @classmethod
    def user_can_import(cls, user) -> bool:
        return user.has_perm(cls.permission("add")) and user.has_perm(cls.permission("change"))

    # reading
    @classmethod
    def prepare(cls, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        """Fetch lookups for the whole file (one query per column, never one per row)."""
        for column in cls.columns:
            column.prepare([row.get(column.header) for row in rows], ctx)

    @classmethod
    def resolve_row(
        cls, values: dict[str, Any], ctx: ImportContext
    ) -> tuple[dict[str, Any], dict[str, str], list[str]]:
        """Parsed values by header → (form data by field, errors by header, flags for the preview)."""
        data: dict[str, Any] = {}
        errors: dict[str, str] = {}
        flags: list[str] = []
        ctx.row_flags = flags
        for column in cls.columns:
            if column.header not in values or column.field is None:
                continue
            try:
                data[column.field] = column.resolve(values[column.header], ctx)
            except CellError as exc:
                errors[column.header] = exc.message
        return data, errors, flags

    @classmethod
    def key_of_data(cls, data: dict[str, Any]) -> tuple:
        return tuple(_key_part(data.get(f)) for f in cls.key)

    @classmethod
    def key_of_instance(cls, obj: models.Model) -> tuple:
        opts = cls.model._meta
        return tuple(getattr(obj, opts.get_field(f).attname) for f in cls.key)

    @classmethod
    def existing(cls, keys: list[tuple], ctx: ImportContext) -> dict[tuple, models.Model]:
        """The records the file's keys name, found in a few queries (split on the first key field)."""
        if not keys:
            return {}
        first = cls.model._meta.get_field(cls.key[0]).attname
        # (A key part ("new", …) names a record this import creates: nothing to look up.)
        values = sorted({k[0] for k in keys if k[0] is not None and not isinstance(k[0], tuple)}, key=str)
        wanted = set(keys)
        found = {}
        for part in chunked(values):
            for obj in cls.model._default_manager.filter(**{f"{first}__in": part}):
                key = cls.key_of_instance(obj)
                if key in wanted:
                    found[key] = obj
        return found

    @classmethod
    def defaults(cls, data: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        """Values a new record needs that the sheet does not hold."""
        return {}

    @classmethod
    def row_label(cls, data: dict[str, Any], values: dict[str, Any]) -> str:
        """How the preview names a row: ``label_headers`` (default: the key's columns)."""
        columns = cls.__dict__.get("_label_columns")
        if columns is None:  # worked out once per ledger: this runs for every row
            if cls.label_headers:
                columns = [c for c in cls.columns if c.header in cls.label_headers]
            else:
                columns = [c for c in (cls.column_for_field(f) for f in cls.key) if c is not None]
            cls._label_columns = columns
        parts = []
        for column in columns:
            value = data.get(column.field) if column.field else None
            if isinstance(value, models.Model) and column.kind == "enterprise":
                parts.append(str(value))  # the enterprise's name reads better than its code
            elif value is not None:
                parts.append(column.display(value))
            elif values.get(column.header) is not None:
                parts.append(str(values[column.header]))
        return " ".join(p for p in parts if p)

    @classmethod
    def before_validation(cls, obj: models.Model, data: dict[str, Any], ctx: ImportContext) -> None:
        """Fill what the model's own rules need and the sheet cannot hold (runs before the form)."""

    @classmethod
    def complete(cls, obj: models.Model, ctx: ImportContext, before: dict[str, Any] | None) -> None:
        """Derive what the record's service derives on save (``computed_fields``); ``before`` holds
        an existing record's values (by attname) as they were, None for a new record."""

    @classmethod
    def check_row(cls, obj: models.Model, ctx: ImportContext, before: dict[str, Any] | None) -> dict[str, str]:
        """Rules of the import itself, after the form accepted the row: {header: message}."""
        return {}

    @classmethod
    def extra_changes(cls, obj: models.Model, ctx: ImportContext) -> list[tuple[str, str, str]]:
        """Changes the import makes beside the record's own fields (header, old, new); the row's
        resolved data is ``obj._ledger_data``."""
        return []

    @classmethod
    def after_write(cls, result, user) -> None:
        """Write what goes with the rows (inside the import's transaction, after the rows)."""

    @classmethod
    def before_commit(cls, ctx: ImportContext, user) -> None:
        """Create what the rows point to and does not exist yet (inside the import's transaction):
        the managed lists' new entries; a ledger that plans more calls this first."""
        ctx.create_list_entries(user)

    # writing
    @classmethod
    def export_queryset(cls, qs):
        return qs.select_related(*cls.select_related) if cls.select_related else qs

    @classmethod
    def export_headers(cls) -> list[str]:
        """The headers of an exported list: the ledger's, each followed by its companion if any."""
        headers = []
        for c in cls.columns:
            headers.append(c.header)
            if c.companion_header:
                headers.append(c.companion_header)
        return headers

    @classmethod
    def export_row(cls, obj: models.Model) -> list[Any]:
        row = []
        for c in cls.columns:
            row.append(c.export(obj))
            if c.companion_header:
                row.append(c.companion(obj))
        return row


def _key_part(value: Any) -> Any:
    if isinstance(value, models.Model):
        # A record the import is about to create (a new person) is itself the key.
        return value.pk if value.pk is not None else ("new", id(value))
    return value


def get_ledger(name_or_slug: str) -> type[Ledger] | None:
    """A ledger by its English slug or its Chinese name."""
    from bureau.registry import registry

    ledgers = registry["ledgers"]
    if name_or_slug in ledgers:
        return ledgers[name_or_slug]
    wanted = normalise_header(name_or_slug)
    return next((lg for lg in ledgers.values() if normalise_header(lg.name) == wanted), None)
