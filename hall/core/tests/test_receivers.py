"""Every receiver the hall connects, to its own signals and to Django's, against
a table: adding or dropping one is a visible act (this table changes with it),
and each signal's comment says whether its receivers run inside the sender's
transaction."""

import sys
import weakref

from django.apps import apps
from django.dispatch import Signal

# signal → [(receiver, sender)] in the order they run; "*" is any sender.
EXPECTED = {
    # In the case's transaction (see cases/signals.py).
    "hall.cases.signals.case_event": [
        ("hall.notifications.receivers.queue_case_notifications", "*"),
        ("hall.supervision.receivers.record_case_event", "*"),
        ("hall.announcements.receivers.queue_result", "cases.case"),
        ("hall.ratings.receivers.record_case_event", "*"),
        # 好差评 (the rating channels): the invitation SMS with the signed link
        ("hall.ratings.receivers.queue_rating_invitation", "*"),
    ],
    # In the transaction that saves a rating (see ratings/signals.py).
    "hall.ratings.signals.rating_given": [
        # 差评整改: a bad rating opens its task, a follow-up rating closes it
        ("hall.rectification.receivers.open_task", "*"),
        ("hall.rectification.receivers.close_task", "*"),
    ],
    # In the transaction that records the lock (see org/signals.py).
    "hall.org.signals.account_locked": [
        ("hall.notifications.receivers.queue_account_locked_notice", "*"),
    ],
    # After a bulk write, in the command that made it.
    "hall.cases.signals.cases_generated": [
        ("hall.supervision.receivers.rebuild_after_bulk_load", "*"),
        ("hall.ratings.receivers.rebuild_after_bulk_load", "*"),
    ],
    # In the worker, after the calendar change committed (see workdays/signals.py).
    "hall.workdays.signals.calendar_changed": [
        ("hall.cases.receivers.recompute_open_cases", "*"),
    ],
    # Inside the change of a holiday row: the calendar's cache and pending years.
    "django.db.models.signals.post_save": [
        ("hall.workdays.signals._holiday_changed", "workdays.holiday"),
        ("hall.workdays.signals._year_changed", "workdays.publishedyear"),
    ],
    "django.db.models.signals.post_delete": [
        ("hall.workdays.signals._holiday_changed", "workdays.holiday"),
        ("hall.workdays.signals._year_changed", "workdays.publishedyear"),
    ],
    # The audit entries of logins (core/signals.py), in the login's request.
    # The session list (org/receivers.py) follows them, in the same request.
    "django.contrib.auth.signals.user_logged_in": [
        ("hall.core.signals.audit_login", "*"),
        ("hall.org.receivers.record_staff_session", "*"),
    ],
    "django.contrib.auth.signals.user_logged_out": [
        ("hall.core.signals.audit_logout", "*"),
        ("hall.org.receivers.close_staff_session", "*"),
    ],
    "django.contrib.auth.signals.user_login_failed": [
        ("hall.core.signals.audit_login_failed", "*")
    ],
    "axes.signals.user_locked_out": [("hall.core.signals.audit_locked_out", "*")],
}


def _signal_name(signal: Signal) -> str:
    """Where the signal is defined: Django's module, else another package's
    `signals` module, else ours (others import it under the same name)."""
    places = [
        f"{name}.{attr}"
        for name, module in list(sys.modules.items())
        if module is not None and hasattr(module, "__dict__")
        # a test module that imports a signal does not name it
        if not (name.startswith("tests.") or ".tests." in name or name.endswith("conftest"))
        for attr, value in list(vars(module).items())
        if value is signal
    ]
    assert places, f"a signal no module names: {signal!r}"
    return min(
        places,
        key=lambda p: (
            p.startswith("hall."),
            not p.startswith("django."),
            not p.rsplit(".", 1)[0].endswith("signals"),
            len(p),
            p,
        ),
    )


def _signals() -> list[Signal]:
    """Every signal a module holds. Not gc.get_objects(): the search index
    freezes the heap (gc.freeze), and frozen objects are not listed there."""
    found = {}
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if isinstance(value, Signal):
                found[id(value)] = value
    return list(found.values())


def _receivers() -> dict[str, list[tuple[str, str]]]:
    senders = {id(model): model._meta.label_lower for model in apps.get_models()}
    senders[id(None)] = "*"
    table: dict[str, list[tuple[str, str]]] = {}
    for signal in _signals():
        ours = []
        for lookup_key, ref, *_ in signal.receivers:
            func = ref() if isinstance(ref, weakref.ReferenceType) else ref
            if func is None:
                continue
            name = f"{func.__module__}.{func.__qualname__}"
            if name.startswith("hall.") and ".tests." not in name:
                ours.append((name, senders.get(lookup_key[1], "?")))
        name = _signal_name(signal)
        if ours or name.startswith("hall."):
            table.setdefault(name, []).extend(ours)
    return table


def test_every_receiver_of_every_signal_is_expected():
    assert _receivers() == EXPECTED


def test_every_signal_of_the_hall_is_defined_in_a_signals_module():
    """So that the table above finds them all: no Signal() elsewhere."""
    from pathlib import Path

    import hall

    root = Path(hall.__file__).parent
    stray = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "signals.py"
        and "Signal(" in path.read_text(encoding="utf-8")
    ]
    assert stray == []
