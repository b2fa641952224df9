"""Realistic past cases in bulk, for the demo and for benchmarks (and the
names, companies and numbers the demo applications are made of).

`generate_history(count=…)` writes `count` cases spread over the last months
across every published item, each with the status history of its path
(submitted → accepted → approved → completed, not accepted, rejected,
withdrawn, late, suspended…), deadlines from the real working-day calendar,
and nothing else: no files, no audit entry per case (one summary entry).
Rows are written with bulk_create, one transaction per batch. Generated
cases carry form_data {"generated": 1}.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hall.catalogue.models import ServiceItem
from hall.core.services import log_action
from hall.org.models import Staff

from . import querynumbers
from .constants import CaseStatus as S
from .constants import Channel, Delivery, SuspensionKind
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


def _months_ago(today, months: int):
    return today - timedelta(days=round(months * 365.25 / 12))


def generate_history(
    *, count: int, months: int = 12, seed: int = 1, today=None, batch: int = 5000
) -> dict:
    """Bulk-create `count` past cases with their history. Returns figures."""
    from hall.workdays.services import current_calendar

    rng = random.Random(seed)
    now = timezone.now()
    today = today or timezone.localdate()
    if today != timezone.localdate(now):
        now = datetime.combine(today, time(18, 0), tzinfo=timezone.get_current_timezone())
    tz = timezone.get_current_timezone()
    cal = current_calendar()
    items = list(
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
    if not items or count <= 0:
        return {"cases": 0, "status_changes": 0, "suspensions": 0, "statuses": {}}
    weights = [row[6] + 1 for row in items]
    clerks: dict[int, list[int]] = {}
    for dept, user in Staff.objects.filter(
        roles__kind="clerk", department__isnull=False, user__is_active=True
    ).values_list("department_id", "user_id"):
        clerks.setdefault(dept, []).append(user)

    first_day = _months_ago(today, months)
    span = (today - first_day).days + 1
    deadline_cache: dict = {}

    def deadline(day, n, excluded=()):
        if excluded:
            return cal.deadline(day, n, excluded=excluded)
        key = (day, n)
        hit = deadline_cache.get(key)
        if hit is None:
            hit = deadline_cache[key] = cal.deadline(day, n)
        return hit

    workday_cache: dict = {}

    def next_workday(day, n=1):
        key = (day, n)
        hit = workday_cache.get(key)
        if hit is None:
            hit = workday_cache[key] = cal.add_working_days(day, n)
        return hit

    def at(day, lo_minutes, hi_minutes):
        minutes = rng.randint(lo_minutes, hi_minutes)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)

    def applicant(applicant_type):
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

    def add(events, status, when, *, applicant_move=False, reason=""):
        """Append a step, a few minutes after the one before if need be."""
        if events and when <= events[-1][1]:
            when = events[-1][1] + timedelta(minutes=rng.randint(3, 40))
        events.append((status, when, not applicant_move, applicant_move, reason))

    numbers: set[str] = set()

    def new_number():
        while True:
            number = querynumbers.generate()
            if number not in numbers:
                numbers.add(number)
                return number

    stats = {"cases": 0, "status_changes": 0, "suspensions": 0, "statuses": {}}
    per_item: dict[int, int] = {}
    done = 0
    while done < count:
        n = min(batch, count - done)
        picks = rng.choices(items, weights=weights, k=n)
        cases, paths, suspensions = [], [], []
        for item_id, center_id, dept_id, promised, statutory, applicant_type, _ in picks:
            per_item[item_id] = per_item.get(item_id, 0) + 1
            walk_in = rng.random() < 0.6
            day = first_day + timedelta(days=rng.randrange(span))
            if walk_in or rng.random() < 0.7:  # windows open on working days only
                day = day if cal.is_workday(day) else next_workday(day)
                if day > today:
                    day = first_day + timedelta(days=rng.randrange(span))
            submitted = at(day, 510, 1020) if walk_in else at(day, 420, 1430)
            if submitted > now:
                submitted = now - timedelta(minutes=rng.randint(1, 600))
                day = timezone.localdate(submitted)
            clerk_ids = clerks.get(dept_id)
            clerk = rng.choice(clerk_ids) if clerk_ids else None
            kind, name, id_type, id_number, phone = applicant(applicant_type)
            u = rng.random()
            events = []  # (to_status, at, staff action, by applicant, reason)
            suspension = None
            acc_on = None
            late = False

            if walk_in:
                if u < P_NOT_ACCEPTED:
                    add(events, S.NOT_ACCEPTED, submitted, reason=rng.choice(NOT_ACCEPTED_REASONS))
                else:
                    add(events, S.ACCEPTED, submitted)
                    acc_on = day
            else:
                add(events, S.SUBMITTED, submitted, applicant_move=True)
                pre = day
                if u >= P_WITHDRAWN and rng.random() < P_CORRECTION:
                    pre = next_workday(pre)
                    add(events, S.CORRECTION_REQUESTED, at(pre, 540, 1000))
                    pre = pre + timedelta(days=rng.randint(1, 5))
                    add(events, S.SUBMITTED, at(pre, 480, 1380), applicant_move=True)
                if u < P_WITHDRAWN:
                    add(
                        events,
                        S.WITHDRAWN,
                        submitted + timedelta(minutes=rng.randint(10, 2000)),
                        applicant_move=True,
                        reason="申请人主动撤回",
                    )
                else:
                    decide_on = next_workday(pre)
                    if u < P_WITHDRAWN + P_NOT_ACCEPTED:
                        add(
                            events,
                            S.NOT_ACCEPTED,
                            at(decide_on, 540, 1020),
                            reason=rng.choice(NOT_ACCEPTED_REASONS),
                        )
                    else:
                        add(events, S.ACCEPTED, at(decide_on, 540, 960))
                        acc_on = decide_on
            if acc_on is not None:
                if walk_in and u < P_NOT_ACCEPTED + P_WITHDRAWN:
                    # withdrawn at the window, on the applicant's request
                    gone = next_workday(acc_on, rng.randint(0, max(promised, 1)))
                    add(events, S.WITHDRAWN, at(gone, 540, 1020), reason="申请人申请撤回")
                    acc_on_decision = None
                else:
                    acc_on_decision = acc_on
                excluded = ()
                if acc_on_decision is not None and promised >= 2 and rng.random() < P_SUSPENDED:
                    s = rng.randint(0, promised - 2)
                    start = next_workday(acc_on, s) if s else acc_on
                    days = rng.randint(3, 15)
                    end = next_workday(start, days)
                    excluded = ((start, end),)
                    suspension = [start, end, days]
                    add(
                        events,
                        S.SUSPENDED,
                        at(start, 540, 1000),
                        reason=rng.choice(SUSPEND_REASONS),
                    )
                    add(events, S.ACCEPTED, at(end, 540, 1000), reason="特别程序结束，恢复计时")
                    first_k = s + 1
                else:
                    first_k = 0
                p_due = deadline(acc_on, promised, excluded)
                st_due = deadline(acc_on, statutory, excluded)
                if acc_on_decision is not None:
                    r = rng.random() * (1 - P_NOT_ACCEPTED - P_WITHDRAWN)
                    if r < P_REJECTED:
                        outcome = S.REJECTED
                    else:
                        outcome = S.APPROVED
                        late = r < P_REJECTED + P_LATE
                    if late:
                        decide = cal.add_working_days(p_due.due, rng.randint(1, 8))
                    else:
                        k = rng.randint(first_k, max(first_k, promised))
                        decide = cal.add_working_days(acc_on, k, excluded=excluded) if k else acc_on
                    when = at(decide, 540, 990)
                    add(
                        events,
                        outcome,
                        when,
                        reason=rng.choice(REJECT_REASONS) if outcome == S.REJECTED else "",
                    )
                    if outcome == S.APPROVED:
                        add(events, S.COMPLETED, when + timedelta(minutes=rng.randint(5, 60)))
            # what has happened by now
            kept = [e for e in events if e[1] <= now] or events[:1]
            status = kept[-1][0]
            accepted_at = next((e[1] for e in kept if e[0] == S.ACCEPTED), None)
            decided_at = next(
                (e[1] for e in kept if e[0] in (S.APPROVED, S.REJECTED, S.NOT_ACCEPTED)), None
            )
            completed_at = next((e[1] for e in kept if e[0] == S.COMPLETED), None)
            staff_moved = any(e[2] for e in kept)
            promised_due = statutory_due = None
            provisional = False
            if accepted_at is not None:
                if suspension is not None:
                    start, end, days = suspension
                    if status == S.SUSPENDED:
                        excluded = ((start, today),)
                    elif not any(e[0] == S.SUSPENDED for e in kept):
                        excluded, suspension = (), None
                    p_due = deadline(acc_on, promised, excluded)
                    st_due = deadline(acc_on, statutory, excluded)
                promised_due, statutory_due = p_due.due, st_due.due
                provisional = p_due.provisional or st_due.provisional
            case = Case(
                query_number=new_number(),
                item_id=item_id,
                center_id=center_id,
                department_id=dept_id,
                channel=Channel.WALK_IN if walk_in else Channel.ONLINE,
                status=status,
                applicant_kind=kind,
                applicant_name=name,
                id_type=id_type,
                id_number=id_number,
                phone=phone,
                address=f"{rng.choice(STREETS)} {rng.randint(1, 300)} 号",
                form_data=GENERATED,
                submitted_at=submitted,
                accepted_at=accepted_at,
                decided_at=decided_at,
                completed_at=completed_at,
                handled_by_id=clerk if staff_moved else None,
                promised_due=promised_due,
                statutory_due=statutory_due,
                deadline_provisional=provisional,
                delivery=rng.choice(Delivery.values) if completed_at else "",
            )
            cases.append(case)
            paths.append(kept)
            suspensions.append(
                (suspension, status == S.SUSPENDED, clerk) if suspension is not None else None
            )
            stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            changes, rows = [], []
            for case, kept, susp in zip(cases, paths, suspensions, strict=True):
                src = ""
                for status, when, by_staff, by_applicant, reason in kept:
                    changes.append(
                        StatusChange(
                            case_id=case.pk,
                            from_status=src,
                            to_status=status,
                            at=when,
                            actor_id=case.handled_by_id if by_staff else None,
                            by_applicant=by_applicant,
                            reason=reason,
                        )
                    )
                    src = status
                if susp is not None:
                    (start, end, days), open_, clerk = susp
                    rows.append(
                        Suspension(
                            case_id=case.pk,
                            kind=rng.choice(SuspensionKind.values),
                            reason=rng.choice(SUSPEND_REASONS),
                            expected_days=days,
                            started_on=start,
                            ended_on=None if open_ else end,
                            started_by_id=clerk,
                            ended_by_id=None if open_ else clerk,
                        )
                    )
            StatusChange.objects.bulk_create(changes)
            Suspension.objects.bulk_create(rows)
        stats["status_changes"] += len(changes)
        stats["suspensions"] += len(rows)
        done += n
    stats["cases"] = done
    with transaction.atomic():
        for item_id, added in per_item.items():
            ServiceItem.objects.filter(pk=item_id).update(
                application_count=F("application_count") + added
            )
        log_action(
            None,
            "case.history_generated",
            None,
            {
                "cases": done,
                "months": months,
                "seed": seed,
                "status_changes": stats["status_changes"],
            },
            actor_name="generator",
        )
    cases_generated.send(sender=Case)
    return stats
