import re

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from hall.core.permissions import staff_required

from . import help

# In the handbook a screen is a level below its area: its sections' headings
# move down two levels (h2 → h4), so the page's outline has no gaps.
_HEADING = re.compile(r"<(/?)h([2-5])\b")


def _demote(html: str) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", html)


@staff_required()
def index(request):
    return render(request, "manual/index.html", {"areas": help.areas(request.user)})


@staff_required()
def page(request, namespace: str, name: str):
    # Only a fragment found on disk is rendered: the template's name comes from
    # that list, never from the URL.
    found = help.catalogue().get(f"{namespace}:{name}")
    if found is None:
        raise Http404
    may_open = found.perm is None or request.user.has_perm(found.perm)
    return render(
        request,
        "manual/page.html",
        {"help": found, "screen_url": found.screen_url if may_open else None},
    )


@staff_required()
def handbook(request):
    areas = help.areas()
    for area in areas:
        for screen in area["screens"]:
            body = render_to_string(screen["help"].template, request=request)
            screen["body"] = mark_safe(_demote(body))  # noqa: S308  (our own templates' output)
    return render(request, "manual/handbook.html", {"areas": areas})
