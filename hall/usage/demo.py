"""Demo sign-ins, so the usage sheets have days logged in to count.

The demo's case histories name the clerks who handled them, but nobody ever
signed in: this writes the sign-in sessions (org.StaffSession, ended the same
day) those clerks would have left over the last twelve months: every day they
changed a case, and most other working days. Everything else on the sheets is
computed from the cases. Running it again adds nothing."""

import hashlib
import random
from datetime import datetime, time, timedelta

from django.db.models.functions import TruncDate
from django.utils import timezone

from hall.cases.models import StatusChange
from hall.org.models import Staff, StaffSession

DEMO_AGENT = "Mozilla/5.0 (demo sign-in)"
MONTHS = 12
# Share of the other working days on which a staff member signs in anyway.
P_SIGNED_IN = 0.85


def load(out=None) -> dict:
    if StaffSession.objects.filter(user_agent=DEMO_AGENT).exists():
        return {"sessions": 0}
    from hall.workdays.services import current_calendar

    calendar = current_calendar()
    rng = random.Random(20261203)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    first = today - timedelta(days=MONTHS * 31)
    workdays = [
        first + timedelta(days=i)
        for i in range((today - first).days)
        if calendar.is_workday(first + timedelta(days=i))
    ]
    staff = list(
        Staff.objects.filter(user__is_active=True, user__is_superuser=False, roles__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    worked: dict[int, set] = {}
    for user, day in (
        StatusChange.objects.filter(
            actor_id__in=staff,
            by_applicant=False,
            at__gte=timezone.make_aware(datetime.combine(first, time.min), tz),
        )
        .annotate(day=TruncDate("at"))
        .values_list("actor_id", "day")
        .distinct()
    ):
        worked.setdefault(user, set()).add(day)
    rows = []
    for user in sorted(staff):
        days = set(worked.get(user, ()))
        days.update(d for d in workdays if rng.random() < P_SIGNED_IN)
        for day in sorted(days):
            start = timezone.make_aware(
                datetime.combine(day, time(8, 0)) + timedelta(minutes=rng.randint(0, 90)), tz
            )
            end = start + timedelta(hours=rng.randint(3, 9))
            key = hashlib.sha256(f"demo-{user}-{day}".encode()).hexdigest()
            rows.append(
                StaffSession(
                    user_id=user,
                    key_hash=key,
                    created_at=start,
                    last_seen=end,
                    ended_at=end,
                    ip_address="10.8.0.10",
                    user_agent=DEMO_AGENT,
                )
            )
    StaffSession.objects.bulk_create(rows, batch_size=2000)
    return {"sessions": len(rows)}
