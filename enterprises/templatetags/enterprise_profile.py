from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_profile_section(context, entry):
    """Render a profile section's template inside the page's context (request, perms, object),
    with the section's own context on top, as ``{% include %}`` would."""
    section_template = context.template.engine.get_template(entry["template_name"])
    with context.push(section=entry["section"], enterprise=context["object"], **entry["context"]):
        return section_template.render(context)
