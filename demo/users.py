"""The demo users, one per role; printed by ``make run`` and listed in README."""

from bureau.accounts.roles import ADMIN, LEADER, REVIEWER, STAFF

DEMO_PASSWORD = "demo12345"
DEMO_USERS = [
    # username, role, display name
    ("keyuan", STAFF, "王科员"),
    ("keyuan2", STAFF, "李科员"),
    ("guzhang", REVIEWER, "赵股长"),
    ("juzhang", LEADER, "刘局长"),
    ("admin", ADMIN, "系统管理员"),
]
