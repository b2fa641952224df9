"""Realistic past cases in bulk, for the demo and for benchmarks (and the
names, companies and numbers the demo applications are made of).

`generate_history(count=…)` writes `count` cases spread over the last months
across every published item, each with the status history of its path
(submitted → accepted → approved → completed, not accepted, rejected,
withdrawn, late, suspended…), deadlines from the real working-day calendar,
and nothing else: no files, no audit entry per case (one summary entry).
Each history is built as a `Path` that checks every move against the
lifecycle (`workflow.can_move`), so the generator writes only histories the
services could have made. Rows are written with bulk_create, one transaction
per batch. Generated cases carry form_data {"generated": 1}.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hall.catalogue.models import ServiceItem
from hall.core.services import log_action
from hall.org.models import Staff

from . import querynumbers, workflow
from .constants import RESUME_NOTE, Channel, Delivery, SuspensionKind
from .constants import CaseStatus as S
from .models import Case, StatusChange, Suspension
from .signals import cases_generated
from .validators import resident_id_check, uscc_check

GENERATED = {"generated": 1}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = [
    "建国",
    "丽娟",
    "志强",
    "秀英",
    "海峰",
    "晓梅",
    "国平",
    "静",
    "伟",
    "芳",
    "敏",
    "磊",
    "洋",
    "艳",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "子涵",
    "浩然",
    "雨桐",
    "一鸣",
]
COMPANIES = [
    "衢州市{}贸易有限公司",
    "衢州{}食品有限公司",
    "浙江{}建设工程有限公司",
    "衢州市{}餐饮管理有限公司",
    "衢州{}科技有限公司",
]
FIRMS = [
    "恒达",
    "瑞丰",
    "信诚",
    "鼎盛",
    "华泰",
    "金衢",
    "柯城",
    "明德",
    "南孔",
    "三衢",
    "龙游",
    "江山",
]
STREETS = [
    "衢州市柯城区荷花中路",
    "衢州市衢江区振兴东路",
    "衢州市智慧新城九华北大道",
    "龙游县龙洲路",
]
REGIONS = ["330802", "330803", "330822", "330824", "330825", "330881", "330800"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NOT_ACCEPTED_REASONS = [
    "申请事项不属于本部门职权范围，请向有关行政机关申请。",
    "申请人不具备申请资格。",
]
REJECT_REASONS = ["经审查，申请不符合法定条件。", "现场核查不符合许可条件。"]
SUSPEND_REASONS = ["需组织专家评审。", "需进行现场检验。", "申请人申请听证。"]

# Outcome shares (the rest: completed on time).
P_NOT_ACCEPTED, P_WITHDRAWN, P_REJECTED, P_LATE, P_SUSPENDED = 0.03, 0.02, 0.03, 0.08, 0.02
P_CORRECTION = 0.10  # online cases asked to correct once before acceptance


class HistoryError(ValueError):
    """A generated history the case lifecycle does not allow."""


# How a case enters the lifecycle: `case_submit` opens an online application
# submitted by the applicant, `case_walk_in` a window case the clerk accepts or
# does not accept at once. Every later move is checked by `workflow.can_move`.
START = {
    Channel.ONLINE: ({S.SUBMITTED}, True),
    Channel.WALK_IN: ({S.ACCEPTED, S.NOT_ACCEPTED}, False),
}


@dataclass(slots=True)
class Step:
    status: str
    at: datetime
    by_applicant: bool
    reason: str


class Path:
    """The status history of one generated case, each move checked against the
    lifecycle as it is added, so the generator cannot write a history the
    services would refuse."""

    __slots__ = ("channel", "steps", "_rng")

    def __init__(self, channel: str, rng: random.Random):
        self.channel = channel
        self.steps: list[Step] = []
        self._rng = rng

    def move(self, status: str, when: datetime, *, by_applicant=False, reason="") -> None:
        """Append a move, a few minutes after the one before if need be."""
        if self.steps:
            last = self.steps[-1]
            if not workflow.can_move(last.status, status, by_applicant=by_applicant):
                raise HistoryError(
                    f"{last.status} → {status} (by_applicant={by_applicant}) is not allowed"
                )
            if when <= last.at:
                when = last.at + timedelta(minutes=self._rng.randint(3, 40))
        else:
            first, applicant_starts = START[self.channel]
            if status not in first or by_applicant != applicant_starts:
                raise HistoryError(f"a {self.channel} case cannot start {status}")
        self.steps.append(Step(status, when, by_applicant, reason))

    def until(self, now: datetime) -> list[Step]:
        """What has happened by `now` (at least the first step)."""
        return [s for s in self.steps if s.at <= now] or self.steps[:1]


class _Days:
    """The working-day calendar, memoised: a few thousand (day, n) pairs recur
    across a million cases."""

    def __init__(self, cal):
        self.cal = cal
        self._add: dict = {}
        self._deadline: dict = {}

    def is_workday(self, day) -> bool:
        return self.cal.is_workday(day)

    def add(self, day, n: int = 1, excluded=()):
        key = (day, n, excluded)
        hit = self._add.get(key)
        if hit is None:
            hit = self._add[key] = self.cal.add_working_days(day, n, excluded=excluded)
        return hit

    def deadline(self, day, n: int, excluded=()):
        key = (day, n, excluded)
        hit = self._deadline.get(key)
        if hit is None:
            hit = self._deadline[key] = self.cal.deadline(day, n, excluded=excluded)
        return hit


@dataclass
class _Run:
    """What every case of one run shares."""

    rng: random.Random
    now: datetime
    today: date
    tz: object
    days: _Days
    first_day: date
    span: int
    clerks: dict[int, list[int]]
    numbers: set = field(default_factory=set)

    def at(self, day, lo_minutes: int, hi_minutes: int) -> datetime:
        minutes = self.rng.randint(lo_minutes, hi_minutes)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def new_number(self) -> str:
        while True:
            number = querynumbers.generate()
            if number not in self.numbers:
                self.numbers.add(number)
                return number


@dataclass(slots=True)
class _Planned:
    case: Case
    steps: list[Step]
    suspension: tuple | None  # (start, end, expected days, reason, still open, clerk)


def _months_ago(today, months: int):
    return today - timedelta(days=round(months * 365.25 / 12))


def _published_items() -> list[tuple]:
    return list(
        ServiceItem.objects.published().values_list(
            "id",
            "center_id",
            "department_id",
            "promised_days",
            "statutory_days",
            "applicant_type",
            "application_count",
        )
    )


def _clerks_by_department() -> dict[int, list[int]]:
    clerks: dict[int, list[int]] = {}
    for dept, user in Staff.objects.filter(
        roles__kind="clerk", department__isnull=False, user__is_active=True
    ).values_list("department_id", "user_id"):
        clerks.setdefault(dept, []).append(user)
    return clerks


def fake_applicant(rng: random.Random, applicant_type: str, today) -> tuple:
    """(kind, name, id type, valid id number, mobile) of a made-up applicant."""
    company = applicant_type == "company" or (applicant_type == "both" and rng.random() < 0.3)
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    if company:
        first17 = "913308" + "".join(rng.choice(USCC_ALPHABET) for _ in range(11))
        return (
            "company",
            rng.choice(COMPANIES).format(rng.choice(FIRMS)),
            "uscc",
            first17 + uscc_check(first17),
            phone,
        )
    born = today - timedelta(days=rng.randint(18 * 365, 80 * 365))
    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return (
        "person",
        rng.choice(SURNAMES) + rng.choice(GIVEN),
        "resident_id",
        first17 + resident_id_check(first17),
        phone,
    )


def _submission(run: _Run, walk_in: bool) -> tuple[date, datetime]:
    """The day and moment a case came in; windows open on working days only."""
    rng, days = run.rng, run.days
    day = run.first_day + timedelta(days=rng.randrange(run.span))
    if walk_in or rng.random() < 0.7:
        day = day if days.is_workday(day) else days.add(day)
        if day > run.today:
            day = run.first_day + timedelta(days=rng.randrange(run.span))
    submitted = run.at(day, 510, 1020) if walk_in else run.at(day, 420, 1430)
    if submitted > run.now:
        submitted = run.now - timedelta(minutes=rng.randint(1, 600))
        day = timezone.localdate(submitted)
    return day, submitted


def _at_the_window(run: _Run, path: Path, submitted: datetime, day: date, u: float):
    """A walk-in case is accepted or not accepted at once. Returns the acceptance day."""
    if u < P_NOT_ACCEPTED:
        path.move(S.NOT_ACCEPTED, submitted, reason=run.rng.choice(NOT_ACCEPTED_REASONS))
        return None
    path.move(S.ACCEPTED, submitted)
    return day


def _first_answer_wait(submitted: datetime) -> int:
    """Working days until an online application's first answer: the next working
    day, as the applicant is promised, but for about one in twelve that waits a
    day or two longer. Taken from the submission moment, not the random stream,
    so every other drawn figure of the history stays as it was."""
    tick = int(submitted.timestamp()) // 60
    return 1 + (tick % 12 == 0) + (tick % 36 == 0)


def _pre_review(run: _Run, path: Path, submitted: datetime, day: date, u: float):
    """An online application: perhaps one correction round, then withdrawn,
    not accepted or accepted. Returns the acceptance day."""
    rng, days = run.rng, run.days
    path.move(S.SUBMITTED, submitted, by_applicant=True)
    pre = day
    wait = _first_answer_wait(submitted)
    corrected = False
    if u >= P_WITHDRAWN and rng.random() < P_CORRECTION:
        corrected = True
        pre = days.add(pre, wait)
        path.move(S.CORRECTION_REQUESTED, run.at(pre, 540, 1000))
        pre = pre + timedelta(days=rng.randint(1, 5))
        path.move(S.SUBMITTED, run.at(pre, 480, 1380), by_applicant=True)
    if u < P_WITHDRAWN:
        path.move(
            S.WITHDRAWN,
            submitted + timedelta(minutes=rng.randint(10, 2000)),
            by_applicant=True,
            reason="申请人主动撤回",
        )
        return None
    decide_on = days.add(pre, 1 if corrected else wait)
    if u < P_WITHDRAWN + P_NOT_ACCEPTED:
        path.move(
            S.NOT_ACCEPTED,
            run.at(decide_on, 540, 1020),
            reason=rng.choice(NOT_ACCEPTED_REASONS),
        )
        return None
    path.move(S.ACCEPTED, run.at(decide_on, 540, 960))
    return decide_on


def _after_acceptance(
    run: _Run, path: Path, acc_on: date, *, walk_in: bool, u: float, promised: int
):
    """Withdrawn on request, or perhaps a special procedure, then the decision
    (on time or late) and the delivery. Returns the planned suspension."""
    rng, days = run.rng, run.days
    if walk_in and u < P_NOT_ACCEPTED + P_WITHDRAWN:
        gone = days.add(acc_on, rng.randint(0, max(promised, 1)))
        path.move(S.WITHDRAWN, run.at(gone, 540, 1020), reason="申请人申请撤回")
        return None
    suspension, excluded, first_k = None, (), 0
    if promised >= 2 and rng.random() < P_SUSPENDED:
        s = rng.randint(0, promised - 2)
        start = days.add(acc_on, s) if s else acc_on
        length = rng.randint(3, 15)
        end = days.add(start, length)
        excluded = ((start, end),)
        when = run.at(start, 540, 1000)
        reason = rng.choice(SUSPEND_REASONS)
        suspension = (start, end, length, reason)
        path.move(S.SUSPENDED, when, reason=reason)
        path.move(S.ACCEPTED, run.at(end, 540, 1000), reason=RESUME_NOTE)
        first_k = s + 1
    promised_due = days.deadline(acc_on, promised, excluded).due
    r = rng.random() * (1 - P_NOT_ACCEPTED - P_WITHDRAWN)
    outcome = S.REJECTED if r < P_REJECTED else S.APPROVED
    if outcome == S.APPROVED and r < P_REJECTED + P_LATE:
        decide = days.add(promised_due, rng.randint(1, 8))
    else:
        k = rng.randint(first_k, max(first_k, promised))
        decide = days.add(acc_on, k, excluded) if k else acc_on
    when = run.at(decide, 540, 990)
    path.move(outcome, when, reason=rng.choice(REJECT_REASONS) if outcome == S.REJECTED else "")
    if outcome == S.APPROVED:
        path.move(S.COMPLETED, when + timedelta(minutes=rng.randint(5, 60)))
    return suspension


def _clocks(run: _Run, steps: list[Step], acc_on, promised, statutory, suspension):
    """Both due dates of what has happened, excluding the special procedure
    (up to today while it is still open); None before acceptance."""
    if acc_on is None or not any(s.status == S.ACCEPTED for s in steps):
        return None, None, False
    excluded = ()
    if suspension is not None and any(s.status == S.SUSPENDED for s in steps):
        start, end = suspension[:2]
        excluded = ((start, run.today),) if steps[-1].status == S.SUSPENDED else ((start, end),)
    p_due = run.days.deadline(acc_on, promised, excluded)
    st_due = run.days.deadline(acc_on, statutory, excluded)
    return p_due.due, st_due.due, p_due.provisional or st_due.provisional


def _first(steps: list[Step], statuses) -> datetime | None:
    return next((s.at for s in steps if s.status in statuses), None)


def _plan_case(run: _Run, pick: tuple) -> _Planned:
    """One past case: when it came, who applied, its checked history up to now."""
    item_id, center_id, dept_id, promised, statutory, applicant_type, _ = pick
    rng = run.rng
    walk_in = rng.random() < 0.6
    day, submitted = _submission(run, walk_in)
    clerk_ids = run.clerks.get(dept_id)
    clerk = rng.choice(clerk_ids) if clerk_ids else None
    kind, name, id_type, id_number, phone = fake_applicant(rng, applicant_type, run.today)
    u = rng.random()
    channel = Channel.WALK_IN if walk_in else Channel.ONLINE
    path = Path(channel, rng)
    if walk_in:
        acc_on = _at_the_window(run, path, submitted, day, u)
    else:
        acc_on = _pre_review(run, path, submitted, day, u)
    suspension = None
    if acc_on is not None:
        suspension = _after_acceptance(run, path, acc_on, walk_in=walk_in, u=u, promised=promised)
    steps = path.until(run.now)
    status = steps[-1].status
    if suspension is not None and not any(s.status == S.SUSPENDED for s in steps):
        suspension = None
    promised_due, statutory_due, provisional = _clocks(
        run, steps, acc_on, promised, statutory, suspension
    )
    completed_at = _first(steps, (S.COMPLETED,))
    case = Case(
        query_number=run.new_number(),
        item_id=item_id,
        center_id=center_id,
        department_id=dept_id,
        channel=channel,
        status=status,
        applicant_kind=kind,
        applicant_name=name,
        id_type=id_type,
        id_number=id_number,
        phone=phone,
        address=f"{rng.choice(STREETS)} {rng.randint(1, 300)} 号",
        form_data=GENERATED,
        submitted_at=submitted,
        accepted_at=_first(steps, (S.ACCEPTED,)),
        decided_at=_first(steps, (S.APPROVED, S.REJECTED, S.NOT_ACCEPTED)),
        completed_at=completed_at,
        handled_by_id=clerk if any(not s.by_applicant for s in steps) else None,
        promised_due=promised_due,
        statutory_due=statutory_due,
        deadline_provisional=provisional,
        delivery=rng.choice(Delivery.values) if completed_at else "",
    )
    if suspension is not None:
        suspension = (*suspension, status == S.SUSPENDED, clerk)
    return _Planned(case, steps, suspension)


def _write_batch(rng: random.Random, planned: list[_Planned]) -> tuple[int, int]:
    """The cases, their histories and special procedures, in one transaction."""
    with transaction.atomic():
        Case.objects.bulk_create([p.case for p in planned])
        changes, rows = [], []
        for p in planned:
            case, src = p.case, ""
            for step in p.steps:
                changes.append(
                    StatusChange(
                        case_id=case.pk,
                        from_status=src,
                        to_status=step.status,
                        at=step.at,
                        actor_id=None if step.by_applicant else case.handled_by_id,
                        by_applicant=step.by_applicant,
                        reason=step.reason,
                    )
                )
                src = step.status
            if p.suspension is not None:
                start, end, length, reason, open_, clerk = p.suspension
                rows.append(
                    Suspension(
                        case_id=case.pk,
                        kind=rng.choice(SuspensionKind.values),
                        reason=reason,
                        expected_days=length,
                        started_on=start,
                        ended_on=None if open_ else end,
                        started_by_id=clerk,
                        ended_by_id=None if open_ else clerk,
                    )
                )
        StatusChange.objects.bulk_create(changes)
        Suspension.objects.bulk_create(rows)
    return len(changes), len(rows)


def _record_run(per_item: dict[int, int], *, cases: int, months: int, seed: int, changes: int):
    """The items' application counts and one audit entry for the whole run."""
    with transaction.atomic():
        for item_id, added in per_item.items():
            ServiceItem.objects.filter(pk=item_id).update(
                application_count=F("application_count") + added
            )
        log_action(
            None,
            "case.history_generated",
            None,
            {"cases": cases, "months": months, "seed": seed, "status_changes": changes},
            actor_name="generator",
        )


def generate_history(
    *, count: int, months: int = 12, seed: int = 1, today=None, batch: int = 5000
) -> dict:
    """Bulk-create `count` past cases with their history. Returns figures."""
    from hall.workdays.services import current_calendar

    stats = {"cases": 0, "status_changes": 0, "suspensions": 0, "statuses": {}}
    items = _published_items()
    if not items or count <= 0:
        return stats
    now = timezone.now()
    today = today or timezone.localdate()
    if today != timezone.localdate(now):
        now = datetime.combine(today, time(18, 0), tzinfo=timezone.get_current_timezone())
    first_day = _months_ago(today, months)
    run = _Run(
        rng=random.Random(seed),
        now=now,
        today=today,
        tz=timezone.get_current_timezone(),
        days=_Days(current_calendar()),
        first_day=first_day,
        span=(today - first_day).days + 1,
        clerks=_clerks_by_department(),
    )
    weights = [row[6] + 1 for row in items]
    per_item: dict[int, int] = {}
    done = 0
    while done < count:
        n = min(batch, count - done)
        planned = []
        for pick in run.rng.choices(items, weights=weights, k=n):
            per_item[pick[0]] = per_item.get(pick[0], 0) + 1
            p = _plan_case(run, pick)
            stats["statuses"][p.case.status] = stats["statuses"].get(p.case.status, 0) + 1
            planned.append(p)
        changes, suspensions = _write_batch(run.rng, planned)
        stats["status_changes"] += changes
        stats["suspensions"] += suspensions
        done += n
    stats["cases"] = done
    _record_run(per_item, cases=done, months=months, seed=seed, changes=stats["status_changes"])
    cases_generated.send(sender=Case)
    return stats
