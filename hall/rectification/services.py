"""Every write of 差评整改. A task is opened by a bad rating and closed by the
applicant's follow-up rating, both inside the rating's transaction; each staff
step checks its actor's right and scope here, where the write happens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.core.files import kept_name, validate_upload
from hall.core.plaintext import plain_text
from hall.core.services import log_action
from hall.ratings import stats
from hall.ratings.constants import BAD_LEVELS, Kind
from hall.ratings.models import Rating
from hall.workdays.services import current_calendar

from . import deadlines, selectors, workflow
from .constants import (
    EVIDENCE_KINDS,
    EVIDENCE_MAX_BYTES,
    EVIDENCE_PER_APPEAL,
    MAX_RECTIFY_DAYS,
    MIN_RECTIFY_DAYS,
    NOTE_MAX,
    RIGHT_SETTINGS,
)
from .constants import TaskStatus as S
from .errors import TaskError, TaskForbidden
from .models import Evidence, RectificationSettings, Step, Task


def clean_note(value, label: str, *, required: bool = True, max_length: int = NOTE_MAX) -> str:
    """Plain text as staff typed it (hall/core/plaintext.py), or a TaskError."""
    try:
        return plain_text(value, label, required=required, max_length=max_length)
    except ValidationError as exc:
        raise TaskError(exc.messages[0]) from None


def rating_key(rating: Rating) -> dict:
    """The counters' row of a rating (its case's month, center, department, item, clerk)."""
    return {
        "month": rating.month,
        "center_id": rating.center_id,
        "department_id": rating.department_id,
        "item_id": rating.item_id,
        "clerk": rating.clerk,
    }


# ---- opened and closed by the applicant's ratings ----------------------------------


def task_open(*, rating: Rating) -> Task | None:
    """Open the department's task of a bad rating (kind finished), inside the
    rating's transaction: its deadlines on the working-day calendar, its first
    step, the tasks_opened counter and the audit entry. Any other rating opens
    nothing."""
    if rating.kind != Kind.FINISHED or rating.level not in BAD_LEVELS:
        return None
    if Task.objects.filter(rating=rating).exists():
        return None
    calendar = current_calendar()
    rated_on = timezone.localdate(rating.rated_at)
    days = selectors.rectify_days(rating.center_id)
    callback = deadlines.callback_due(calendar, rated_on)
    rectify = deadlines.rectify_due(calendar, rated_on, days)
    task = Task.objects.create(
        rating=rating,
        case_id=rating.case_id,
        center_id=rating.center_id,
        department_id=rating.department_id,
        status=S.CALLBACK,
        opened_at=rating.rated_at,
        rectify_days=days,
        callback_due=callback.due,
        rectify_due=rectify.due,
        deadline_provisional=callback.provisional or rectify.provisional,
    )
    Step.objects.create(task=task, from_status="", to_status=S.CALLBACK, at=rating.rated_at)
    stats.bump(**rating_key(rating), tasks_opened=1)
    log_action(
        None,
        "rectification.open",
        task,
        {
            "rating": rating.pk,
            "case": rating.case_id,
            "level": rating.level,
            "due": rectify.due.isoformat(),
        },
        actor_name=_("申请人差评"),
    )
    return task


def _close(task: Task, *, done_on) -> None:
    """Count a task that has just closed: closed, and on time if done within its days."""
    task.on_time = deadlines.on_time(done_on, task.rectify_due)
    task.closed_at = timezone.now()
    Task.objects.filter(pk=task.pk).update(on_time=task.on_time, closed_at=task.closed_at)
    stats.bump(**rating_key(task.rating), tasks_closed=1, tasks_on_time=int(task.on_time))


def task_close_by_follow_up(*, rating: Rating) -> Task | None:
    """The applicant's follow-up rating (追评) closes the task waiting for it,
    inside the rating's transaction. A follow-up of a task in another state
    changes nothing of it."""
    if rating.kind != Kind.FOLLOW_UP or rating.follows_id is None:
        return None
    task = (
        Task.objects.select_for_update()
        .select_related("rating")
        .filter(rating_id=rating.follows_id)
        .first()
    )
    if task is None or task.status != S.FOLLOW_UP:
        return None
    task.status = S.CLOSED
    task.save(update_fields=["status"])
    note = _("申请人追评：%(level)s") % {"level": rating.get_level_display()}
    Step.objects.create(task=task, from_status=S.FOLLOW_UP, to_status=S.CLOSED, note=note)
    _close(task, done_on=timezone.localdate(task.replied_at or timezone.now()))
    log_action(
        None,
        "rectification.closed",
        task,
        {"from": S.FOLLOW_UP, "to": S.CLOSED, "note": note},
        actor_name=_("申请人"),
    )
    return task


# ---- the department's and the center's steps ----------------------------------------


def check_actor(actor, task: Task | None, right: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise TaskForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise TaskForbidden(_("您没有办理差评整改的该项权限。"))
    if task is not None and not selectors.tasks_visible_to(actor).filter(pk=task.pk).exists():
        raise TaskForbidden(_("该整改任务不在您的办理范围内。"))


_ACTIONS = {
    S.VERIFY: _("记录回访"),
    S.RECTIFY: _("进入整改"),
    S.APPEAL: _("提出申诉"),
    S.UPHELD: _("认定申诉成立"),
    S.REPLY: _("记录整改措施"),
    S.FOLLOW_UP: _("答复申请人"),
}


def _move(*, task: Task, to: str, actor, note: str, **fields) -> Task:
    """Lock the row, check the move against the table and the actor's right and
    scope, write the fields, the step and the audit entry."""
    locked = Task.objects.select_for_update().select_related("rating", "case").get(pk=task.pk)
    src = locked.status
    right = workflow.right_for(src, to)
    if right is None or right == workflow.APPLICANT:
        raise TaskError(
            _("整改任务当前状态为“%(src)s”，不能%(action)s。页面可能已过期，请刷新后再试。")
            % {"src": S(src).label, "action": _ACTIONS.get(to, S(to).label)}
        )
    check_actor(actor, locked, right)
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    Step.objects.create(task=locked, from_status=src, to_status=to, actor=actor, note=note)
    log_action(
        actor,
        f"rectification.{to}",
        locked,
        {"from": src, "to": to, "note": note[:500]},
    )
    task.__dict__.update({f: getattr(locked, f) for f in ["status", *fields]})
    return locked


@transaction.atomic
def task_record_callback(*, task: Task, actor, reached, note: str) -> Task:
    """The call-back (回访): reached or not, and what was said."""
    if reached not in (True, False):
        raise TaskError(_("请选择是否联系上申请人。"))
    note = clean_note(note, _("回访情况"))
    summary = (_("已联系上") if reached else _("未联系上")) + "：" + note
    return _move(
        task=task,
        to=S.VERIFY,
        actor=actor,
        note=summary,
        callback_reached=reached,
        callback_note=note,
        callback_at=timezone.now(),
    )


@transaction.atomic
def task_verify(*, task: Task, actor, note: str) -> Task:
    """The department finds the rating justified: rectify."""
    note = clean_note(note, _("核实情况"))
    return _move(task=task, to=S.RECTIFY, actor=actor, note=note, verification_note=note)


def check_evidence(files) -> list:
    """Each file by its content (the hall's one set of checks); the kinds."""
    files = list(files or [])
    if not files:
        raise TaskError(_("申诉须附证明材料（PDF 或图片）。"))
    if len(files) > EVIDENCE_PER_APPEAL:
        raise TaskError(_("证明材料最多 %(n)d 个文件。") % {"n": EVIDENCE_PER_APPEAL})
    kinds = []
    for upload in files:
        try:
            kinds.append(
                validate_upload(upload, allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
            )
        except ValidationError as exc:
            raise TaskError(" ".join(exc.messages)) from None
    return kinds


@transaction.atomic
def task_appeal(*, task: Task, actor, reason: str, files) -> Task:
    """The department appeals the rating, with evidence: the center decides."""
    reason = clean_note(reason, _("申诉理由"))
    kinds = check_evidence(files)
    locked = _move(
        task=task,
        to=S.APPEAL,
        actor=actor,
        note=reason,
        appeal_reason=reason,
    )
    for upload, kind in zip(files, kinds, strict=True):
        upload.seek(0)
        record = Evidence(
            task=locked,
            original_name=kept_name(upload, kind),
            kind=kind.code,
            size=upload.size,
        )
        record.file.save(f"e{kind.extension}", upload, save=False)
        record.save()
    return locked


@transaction.atomic
def task_decide_appeal(*, task: Task, actor, upheld, note: str) -> Task:
    """The center decides the appeal: upheld closes the task (counted closed, and
    on time if decided within the days); rejected sends it to rectification."""
    if upheld not in (True, False):
        raise TaskError(_("请选择申诉是否成立。"))
    note = clean_note(note, _("审核意见"))
    now = timezone.now()
    locked = _move(
        task=task,
        to=S.UPHELD if upheld else S.RECTIFY,
        actor=actor,
        note=note,
        appeal_decision=note,
        appeal_decided_at=now,
    )
    if upheld:
        _close(locked, done_on=timezone.localdate(now))
        task.on_time, task.closed_at = locked.on_time, locked.closed_at
    return locked


@transaction.atomic
def task_record_rectification(*, task: Task, actor, text: str) -> Task:
    """What the department changed."""
    text = clean_note(text, _("整改措施"))
    return _move(
        task=task,
        to=S.REPLY,
        actor=actor,
        note=text,
        rectification=text,
        rectified_at=timezone.now(),
    )


@transaction.atomic
def task_reply(*, task: Task, actor, text: str) -> Task:
    """The reply to the applicant: recorded, sent by SMS with the follow-up
    link (through the outbox, in this transaction), and the follow-up rating
    opened."""
    from hall.notifications.constants import Event
    from hall.notifications.services import notification_for_event
    from hall.ratings import tokens
    from hall.ratings.services import rating_open_follow_up

    text = clean_note(text, _("答复内容"), max_length=500)
    locked = _move(
        task=task, to=S.FOLLOW_UP, actor=actor, note=text, reply=text, replied_at=timezone.now()
    )
    case = locked.case
    # An applicant who declined SMS reads the reply and the follow-up offer on
    # the status page; the reply is recorded either way.
    if case.sms_opt_in:
        notification_for_event(
            event=Event.RECTIFICATION_REPLY,
            center=case.center,
            phone=case.phone,
            values={
                "item": case.item.name,
                "number": case.display_number,
                "link": tokens.link(case.pk, Kind.FOLLOW_UP),
            },
            key=f"rectification:{locked.id}:reply",
            department_id=locked.department_id,
            case=case,
        )
    rating_open_follow_up(rating=locked.rating, actor=actor)
    return locked


# ---- the center's settings ---------------------------------------------------------------


@transaction.atomic
def settings_update(*, center, actor, days) -> RectificationSettings:
    """A center's number of working days to rectify; new tasks count with it."""
    check_actor(actor, None, RIGHT_SETTINGS)
    if not actor.is_superuser and selectors.own_center_id(actor) != center.pk:
        raise TaskForbidden(_("只能修改本中心的设置。"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not MIN_RECTIFY_DAYS <= days <= MAX_RECTIFY_DAYS:
        raise TaskError(
            _("整改时限应为 %(lo)d 至 %(hi)d 个工作日。")
            % {"lo": MIN_RECTIFY_DAYS, "hi": MAX_RECTIFY_DAYS}
        )
    before = selectors.rectify_days(center.pk)
    row, _created = RectificationSettings.objects.update_or_create(
        center=center, defaults={"rectify_days": days}
    )
    log_action(
        actor, "rectification.settings", row, {"before": before, "after": days}, center_id=center.pk
    )
    return row


# ---- the counters' recount -------------------------------------------------------------


def recount_source():
    """Every task as the counters count it (stats.register_source)."""
    rows = Task.objects.values_list(
        "status",
        "on_time",
        "rating__month",
        "rating__center_id",
        "rating__department_id",
        "rating__item_id",
        "rating__clerk",
    )
    for status, on_time, month, center, department, item, clerk in rows.iterator(chunk_size=5000):
        closed = status in workflow.CLOSED
        counts = {"tasks_opened": 1}
        if closed:
            counts["tasks_closed"] = 1
            if on_time:
                counts["tasks_on_time"] = 1
        key = {
            "month": month,
            "center_id": center,
            "department_id": department,
            "item_id": item,
            "clerk": clerk,
        }
        yield key, counts
