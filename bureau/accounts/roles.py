"""Roles as data: which permissions each group holds. The data migration and every
``migrate`` (post_migrate) apply this table, so a new record type is covered without a new rule.

Permissions are matched as ``"<app_label>.<codename>"`` against shell-style patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

STAFF = "staff"
REVIEWER = "reviewer"
LEADER = "leader"
ADMIN = "admin"
AUDITOR = "auditor"
EXPERT = "expert"
# The 专家 role's one permission: score the assignments made to the expert linked to the account.
EXPERT_PERMISSION = "programs.score_reviewassignment"

# The apps whose records the portal manages; their historical (simple-history) twins included.
# "documents": the attachments of every record (bureau.documents; its service also asks for the
# right to change the record, so 局领导 read and download them and never upload or delete).
DOMAIN_APPS = ("core", "enterprises", "programs", "talent", "reports", "documents")

# Reference data only 管理员 maintains: program catalogue, annual targets, county base data,
# the portal's settings and the managed lists (towns, industries, types). Institutions are not
# among them: staff add a new university while entering an agreement.
ADMIN_ONLY = (
    "core.*_sitesettings",
    "core.*_annualtarget",
    "core.*_countyyear",
    "programs.*_program",
    "enterprises.*_town",
    "enterprises.*_industry",
    "enterprises.*_certificationtype",
    "talent.*_platformtype",
)
# Everyone may view reference data; only the admin writes it.
ADMIN_WRITES = tuple(p.replace("*_", f"{action}_") for p in ADMIN_ONLY for action in ("add", "change", "delete"))
# Kept by 股室负责人 and 管理员 (issue 19): the expert pool and the 失信 records.
REVIEWER_ONLY = ("programs.*_expert", "programs.*_integrityrecord")
REVIEWER_WRITES = tuple(p.replace("*_", f"{action}_") for p in REVIEWER_ONLY for action in ("add", "change", "delete"))
DOMAIN = tuple(f"{app}.*" for app in DOMAIN_APPS)


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    allow: tuple[str, ...]
    deny: tuple[str, ...] = ()
    # A role that sees only its own pages lands on this URL name instead of the dashboard, and the
    # portal's menu, search box and ledgers are hidden from it (专家: 我的评审).
    home: str = ""
    marker: str = ""  # the permission that tells the role apart (it holds no other)
    pages: tuple[str, ...] = ()  # the only URL names it may open; every other page answers 403

    def grants(self, perm: str) -> bool:
        """``perm`` is ``"app_label.codename"``."""
        if not any(fnmatchcase(perm, pattern) for pattern in self.allow):
            return False
        return not any(fnmatchcase(perm, pattern) for pattern in self.deny)


def _domain_patterns(*actions: str) -> tuple[str, ...]:
    return tuple(f"{app}.{action}" for app in DOMAIN_APPS for action in actions)


ROLES: dict[str, Role] = {
    STAFF: Role(
        STAFF,
        "科员",
        allow=_domain_patterns("view_*", "add_*", "change_*", "delete_*"),
        # Review and sign-off are the reviewer's; reference data is the admin's.
        deny=(*ADMIN_WRITES, *REVIEWER_WRITES, "*.review_*", "*.signoff_*"),
    ),
    REVIEWER: Role(
        REVIEWER,
        "股室负责人",
        allow=_domain_patterns("view_*", "add_*", "change_*", "delete_*", "review_*", "signoff_*"),
        deny=ADMIN_WRITES,
    ),
    # Leaders read everything and change nothing.
    LEADER: Role(LEADER, "局领导", allow=_domain_patterns("view_*")),
    ADMIN: Role(ADMIN, "管理员", allow=(*DOMAIN, "auth.*", "axes.*")),
    # 三权分立 (等保 level 3): the auditor reads the audit log and nothing else; no other role,
    # 管理员 included, may read it (bureau.audit checks the group, so a superuser is not let in).
    AUDITOR: Role(AUDITOR, "审计员", allow=("audit.view_auditevent",)),
    # An outside expert scores the applications assigned to them and sees nothing else: no record
    # permission; the review pages let in the account linked to an expert of the 专家库 only.
    EXPERT: Role(
        EXPERT,
        "专家",
        allow=(EXPERT_PERMISSION,),
        home="programs:my_reviews",
        marker=EXPERT_PERMISSION,
        pages=(
            "home",
            "programs:my_reviews",
            "programs:review_assignment",
            "help_index",
            "help_page",
            "notifications:*",
            "accounts:*",
            "healthz",
        ),
    ),
}

# Who may bring back a deleted record from its history (bureau.services.record_restore).
RESTORE_ROLES = (REVIEWER, ADMIN)

ROLE_NAMES = {code: role.name for code, role in ROLES.items()}


def role_names_granting(perm: str) -> list[str]:
    """The Chinese names of the roles holding ``perm`` (for 请管理员录入…), in the table's order."""
    return [role.name for role in ROLES.values() if role.grants(perm)]


def group_name(role: str) -> str:
    return ROLES[role].name


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    names = {g.name for g in user.groups.all()}
    roles = {code for code, role in ROLES.items() if role.name in names}
    if user.is_superuser:
        roles.add(ADMIN)
    return roles


def restricted_home(user) -> str:
    """The URL name a confined role (专家) lands on, "" for everyone else. Decided from the
    permissions Django caches on the user (no query of its own): the role's marker permission
    without a view right on applications. A 科员 who is also an expert keeps the portal."""
    if not user.is_authenticated or user.is_superuser:
        return ""
    for role in ROLES.values():
        if role.home and user.has_perm(role.marker) and not user.has_perm("programs.view_application"):
            return role.home
    return ""


def restricted_pages(user) -> tuple[str, ...] | None:
    """The URL names (``namespace:*`` allowed) a confined role may open, or None: not confined."""
    home = restricted_home(user)
    if not home:
        return None
    return next(role.pages for role in ROLES.values() if role.home == home)


def user_has_role(user, roles) -> bool:
    return bool(user_roles(user) & set(roles))
