from bureau.help.render import help_url
from bureau.help.topics import topic_for
from bureau.registry import registry


def _record_labels() -> dict[str, str]:
    return {f"{r.app_label()}:{r.model_name()}": label for label, r in registry["records"].items()}


def help_link(request):
    """``help_url``: the guide's section about the page being shown (the header's "?")."""
    match = getattr(request, "resolver_match", None)
    if match is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"help_url": help_url(topic_for(match.namespace, match.url_name or "", _record_labels()))}
