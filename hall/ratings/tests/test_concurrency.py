"""Two rating requests for one case at the same moment make exactly one
rating (the case row is the lock, the unique constraint the last word), on
SQLite and on PostgreSQL alike."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from hall.cases.tests.factories import CaseFactory
from hall.ratings import stats, tokens
from hall.ratings.constants import Kind
from hall.ratings.models import Rating, RatingStat


@pytest.fixture(autouse=True)
def _organisation(transactional_db):
    """Transactional tests empty the database afterwards; load the organisation first."""
    from hall.org import demo

    demo.load()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one_rating(online_item):
    case = CaseFactory.create(item=online_item, completed=True)
    token = tokens.make(case.pk, Kind.FINISHED)
    barrier = threading.Barrier(2)
    codes: list[int] = []
    failures: list[BaseException] = []

    def rate(level: int):
        try:
            client = Client()
            barrier.wait(timeout=10)
            response = client.post(
                "/api/v1/ratings",
                json.dumps({"token": token, "level": level, "comment": f"第{level}次"}),
                content_type="application/json",
                REMOTE_ADDR=f"10.0.0.{level}",
            )
            codes.append(response.status_code)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(level,)) for level in (5, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert sorted(codes) == [201, 409]
    assert Rating.objects.filter(case=case).count() == 1
    row = RatingStat.objects.get()
    assert (row.finished, row.rated) == (1, 1)
    assert stats.stored() == stats.recount()
