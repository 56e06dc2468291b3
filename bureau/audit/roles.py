"""Who is an auditor: membership of the 审计员 group, never superuser status (三权分立)."""

from bureau.accounts.roles import AUDITOR, ROLES


def is_auditor(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=ROLES[AUDITOR].name).exists()
