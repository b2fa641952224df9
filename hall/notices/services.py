"""Every write of 中心布置工作: sending, the read receipt, a task's feedback and
the reminder. Each checks its actor's right and reach here, where the write
happens, whatever the page offered."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.core.files import kept_name, validate_upload
from hall.core.plaintext import plain_text
from hall.core.services import log_action
from hall.workdays.services import current_calendar

from . import deadlines, selectors, workflow
from .constants import (
    BODY_MAX,
    FEEDBACK_MAX,
    FILE_KINDS,
    FILE_MAX_BYTES,
    FILES_PER_POST,
    MAX_DUE_DAYS,
    MIN_DUE_DAYS,
    RIGHT_FEEDBACK,
    RIGHT_SEND,
    TITLE_MAX,
    Kind,
    UnitKind,
)
from .constants import ReceiptStatus as S
from .errors import NoticeError, NoticeForbidden
from .models import Attachment, Feedback, Notice, Recipient


def _text(value, label, *, max_length: int, required: bool = True) -> str:
    """Plain text, refused with the reason (the same checks as the hall's other notes)."""
    try:
        return plain_text(value, label, required=required, max_length=max_length)
    except ValidationError as exc:
        raise NoticeError(exc.messages[0]) from None


def check_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > FILES_PER_POST:
        raise NoticeError(_("附件最多 %(n)d 个文件。") % {"n": FILES_PER_POST})
    kinds = []
    for upload in files:
        try:
            kinds.append(validate_upload(upload, allowed=FILE_KINDS, max_bytes=FILE_MAX_BYTES))
        except ValidationError as exc:
            raise NoticeError(" ".join(exc.messages)) from None
    return kinds


def _save_files(notice: Notice, feedback: Feedback | None, files, kinds) -> None:
    for upload, kind in zip([f for f in files or [] if f], kinds, strict=True):
        upload.seek(0)
        record = Attachment(
            notice=notice,
            feedback=feedback,
            original_name=kept_name(upload, kind),
            kind=kind.code,
            size=upload.size,
        )
        record.file.save(f"n{kind.extension}", upload, save=False)
        record.save()


def _check_right(actor, right: str, message: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NoticeForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise NoticeForbidden(message)


def sender_center(actor, center=None):
    """The center a user sends for: their own center, if they work at center
    level; a superuser names one."""
    if actor.is_superuser and center is not None:
        return center
    staff = selectors.staff_of(actor)
    if staff is None or staff.department_id is not None:
        raise NoticeForbidden(_("只有中心的工作人员可以发送通知和任务。"))
    if center is not None and center.pk != staff.center_id:
        raise NoticeForbidden(_("只能以本中心的名义发送通知和任务。"))
    return staff.center


def _ids(values) -> set[int]:
    found = set()
    for v in values or []:
        pk = getattr(v, "pk", v)
        try:
            found.add(int(pk))
        except (TypeError, ValueError):
            raise NoticeError(_("接收单位无效，请从列表中选择。")) from None
    return found


@transaction.atomic
def notice_send(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    departments=(),
    windows=(),
    centers=(),
    due_days=None,
    files=(),
    center=None,
) -> Notice:
    """Send a notice, or a task whose feedback is due `due_days` working days
    after today, to units within the sender center's reach."""
    _check_right(actor, RIGHT_SEND, _("您没有发送通知和任务的权限。"))
    center = sender_center(actor, center)
    if kind not in Kind.values:
        raise NoticeError(_("请选择发送通知还是工作任务。"))
    title = _text(title, _("标题"), max_length=TITLE_MAX)
    body = _text(body, _("正文"), max_length=BODY_MAX)
    reach = selectors.reach(center)
    wanted = {
        UnitKind.DEPARTMENT: _ids(departments),
        UnitKind.WINDOW: _ids(windows),
        UnitKind.CENTER: _ids(centers),
    }
    if not any(wanted.values()):
        raise NoticeError(_("请至少选择一个接收单位。"))
    found = {
        UnitKind.DEPARTMENT: {
            d.pk: d for d in reach["departments"].filter(pk__in=wanted["department"])
        },
        UnitKind.WINDOW: {w.pk: w for w in reach["windows"].filter(pk__in=wanted["window"])},
        UnitKind.CENTER: {c.pk: c for c in reach["centers"].filter(pk__in=wanted["center"])},
    }
    for unit, ids in wanted.items():
        if set(found[unit]) != ids:
            raise NoticeError(
                _(
                    "所选接收单位不在本中心的发送范围内：中心只能发给本中心的部门、窗口，市中心还可发给县（市、区）中心。"
                )
            )
    due = None
    if kind == Kind.TASK:
        try:
            due_days = int(due_days)
        except (TypeError, ValueError):
            due_days = 0
        if not MIN_DUE_DAYS <= due_days <= MAX_DUE_DAYS:
            raise NoticeError(
                _("反馈时限应为 %(lo)d 至 %(hi)d 个工作日。")
                % {"lo": MIN_DUE_DAYS, "hi": MAX_DUE_DAYS}
            )
        due = deadlines.due(current_calendar(), timezone.localdate(), due_days)
    else:
        due_days = None
    kinds = check_files(files)
    notice = Notice.objects.create(
        center=center,
        kind=kind,
        title=title,
        body=body,
        sent_by=actor,
        due_days=due_days,
        due_on=due.due if due else None,
        due_provisional=bool(due and due.provisional),
    )
    rows = []
    for d in found[UnitKind.DEPARTMENT].values():
        rows.append(
            Recipient(
                notice=notice,
                unit_kind=UnitKind.DEPARTMENT,
                unit_key=f"department:{d.pk}",
                center_id=d.center_id,
                department=d,
            )
        )
    for w in found[UnitKind.WINDOW].values():
        rows.append(
            Recipient(
                notice=notice,
                unit_kind=UnitKind.WINDOW,
                unit_key=f"window:{w.pk}",
                center_id=w.department.center_id,
                department_id=w.department_id,
                window=w,
            )
        )
    for c in found[UnitKind.CENTER].values():
        rows.append(
            Recipient(notice=notice, unit_kind=UnitKind.CENTER, unit_key=f"center:{c.pk}", center=c)
        )
    Recipient.objects.bulk_create(rows)
    _save_files(notice, None, files, kinds)
    log_action(
        actor,
        "notices.send",
        notice,
        {"kind": kind, "recipients": len(rows), "due": due.due.isoformat() if due else None},
        center_id=center.pk,
    )
    return notice


def _move(recipient: Recipient, to: str, actor, **fields) -> None:
    if not workflow.can_move(recipient.status, to):
        raise NoticeError(_("该通知的状态已变化，请刷新页面后再试。"))
    recipient.status = to
    for name, value in fields.items():
        setattr(recipient, name, value)
    recipient.save(update_fields=["status", *fields])


@transaction.atomic
def notice_open(*, notice: Notice, actor) -> list[Recipient]:
    """The read receipt: the first time a staff member of a recipient unit opens
    the notice, that unit has read it (who, when). Opening it again, or by anyone
    else, records nothing."""
    q = selectors.unit_q(selectors.staff_of(actor))
    if q is None:
        return []
    now = timezone.now()
    marked = []
    for r in (
        Recipient.objects.select_for_update()
        .filter(q, notice=notice, status=S.UNREAD)
        .order_by("id")
    ):
        _move(r, S.READ, actor, read_at=now, read_by=actor)
        log_action(
            actor,
            "notices.read",
            notice,
            {"recipient": r.pk, "unit": r.unit_key},
            center_id=notice.center_id,
        )
        marked.append(r)
    return marked


@transaction.atomic
def task_feedback(*, recipient: Recipient, actor, text: str, files=()) -> Feedback:
    """A unit's feedback on a task, once: text and files. After the due date it
    is still taken, and marked late."""
    _check_right(actor, RIGHT_FEEDBACK, _("您没有反馈工作任务的权限。"))
    locked = (
        selectors.feedback_recipients(actor)
        .select_for_update()
        .select_related("notice")
        .filter(pk=recipient.pk)
        .first()
    )
    if locked is None or locked.notice.kind != Kind.TASK:
        raise NoticeForbidden(_("该工作任务不是发给您所在单位的。"))
    if locked.status == S.FED_BACK:
        raise NoticeError(_("本单位已反馈过该任务，不能重复反馈。"))
    text = _text(text, _("反馈内容"), max_length=FEEDBACK_MAX)
    kinds = check_files(files)
    now = timezone.now()
    notice = locked.notice
    if locked.status == S.UNREAD:
        _move(locked, S.READ, actor, read_at=now, read_by=actor)
        log_action(
            actor,
            "notices.read",
            notice,
            {"recipient": locked.pk, "unit": locked.unit_key},
            center_id=notice.center_id,
        )
    on_time = notice.due_on is None or deadlines.on_time(timezone.localdate(now), notice.due_on)
    feedback = Feedback.objects.create(
        recipient=locked, text=text, at=now, by=actor, late=not on_time
    )
    _save_files(notice, feedback, files, kinds)
    _move(locked, S.FED_BACK, actor, fed_back_at=now, fed_back_on_time=on_time)
    log_action(
        actor,
        "notices.feedback",
        notice,
        {"recipient": locked.pk, "unit": locked.unit_key, "late": not on_time},
        center_id=notice.center_id,
    )
    recipient.__dict__.update(status=locked.status, fed_back_at=now, fed_back_on_time=on_time)
    return feedback


@transaction.atomic
def tasks_remind(*, today=None) -> int:
    """Mark each unit whose task is due within DUE_SOON_DAYS working days and
    not fed back as reminded, once: its staff see the reminder on arrival.
    Running it again the same day, or the next, reminds no one twice."""
    today = today or timezone.localdate()
    until = deadlines.due_soon_until(current_calendar(), today)
    rows = (
        Recipient.objects.select_for_update()
        .select_related("notice")
        .filter(
            notice__kind=Kind.TASK,
            notice__due_on__gte=today,
            notice__due_on__lte=until,
            reminded_at__isnull=True,
        )
        .exclude(status=S.FED_BACK)
        .order_by("id")
    )
    now = timezone.now()
    count = 0
    for r in rows:
        Recipient.objects.filter(pk=r.pk).update(reminded_at=now)
        log_action(
            None,
            "notices.remind",
            r.notice,
            {"recipient": r.pk, "unit": r.unit_key, "due": r.notice.due_on.isoformat()},
            center_id=r.notice.center_id,
            actor_name=_("系统提醒"),
        )
        count += 1
    return count
