from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from . import policy


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码; a change made here is the user's own (not temporary) and lifts a forced change."""

    template_name = "accounts/password_change.html"
    success_url = "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reason = self.request.session.get(policy.MUST_CHANGE, "")
        context["must_change"] = policy.reason_text(reason)
        return context

    def form_valid(self, form):
        form.user.password_set_by_self = True
        response = super().form_valid(form)
        self.request.session[policy.MUST_CHANGE] = ""
        messages.success(self.request, "密码已修改。")
        return response


@require_POST
def keepalive(request):
    """The idle warning's 继续使用: counts as activity."""
    policy.touch(request)
    return HttpResponse(status=204)


def _next_url(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


def two_factor_setup(request):
    """绑定验证器: a QR code (inline SVG, no external service) and the secret; the first code confirms."""
    import segno
    from django.shortcuts import redirect, render
    from django_otp import login as otp_login
    from django_otp import user_has_device

    from . import two_factor

    user = request.user
    has_device = user_has_device(user, confirmed=True)
    if request.method == "POST" and request.POST.get("action") == "disable" and has_device:
        if two_factor.required(user):
            messages.error(request, "您的角色必须使用双因素认证，不能解除。")
        else:
            two_factor.two_factor_disable(user=user, actor=user)
            request.session[two_factor.STATE] = ""
            messages.success(request, "已解除双因素认证。")
        return redirect("accounts:two_factor_setup")
    if has_device and not (request.method == "POST" and request.POST.get("action") == "rebind"):
        return render(request, "accounts/two_factor_status.html", {"required": two_factor.required(user)})
    device = two_factor.totp_device_unconfirmed(user)
    error = ""
    if request.method == "POST" and request.POST.get("token"):
        codes = two_factor.two_factor_enrol(user=user, device=device, token=request.POST["token"])
        if codes is not None:
            otp_login(request, device)
            request.session[two_factor.STATE] = ""
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        error = "验证码不正确，请核对手机上的时间后重试。"
    qr = segno.make(device.config_url, error="m")
    context = {
        "qr_svg": qr.svg_inline(scale=4, dark="#212529", title="扫描此二维码绑定验证器"),
        "secret": _base32(device.bin_key),
        "error": error,
        "required": two_factor.required(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def two_factor_verify(request):
    """二次验证: a code from the authenticator, or one of the backup codes (each works once)."""
    from django.shortcuts import redirect, render
    from django_otp import login as otp_login

    from bureau.audit.models import AuditKind
    from bureau.audit.services import audit_log

    from . import two_factor

    error = ""
    if request.method == "POST":
        device = two_factor.two_factor_verify(user=request.user, token=request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            request.session[two_factor.STATE] = ""
            if device.name == two_factor.BACKUP_NAME:
                messages.warning(request, "您使用了一个备用验证码；每个备用验证码只能使用一次。")
            return redirect(_next_url(request))
        audit_log(AuditKind.LOGIN_FAILED, actor=request.user, request=request, detail="二次验证码错误")
        error = "验证码不正确或已使用。"
    return render(request, "accounts/two_factor_verify.html", {"error": error, "next": _next_url(request)})
