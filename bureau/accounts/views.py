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
