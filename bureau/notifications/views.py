"""The inbox, mark read / all read, and the user's own e-mail settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .kinds import kind_label, kinds
from .models import EmailPreference
from .selectors import inbox
from .services import email_mode, email_preferences_update, notification_mark_all_read, notification_mark_read

PAGE_SIZE = 30


def inbox_page(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(inbox(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(request.GET.get("page"))
    for n in page.object_list:
        n.kind_label = kind_label(n.kind)
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@require_POST
def mark_read(request, pk: int):
    try:
        n = notification_mark_read(actor=request.user, notification_id=pk)
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
        return redirect("notifications:inbox")
    if request.POST.get("go") and n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None):
        return redirect(n.url)
    return redirect(request.POST.get("next") or "notifications:inbox")


@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(actor=request.user)
    messages.success(request, f"已将{count}条通知标为已读。" if count else "没有未读通知。")
    return redirect("notifications:inbox")


def email_settings(request):
    user = request.user
    rows = [(k, email_mode(user_id=user.pk, kind=k.code)) for k in kinds()]
    if request.method == "POST":
        modes = {k.code: request.POST.get(f"mode_{k.code}", mode) for k, mode in rows}
        try:
            email_preferences_update(actor=user, email=request.POST.get("email", ""), modes=modes)
        except ValidationError as exc:
            messages.warning(request, "；".join(exc.messages) if exc.messages else "请检查邮箱地址。")
        else:
            messages.success(request, "通知设置已保存。")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"rows": rows, "modes": EmailPreference.Mode.choices, "email": user.email},
    )
