"""The help fragments of the staff screens, found once per process.

A screen's help is a template `help/<url namespace>/<url name>.html` in any app's
templates folder (or the project's): the app that owns a screen writes its help,
and nothing has to be registered. The template folders are listed at the first
request and kept: a process only gets new templates by restarting anyway.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from hall.core import navigation

from .titles import AREA_TITLES, TITLES

# What a URL name or namespace may be: the help page's URL and the template's
# name are built from these two parts only.
_PART = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class Help:
    name: str  # "namespace:name", the screen's URL name
    namespace: str
    url_name: str
    template: str
    title: str
    area: str
    area_order: int
    screen_url: str | None  # None: the screen needs arguments (a case, a document…)
    perm: str | None  # the right the screen's view declares

    @property
    def help_url(self) -> str:
        return reverse("manual:page", args=[self.namespace, self.url_name])

    @property
    def anchor(self) -> str:
        return f"{self.namespace}-{self.url_name}".replace("_", "-")


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    return dirs


@cache
def fragments() -> dict[str, str]:
    """{"namespace:name": template name} of every help fragment on disk."""
    found = {}
    for folder in _template_dirs():
        for path in sorted((folder / "help").glob("*/*.html")):
            namespace, url_name = path.parent.name, path.stem
            if _PART.fullmatch(namespace) and _PART.fullmatch(url_name):
                # the first folder wins, as for the template loaders
                found.setdefault(f"{namespace}:{url_name}", f"help/{namespace}/{url_name}.html")
    return found


def _patterns(resolver=None, namespace="", converters=None) -> dict:
    """{"namespace:name": (view, has arguments)} of every named pattern."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(_patterns(pattern, ns, known))
        elif pattern.name:
            has_args = bool(known) or bool(pattern.pattern.regex.groups)
            found.setdefault(f"{namespace}{pattern.name}", (pattern.callback, has_args))
    return found


def _menu() -> dict[str, navigation.Entry]:
    return dict(navigation._ENTRIES)


def _area(namespace: str, menu: dict) -> tuple[str, int]:
    """The menu's area a screen belongs to: its app, ordered as the menu orders
    the app's first entry; titled by the app (or the manual's own name for it)."""
    entries = sorted(
        (e for e in menu.values() if e.url_name.split(":")[0] == namespace),
        key=lambda e: e.order,
    )
    order = entries[0].order if entries else 100
    if namespace in AREA_TITLES:
        return AREA_TITLES[namespace]
    try:
        return apps.get_app_config(namespace).verbose_name, order
    except LookupError:  # a namespace that is not an app's label
        return (entries[0].title if entries else namespace), order


@cache
def catalogue() -> dict[str, Help]:
    """{"namespace:name": Help} of every fragment, in the menu's order."""
    urlconf = _patterns()
    menu = _menu()
    found = {}
    for name, template in fragments().items():
        namespace, url_name = name.split(":")
        view, has_args = urlconf.get(name, (None, True))
        screen_url = None
        # Only a screen behind the staff check is linked: the login pages are for
        # signed-out visitors, and a signed-in reader would only be sent on.
        if not has_args and hasattr(view, "required_perm"):
            try:
                screen_url = reverse(name)
            except NoReverseMatch:  # a pattern with unnamed groups
                screen_url = None
        entry = menu.get(name)
        title = TITLES.get(name) or (entry.title if entry else name)
        area, order = _area(namespace, menu)
        found[name] = Help(
            name=name,
            namespace=namespace,
            url_name=url_name,
            template=template,
            title=title,
            area=area,
            area_order=order,
            screen_url=screen_url,
            perm=getattr(view, "required_perm", None),
        )
    # areas in the menu's order; within an area, screens in the order of its URLconf
    # (an app lists its list before its details and forms)
    order = {name: i for i, name in enumerate(urlconf)}
    return dict(
        sorted(
            found.items(),
            key=lambda kv: (kv[1].area_order, kv[1].namespace, order.get(kv[0], len(order))),
        )
    )


def areas(user=None) -> list[dict]:
    """The fragments grouped by area, each with the link to its screen when the
    screen needs no arguments and `user` (when given) may open it."""
    grouped: dict[str, dict] = {}
    for help_ in catalogue().values():
        area = grouped.setdefault(
            help_.namespace, {"title": help_.area, "anchor": help_.namespace, "screens": []}
        )
        may_open = user is None or help_.perm is None or user.has_perm(help_.perm)
        area["screens"].append(
            {"help": help_, "screen_url": help_.screen_url if may_open else None}
        )
    return list(grouped.values())


@cache
def _links() -> dict[str, str]:
    return {name: help_.help_url for name, help_ in catalogue().items()}


def help_url_for(view_name: str | None) -> str | None:
    """The help page of the screen `view_name` ("namespace:name"), or None."""
    return _links().get(view_name) if view_name else None
