"""Demo rectification tasks: every bad demo rating gets its task, and thirteen
of them are walked through the services to every stage (some overdue, one
appeal upheld, two closed by a follow-up rating). The tasks of bad ratings
older than SETTLED_AFTER_DAYS were settled long ago: called back, verified,
rectified and answered (about one in twelve late), closed by the applicant's
follow-up rating. When the demo holds no bad
ratings yet, a few are given through the rating service on finished demo
cases. Idempotent: a second run changes nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.org.models import Staff
from hall.ratings import stats
from hall.ratings.constants import BAD_LEVELS, Channel, Kind
from hall.ratings.models import Rating
from hall.ratings.services import rating_submit
from hall.workdays.services import current_calendar

from . import deadlines, services
from .constants import RIGHT_DECIDE, RIGHT_HANDLE
from .constants import TaskStatus as S
from .models import Step, Task

# The stage each of the walked tasks ends in, and how many working days ago
# its bad rating came (so that some are overdue).
PLAN = [
    (S.CALLBACK, 0),
    (S.CALLBACK, 3),  # the call-back is overdue
    (S.VERIFY, 1),
    (S.VERIFY, 2),
    (S.APPEAL, 4),
    (S.APPEAL, 6),
    (S.UPHELD, 5),
    (S.RECTIFY, 5),
    (S.RECTIFY, 20),  # the rectification is overdue
    (S.REPLY, 8),
    (S.FOLLOW_UP, 10),
    (S.CLOSED, 9),
    (S.CLOSED, 12),
]

_BAD = [
    (2, ["unclear_materials"], "材料清单里没写要提供复印件，跑了两趟。"),
    (1, ["attitude"], "窗口人员说话不耐烦。"),
    (2, ["many_visits", "extra_requirements"], "要求补交清单外的证明。"),
    (1, ["overdue"], "承诺五个工作日，实际拖了很久。"),
    (2, ["hard_online"], "网上上传材料总是失败。"),
]
_CALLBACK = "已电话联系申请人，了解到具体情况，申请人同意部门核实后答复。"
_VERIFY = "经调取窗口记录核实，情况属实。"
_APPEAL = "窗口记录显示已一次性告知所需材料，申请人第二次来是为补充签字，非部门原因。"
_REJECT = "证明材料不能说明已一次性告知，申诉不成立，请整改。"
_UPHOLD = "一次性告知单有申请人签字，申诉成立。"
_RECTIFY = "已修订办事指南的材料清单，注明需提供复印件；组织窗口人员学习一次性告知制度。"
_REPLY = "您好，您反映的问题已整改：办事指南已注明所需材料。感谢监督，欢迎追评。"


def _handler(department_id: int):
    for staff in Staff.objects.filter(department_id=department_id).select_related("user"):
        if staff.user.is_active and staff.user.has_perm(RIGHT_HANDLE):
            return staff.user
    return None


def _decider(center_id: int):
    for staff in Staff.objects.filter(center_id=center_id, department__isnull=True).select_related(
        "user"
    ):
        if staff.user.is_active and staff.user.has_perm(RIGHT_DECIDE):
            return staff.user
    return None


def _give_bad_ratings(count: int) -> int:
    """Bad ratings on finished demo cases of departments with a handler."""
    departments = [
        d
        for d in Staff.objects.filter(department__isnull=False)
        .values_list("department_id", flat=True)
        .distinct()
        if _handler(d)
    ]
    cases = (
        Case.objects.filter(status=CaseStatus.COMPLETED, department_id__in=departments)
        .exclude(ratings__kind=Kind.FINISHED)
        .order_by("-completed_at", "id")[: count * 3]
    )
    given = 0
    for i, case in enumerate(cases):
        if given >= count:
            break
        level, tags, comment = _BAD[i % len(_BAD)]
        try:
            rating_submit(
                case=case,
                kind=Kind.FINISHED,
                level=level,
                tags=tags,
                comment=comment,
                channel=Channel.SMS,
            )
        except Exception:  # noqa: BLE001,S112 (a case the demo cannot rate: take the next)
            continue
        given += 1
    return given


def _backdate(task: Task, working_days: int, calendar) -> None:
    """Move a demo task's bad rating `working_days` back, deadlines with it."""
    if not working_days:
        return
    day = timezone.localdate()
    for _i in range(working_days):
        day -= timedelta(days=1)
        while not calendar.is_workday(day):
            day -= timedelta(days=1)
    moment = timezone.localtime(task.opened_at).replace(year=day.year, month=day.month, day=day.day)
    callback = deadlines.callback_due(calendar, day)
    rectify = deadlines.rectify_due(calendar, day, task.rectify_days)
    Rating.objects.filter(pk=task.rating_id).update(rated_at=moment)
    Task.objects.filter(pk=task.pk).update(
        opened_at=moment, callback_due=callback.due, rectify_due=rectify.due
    )
    Step.objects.filter(task=task, from_status="").update(at=moment)
    task.refresh_from_db()


def _walk(task: Task, stage: str) -> None:
    clerk = _handler(task.department_id)
    decider = _decider(task.center_id) or _decider(task.center.parent_id or task.center_id)
    if clerk is None:
        return
    path = {
        S.CALLBACK: [],
        S.VERIFY: ["callback"],
        S.APPEAL: ["callback", "appeal"],
        S.UPHELD: ["callback", "appeal", "uphold"],
        S.RECTIFY: ["callback", "verify"],
        S.REPLY: ["callback", "verify", "rectify"],
        S.FOLLOW_UP: ["callback", "verify", "rectify", "reply"],
        S.CLOSED: ["callback", "appeal", "reject", "rectify", "reply", "follow_up"],
    }[stage]
    for step in path:
        if step == "callback":
            services.task_record_callback(task=task, actor=clerk, reached=True, note=_CALLBACK)
        elif step == "verify":
            services.task_verify(task=task, actor=clerk, note=_VERIFY)
        elif step == "appeal":
            services.task_appeal(task=task, actor=clerk, reason=_APPEAL, files=[_evidence()])
        elif step in ("uphold", "reject"):
            if decider is None:
                return
            services.task_decide_appeal(
                task=task,
                actor=decider,
                upheld=step == "uphold",
                note=_UPHOLD if step == "uphold" else _REJECT,
            )
        elif step == "rectify":
            services.task_record_rectification(task=task, actor=clerk, text=_RECTIFY)
        elif step == "reply":
            services.task_reply(task=task, actor=clerk, text=_REPLY)
        elif step == "follow_up":
            rating_submit(
                case=task.case,
                kind=Kind.FOLLOW_UP,
                level=4,
                tags=["clear_guide"],
                comment="整改后指南写清楚了。",
                channel=Channel.SMS,
            )
        task.refresh_from_db()


SETTLED_AFTER_DAYS = 5
_FOLLOW_UP_LEVELS = [5, 4, 4, 5, 3, 4, 5, 2]


def _settle_old() -> int:
    """Close the tasks of old bad ratings in bulk, with their steps and the
    follow-up ratings that closed them; the counters are rebuilt after."""
    cutoff = timezone.now() - timedelta(days=SETTLED_AFTER_DAYS)
    tasks = list(
        Task.objects.filter(status=S.CALLBACK, opened_at__lt=cutoff)
        .select_related("rating")
        .order_by("id")
    )
    if not tasks:
        return 0
    steps, follow_ups, ratings = [], [], []
    for n, task in enumerate(tasks):
        opened = task.opened_at
        age = (timezone.now() - opened).days  # at least SETTLED_AFTER_DAYS
        task.callback_reached, task.callback_note = True, _CALLBACK
        task.callback_at = opened + timedelta(hours=20)
        task.verification_note = _VERIFY
        late = n % 12 == 11 and age > 28
        days = 26 if late else min(3 + n % 9, age - 2)
        task.rectification = _RECTIFY
        task.rectified_at = opened + timedelta(days=days)
        task.reply = _REPLY
        task.replied_at = task.rectified_at + timedelta(hours=3)
        # never later than yesterday
        task.closed_at = task.replied_at + timedelta(days=min(1 + n % 4, age - days - 1))
        task.on_time = timezone.localdate(task.replied_at) <= task.rectify_due
        task.status = S.CLOSED
        verified = task.callback_at + timedelta(hours=2)
        for at, old, new, note in (
            (task.callback_at, S.CALLBACK, S.VERIFY, _CALLBACK),
            (verified, S.VERIFY, S.RECTIFY, _VERIFY),
            (task.rectified_at, S.RECTIFY, S.REPLY, _RECTIFY),
            (task.replied_at, S.REPLY, S.FOLLOW_UP, _REPLY),
            (task.closed_at, S.FOLLOW_UP, S.CLOSED, ""),
        ):
            steps.append(Step(task=task, from_status=old, to_status=new, at=at, note=note))
        rating = task.rating
        rating.follow_up_open_at = task.replied_at
        ratings.append(rating)
        follow_ups.append(
            Rating(
                case_id=rating.case_id,
                kind=Kind.FOLLOW_UP,
                level=_FOLLOW_UP_LEVELS[n % len(_FOLLOW_UP_LEVELS)],
                tags=[],
                comment="",
                channel=Channel.SMS,
                rated_at=task.closed_at,
                center_id=rating.center_id,
                department_id=rating.department_id,
                item_id=rating.item_id,
                clerk=rating.clerk,
                month=rating.month,
                follows=rating,
            )
        )
    Task.objects.bulk_update(
        tasks,
        [
            "status",
            "callback_reached",
            "callback_note",
            "callback_at",
            "verification_note",
            "rectification",
            "rectified_at",
            "reply",
            "replied_at",
            "closed_at",
            "on_time",
        ],
        batch_size=500,
    )
    Step.objects.bulk_create(steps, batch_size=2000)
    Rating.objects.bulk_update(ratings, ["follow_up_open_at"], batch_size=500)
    Rating.objects.bulk_create(follow_ups, batch_size=2000)
    return len(tasks)


def _evidence():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hall.cases.demo import _pdf

    return SimpleUploadedFile(
        "一次性告知单.pdf", _pdf("一次性告知单"), content_type="application/pdf"
    )


@transaction.atomic
def load(out=None) -> dict:
    # Bad ratings made without the rating service (a bulk load) get their task.
    opened = 0
    orphans = Rating.objects.filter(
        kind=Kind.FINISHED, level__in=BAD_LEVELS, rectification__isnull=True
    ).order_by("id")
    for rating in orphans.iterator(chunk_size=500):
        opened += bool(services.task_open(rating=rating))
    walked = 0
    if not Task.objects.exclude(status=S.CALLBACK).exists():
        missing = len(PLAN) - Task.objects.filter(status=S.CALLBACK).count()
        if missing > 0:
            opened += _give_bad_ratings(missing)
        calendar = current_calendar()
        tasks = list(
            Task.objects.filter(status=S.CALLBACK)
            .select_related("case", "center", "rating")
            .order_by("id")
        )
        tasks = [t for t in tasks if _handler(t.department_id)][: len(PLAN)]
        for task, (stage, days_ago) in zip(tasks, PLAN, strict=False):
            _backdate(task, days_ago, calendar)
            _walk(task, stage)
            walked += 1
    settled = _settle_old()
    if settled:
        stats.rebuild()
    return {"tasks": Task.objects.count(), "opened": opened, "walked": walked, "settled": settled}
