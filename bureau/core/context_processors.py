from django.urls import reverse

from bureau.accounts.roles import restricted_home
from bureau.registry import registry

from .selectors import site_settings

MENU_ORDER = ["企业", "项目与资金", "专家评审", "人才与平台", "综合", "统计与报告", "系统"]


def portal(request):
    """The sidebar (record types the user may view, by group) and the portal's name."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site": site_settings()}
    home = restricted_home(user)
    if home:
        # A confined role (专家) sees its own page only: no record menu, ledgers or search box.
        return {"menu_groups": [], "site": site_settings(), "restricted_home": reverse(home)}
    groups = []
    menu = registry["menu"]
    for title in [*MENU_ORDER, *sorted(k for k in menu if k not in MENU_ORDER)]:
        items = sorted(
            (r for r in menu.get(title, []) if user.has_perm(r.permission("view"))),
            key=lambda r: r.menu_order,
        )
        if items:
            groups.append((title, items))
    return {"menu_groups": groups, "site": site_settings()}
