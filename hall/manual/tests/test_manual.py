"""The online manual: a help page for every staff screen of the URLconf, the
"本页帮助" link on each screen, the index and the printable handbook."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from hall.core.tests.urlwalk import pages
from hall.manual import help
from hall.manual.context_processors import help_link

# ---- the screens of the URLconf -----------------------------------------------------

# Views that serve a file rather than a page: they name the core's file response.
_FILE_SERVERS = {"private_file_response", "serve_case_file", "FileResponse"}


def _methods(view):
    """The HTTP methods a view allows, read from Django's require_http_methods
    (require_GET, require_POST) or a class-based view; None: any."""
    if hasattr(view, "view_class"):
        allowed = [m for m in view.view_class.http_method_names if hasattr(view.view_class, m)]
        return [m.upper() for m in allowed]
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return view.__closure__[code.co_freevars.index("request_method_list")].cell_contents
        view = getattr(view, "__wrapped__", None)
    return None


def _is_download(page) -> bool:
    if re.search(r"\.\w+$", page.route):  # export.xlsx, figures.xlsx
        return True
    view = page.view
    while getattr(view, "__wrapped__", None) is not None:
        view = view.__wrapped__
    return bool(set(getattr(view, "__code__", None).co_names) & _FILE_SERVERS)


def staff_screens() -> dict:
    """{"namespace:name": Page} of every page under /staff/ a browser opens with
    GET: not the POST-only actions, not the file downloads."""
    found = {}
    for name, page in pages("staff/").items():
        methods = _methods(page.view)
        if methods is not None and "GET" not in methods:
            continue
        if _is_download(page):
            continue
        found[name] = page
    return found


SCREENS = staff_screens()


def test_the_walk_tells_screens_from_actions_and_downloads():
    # a page, a page with a form, a POST-only action, a class-based POST, downloads
    assert {"cases:queue", "cases:walk_in", "org:login"} <= set(SCREENS)
    assert not {"cases:accept", "org:logout", "catalogue:export", "cases:staff_file"} & set(SCREENS)


def test_every_staff_screen_has_a_help_page():
    missing = sorted(set(SCREENS) - set(help.fragments()))
    assert not missing, (
        f"staff screens without help (write templates/help/<namespace>/<name>.html): {missing}"
    )


def test_every_help_page_is_of_a_staff_screen():
    stale = sorted(set(help.fragments()) - set(SCREENS))
    assert not stale, f"help fragments of no staff screen: {stale}"


def test_each_fragment_has_its_sections():
    for name, template in help.fragments().items():
        source = Path(_path(template)).read_text(encoding="utf-8")
        assert source.startswith("{% load i18n %}"), name
        assert source.count("<h2>") >= 2, f"{name}: fewer than two sections"


def _path(template: str) -> str:
    from django.template.loader import get_template

    return get_template(template).origin.name


# ---- the link on each screen ------------------------------------------------------


def test_a_screen_links_to_its_help_page(login_as):
    client = login_as("scjg_clerk")
    screen = client.get(reverse("cases:queue"))
    url = reverse("manual:page", args=["cases", "queue"])
    assert f'<a href="{url}" rel="help">本页帮助</a>' in screen.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>帮助：网上预审</h1>" in text
    assert "每天先看“待预审”" in text  # the fragment itself
    assert f'href="{reverse("cases:queue")}"' in text  # back to the screen


def test_the_link_is_english_in_english(login_as):
    client = login_as("scjg_clerk")
    client.cookies["django_language"] = "en"
    text = client.get(reverse("cases:queue")).content.decode()
    assert ">Help on this page</a>" in text
    page = client.get(reverse("manual:page", args=["cases", "queue"])).content.decode()
    assert "Start each day with" in page


def test_a_screen_without_help_has_no_link(login_as):
    # the login page is shown signed out: no link to a manual that needs signing in
    from django.test import Client

    text = Client().get(reverse("org:login")).content.decode()
    assert 'rel="help"' not in text


def test_the_link_costs_no_query():
    class Request:
        path = "/staff/cases/"
        resolver_match = type("Match", (), {"view_name": "cases:queue"})()

    # No database here: a query would fail the test.
    found = help_link(Request())
    assert found == {"HELP_URL": reverse("manual:page", args=["cases", "queue"])}
    help_link(Request())
    assert help.fragments.cache_info().misses == 1  # the folders were read once


# ---- the pages and who reads them -------------------------------------------------


def test_a_clerk_reads_the_help_of_a_screen_they_cannot_open(login_as):
    client = login_as("scjg_clerk")
    assert client.get(reverse("core:audit_log")).status_code == 404
    page = client.get(reverse("manual:page", args=["core", "audit_log"]))
    assert page.status_code == 200
    assert reverse("core:audit_log") not in page.content.decode()  # no link to a 404


def test_the_index_groups_the_screens_and_links_only_what_the_user_may_open(login_as):
    client = login_as("scjg_clerk")
    text = client.get(reverse("manual:index")).content.decode()
    for name in help.fragments():
        namespace, url_name = name.split(":")
        assert reverse("manual:page", args=[namespace, url_name]) in text, name
    assert '<h2 id="area-cases">办件办理</h2>' in text
    assert f'href="{reverse("cases:queue")}"' in text
    assert f'href="{reverse("core:audit_log")}"' not in text


def test_the_handbook_holds_every_fragment_once(login_as):
    text = login_as("scjg_clerk").get(reverse("manual:handbook")).content.decode()
    for found in help.catalogue().values():
        assert text.count(f'<h3 id="{found.anchor}">') == 1, found.name
        assert f'href="#{found.anchor}"' in text, f"{found.name} not in the contents"
    assert text.count('<article class="handbook-screen"') == len(help.fragments())
    assert "<h2>" not in text.split('<section class="handbook-area"', 1)[1].replace(
        '<h2 id="area-', ""
    ), "a fragment's own <h2> left undemoted"
    assert "每天先看“待预审”" in text


@pytest.mark.parametrize(
    "path",
    [
        "/staff/help/cases/nope/",
        "/staff/help/nope/queue/",
        "/staff/help/../../settings/",
        "/staff/help/..%2F..%2Fsettings/x/",
        "/staff/help/cases/queue.html/",
        "/staff/help/CASES/queue/",
        "/staff/help/cases/",
    ],
)
def test_an_unknown_help_page_is_404(login_as, path):
    assert login_as("scjg_clerk").get(path).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("manual:index"),
        reverse("manual:handbook"),
        reverse("manual:page", args=["cases", "queue"]),
    ],
)
def test_anonymous_visitors_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login"))


def test_the_manual_is_in_every_staff_members_menu(login_as):
    text = login_as("zrzy_clerk").get(reverse("org:landing")).content.decode()
    assert f'href="{reverse("manual:index")}"' in text


def test_every_help_page_has_a_title():
    # a screen outside the menu is titled in hall/manual/titles.py
    untitled = sorted(name for name, found in help.catalogue().items() if found.title == name)
    assert not untitled, f"help pages without a title (add a row to TITLES): {untitled}"
