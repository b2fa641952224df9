"""The public columns' pages come from the page cache for visitors without a
session, and a change in the column (its index's token) is seen at once."""

import pytest

from hall.agencies.search import INDEX as AGENCIES
from hall.announcements.search import ANNOUNCEMENTS, RESULTS
from hall.policies.search import INDEX as POLICIES
from hall.qa.search import INDEX as QUESTIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("/policies/", POLICIES),
        ("/qa/", QUESTIONS),
        ("/announcements/", ANNOUNCEMENTS),
        ("/announcements/results/", RESULTS),
        ("/agencies/", AGENCIES),
    ],
)
def test_a_list_is_cached_until_its_column_changes(client, path, index):
    first = client.get(path)
    assert first.status_code == 200 and "X-Page-Cache" not in first
    assert client.get(path)["X-Page-Cache"] == "hit"
    index.changed()
    assert "X-Page-Cache" not in client.get(path)


def test_the_home_page_is_cached_until_any_column_or_the_catalogue_changes(client):
    assert "X-Page-Cache" not in client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    RESULTS.changed()
    assert "X-Page-Cache" not in client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    from hall.catalogue.search import catalogue_changed

    catalogue_changed()
    assert "X-Page-Cache" not in client.get("/")
