"""A generation token is shared through the cache: a bump anywhere is seen by
every reader of the same key, and by no reader of another."""

import pytest

from hall.core.generations import Generation

pytestmark = pytest.mark.django_db


def test_a_bump_is_seen_by_every_reader_of_the_key_only():
    writer, reader, other = Generation("test:a"), Generation("test:a"), Generation("test:b")
    token, unrelated = reader.current(), other.current()
    assert writer.current() == token == reader.current()  # stable until bumped
    writer.bump()
    assert reader.current() != token
    assert reader.current() == writer.current()
    assert other.current() == unrelated
