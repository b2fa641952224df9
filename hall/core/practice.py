"""Practice mode (练习模式): whose practice the current request works in.

A clerk who switched practice mode on works with the hall's real staff screens
on practice cases of their own. The owner of the current request's practice
(a user id, or None for real work) is held here; the case model's default
manager reads it, so every screen, selector and service sees only that clerk's
practice cases while it is set, and none at all otherwise. Only
`PracticeModeMiddleware` sets it for a request, and only on staff pages:
public pages, the API, workers and commands always work on real data.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_owner: ContextVar[int | None] = ContextVar("practice_owner", default=None)

# The session key that says the signed-in clerk chose practice mode.
SESSION_KEY = "practice_mode"
# The right to use it (a Meta permission of the practice app).
RIGHT = "practice.use_practice"
# The paths practice mode applies to: the intranet's staff pages.
STAFF_PREFIX = "/staff/"


def current_owner() -> int | None:
    """The user id whose practice the current code works in, or None (real work).
    Also the default of Case.practice_of: a case made in practice is a practice case."""
    return _owner.get()


def is_active() -> bool:
    return _owner.get() is not None


@contextmanager
def acting_for(user_id: int | None):
    """Work as `user_id`'s practice (None: real work) inside the block."""
    token = _owner.set(user_id)
    try:
        yield
    finally:
        _owner.reset(token)


def wanted(request) -> bool:
    """Whether this request works in practice: a signed-in staff member with the
    right, who switched it on in this session, on a staff page."""
    if not request.path_info.startswith(STAFF_PREFIX):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not request.session.get(SESSION_KEY):
        return False
    return user.has_perm(RIGHT)


class PracticeModeMiddleware:
    """After AuthenticationMiddleware (and the staff session checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owner = request.user.pk if wanted(request) else None
        request.practice_mode = owner is not None
        with acting_for(owner):
            return self.get_response(request)


def context_processor(request):
    """PRACTICE_MODE for the banner every page shows while practice is on."""
    return {"PRACTICE_MODE": bool(getattr(request, "practice_mode", False))}
