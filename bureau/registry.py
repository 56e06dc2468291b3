"""The one registry (NetBox-style): stores fixed at start-up, written only by register_* helpers.

Apps fill it from ``AppConfig.ready()``; every helper refuses duplicates and returns its argument,
so it doubles as a decorator.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bureau.indicators import Indicator
    from bureau.records.declarations import Record

T = TypeVar("T")


class Registry(dict):
    """A dict of stores whose keys are fixed: a typo'd store name fails loudly."""

    def __getitem__(self, key: str) -> Any:
        try:
            return super().__getitem__(key)
        except KeyError as exc:
            raise KeyError(f"Invalid store: {key}") from exc

    def __setitem__(self, key: str, value: Any) -> None:
        raise TypeError("Cannot add stores to the registry after initialisation")

    def __delitem__(self, key: str) -> None:
        raise TypeError("Cannot delete stores from the registry")


registry = Registry()
dict.__setitem__(registry, "records", {})  # model label ("app.model") -> Record declaration
dict.__setitem__(registry, "indicators", {})  # indicator code -> Indicator
dict.__setitem__(registry, "profile_sections", [])  # ProfileSection classes for 一企一档
dict.__setitem__(registry, "ledgers", {})  # ledger slug -> Ledger (Excel import/export)
dict.__setitem__(registry, "reminders", [])  # callables (user, today) -> list[Reminder]
dict.__setitem__(registry, "setup_checks", [])  # callables (today) -> list[SetupCheck] (first-run checklist)
dict.__setitem__(registry, "report_sections", [])  # ReportSection classes
dict.__setitem__(registry, "dashboard_charts", [])  # Chart declarations
dict.__setitem__(registry, "search", [])  # bureau.search.SearchProvider classes (the header search)
dict.__setitem__(registry, "menu", defaultdict(list))  # sidebar group -> [Record]
# Login names of demo accounts the password policy may exempt (PASSWORD_POLICY_DEMO_EXEMPT, dev only).
dict.__setitem__(registry, "demo_accounts", set())
dict.__setitem__(registry, "notification_kinds", {})  # kind code -> NotificationKind (bureau.notifications)
# Source name ("programs.program") -> (queryset, search fields) of a list filter's autocomplete (bureau.records.filtersets).
dict.__setitem__(registry, "choice_sources", {})


def _refuse_duplicate(store: str, key: str) -> None:
    raise ValueError(f"{store}: {key!r} is already registered")


def register_record(record: type[Record]) -> type[Record]:
    label = record.model._meta.label_lower
    if label in registry["records"]:
        _refuse_duplicate("records", label)
    if record.form is not None and (record.create_service is None or record.update_service is None):
        # Every write goes through a service, which checks the actor's rights (STYLE §1).
        raise ValueError(f"records: {label!r} declares a form but no create_service/update_service")
    registry["records"][label] = record
    registry["menu"][record.get_menu_group()].append(record)
    return record


def register_choice_source(name: str, queryset, search_fields: tuple[str, ...], label=str) -> None:
    """What a picker's autocomplete searches, and how it names a match (``label``, default str);
    several filters or fields may name the same source."""
    known = registry["choice_sources"].get(name)
    if known is not None and (
        known[0].query.where != queryset.query.where or known[1] != tuple(search_fields) or known[2] is not label
    ):
        _refuse_duplicate("choice_sources", name)
    registry["choice_sources"][name] = (queryset, tuple(search_fields), label)


def register_indicator(indicator: Indicator) -> Indicator:
    if indicator.code in registry["indicators"]:
        _refuse_duplicate("indicators", indicator.code)
    registry["indicators"][indicator.code] = indicator
    return indicator


def register_profile_section(section: type[T]) -> type[T]:
    if section in registry["profile_sections"]:
        _refuse_duplicate("profile_sections", section.__name__)
    registry["profile_sections"].append(section)
    registry["profile_sections"].sort(key=lambda s: s.order)
    return section


def register_ledger(ledger: T) -> T:
    slug = ledger.slug  # type: ignore[attr-defined]
    if slug in registry["ledgers"]:
        _refuse_duplicate("ledgers", slug)
    registry["ledgers"][slug] = ledger
    return ledger


def ledger_for_model(model):
    """The ledger (``bureau.ledgers``) declared for a record model, or None: the record pages find
    their ledger here, so ``bureau.records`` never imports the ledger engine."""
    return next((lg for lg in registry["ledgers"].values() if lg.model is model), None)


def register_reminders(func: T) -> T:
    if func in registry["reminders"]:
        _refuse_duplicate("reminders", getattr(func, "__name__", repr(func)))
    registry["reminders"].append(func)
    return func


def register_setup_checks(func: T) -> T:
    if func in registry["setup_checks"]:
        _refuse_duplicate("setup_checks", getattr(func, "__name__", repr(func)))
    registry["setup_checks"].append(func)
    return func


def register_report_section(section: type[T]) -> type[T]:
    if section in registry["report_sections"]:
        _refuse_duplicate("report_sections", section.__name__)
    registry["report_sections"].append(section)
    registry["report_sections"].sort(key=lambda s: s.order)
    return section


def register_chart(chart: T) -> T:
    if chart in registry["dashboard_charts"]:
        _refuse_duplicate("dashboard_charts", repr(chart))
    registry["dashboard_charts"].append(chart)
    return chart


def register_demo_accounts(usernames) -> None:
    registry["demo_accounts"].update(usernames)


def register_notification_kind(kind: T) -> T:
    code = kind.code  # type: ignore[attr-defined]
    if code in registry["notification_kinds"]:
        _refuse_duplicate("notification_kinds", code)
    registry["notification_kinds"][code] = kind
    return kind
