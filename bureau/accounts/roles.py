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
DOMAIN = tuple(f"{app}.*" for app in DOMAIN_APPS)


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    allow: tuple[str, ...]
    deny: tuple[str, ...] = ()

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
        deny=(*ADMIN_WRITES, "*.review_*", "*.signoff_*"),
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


def user_has_role(user, roles) -> bool:
    return bool(user_roles(user) & set(roles))
