from django import template
from django.utils.html import format_html_join

from hall.core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **values):
    """The sections other apps registered for `slot`, each rendered like an
    include (the page's context, plus the values given and the panel's own)."""
    request = context.get("request")
    parts = []
    for panel in navigation.panels_for(slot):
        extra = panel.context(request, **values)
        if extra is None:
            continue
        with context.push(**values, **extra):
            parts.append(context.template.engine.get_template(panel.template).render(context))
    return format_html_join("", "{}", ((part,) for part in parts))
