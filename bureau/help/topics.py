"""The user guide's pages and which section each portal page's "?" opens: one place.

A page is a Markdown file in ``bureau/help/pages/<slug>.md`` (our own files only; raw HTML in them is
not rendered). A section is a heading written ``## 标题 {#anchor}``. ``tests/core/test_help.py`` checks
that every record page and every main page has a "?" whose section exists.
"""

from __future__ import annotations

# (slug, title, group) in the order of the guide's table of contents.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("start", "快速上手", "入门"),
    ("role-staff", "科员", "按角色"),
    ("role-reviewer", "股室负责人", "按角色"),
    ("role-leader", "局领导", "按角色"),
    ("role-admin", "管理员", "按角色"),
    ("role-auditor", "审计员", "按角色"),
    ("role-expert", "评审专家", "按角色"),
    ("task-enterprise", "录入一家企业", "按任务"),
    ("task-application", "项目申报从录入到审核", "按任务"),
    ("task-ledger", "导入Excel台账", "按任务"),
    ("task-report", "生成年度工作报告", "按任务"),
    ("records", "各类记录说明", "参考"),
)

# URL name ("namespace:name") -> "slug#anchor" for pages that are not a record type's generic views.
URL_TOPICS: dict[str, str] = {
    "home": "start#home",
    "search": "start#search",
    "reports:dashboard": "role-leader#dashboard",
    "notifications:inbox": "start#notifications",
    "notifications:settings": "start#notifications",
    "accounts:password_change": "start#account",
    "accounts:two_factor_setup": "start#account",
    "accounts:two_factor_verify": "start#account",
    "site_settings": "role-admin#site-settings",
    "setup_checklist": "role-admin#checklist",
    "audit:event_list": "role-auditor#audit-log",
    "ledger_index": "task-ledger#ledger-index",
    "ledger_import": "task-ledger#upload",
    "ledger_job": "task-ledger#preview",
    "reports:annualreport_preview": "task-report#preview",
    "programs:my_reviews": "role-expert#reviews",
    "programs:review_assignment": "role-expert#scoring",
    "help_index": "start#help",
    "help_page": "start#help",
}

# Record type ("app.model") -> "slug#anchor" when a task page explains it; any other record type's
# pages open its section of the reference page, "records#<model>".
RECORD_TOPICS: dict[str, str] = {
    "enterprises.enterprise": "task-enterprise#enterprise",
    "programs.application": "task-application#application",
    "reports.annualreport": "task-report#report",
}
# The generic views of a record type (bureau.records.urls.record_urls): "<model>_<action>".
RECORD_ACTIONS = ("list", "add", "detail", "edit", "delete", "bulk_delete", "deleted", "restore")
RECORD_ACTION_ANCHORS = {"add": "-form", "edit": "-form"}  # a task page may have a section for its form


def topic_for(namespace: str, url_name: str, record_labels: dict[str, str]) -> str:
    """``slug#anchor`` of the page named ``namespace:url_name``; ``record_labels`` maps
    "<app>:<model>" to the record's "app.model" label (the registered record types)."""
    full = f"{namespace}:{url_name}" if namespace else url_name
    if full in URL_TOPICS:
        return URL_TOPICS[full]
    model, _, action = url_name.rpartition("_")
    if action == "delete" and model.endswith("_bulk"):
        model, action = model.removesuffix("_bulk"), "bulk_delete"
    label = record_labels.get(f"{namespace}:{model}")
    if label is None or action not in RECORD_ACTIONS:
        return "start#help"
    return RECORD_TOPICS.get(label, f"records#{model}")
