"""Generation tokens: a value in the shared cache that changes whenever some
content changes (the catalogue, the holiday calendar…). A process that holds a
copy of that content, or a cached page built from it, compares the token it
built with to the current one, so one `bump()` anywhere invalidates every copy
in every process, without telling them.
"""

import uuid

from django.core.cache import cache


class Generation:
    def __init__(self, key: str):
        self.key = key

    def current(self) -> str:
        """The token now; the first reader sets one (`add`, so two first readers agree)."""
        token = cache.get(self.key)
        if token is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            token = cache.get(self.key)
        return token

    def bump(self) -> None:
        """A new token: every copy built with an older one is out of date."""
        cache.set(self.key, uuid.uuid4().hex, None)
