"""Every write of the complaints hall: a complaint filed, accepted or not,
investigated, answered, closed, reopened by the complainant, escalated when
late, shared with the department, published. Each staff move checks its
actor's right and scope here, where the write happens."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.cases import querynumbers
from hall.core import ratelimit
from hall.core.files import kept_name, upload_sha256, validate_upload
from hall.core.services import log_action
from hall.notifications.constants import Event
from hall.notifications.services import notification_for_event
from hall.workdays.services import current_calendar

from . import deadlines, masking, selectors, workflow
from .constants import (
    ANSWER_MAX,
    FILE_KINDS,
    FILE_MAX_BYTES,
    FILES_MAX,
    FINDINGS_MAX,
    REASON_MAX,
    REOPEN_DAYS,
    REOPEN_LIMIT,
    RIGHT_HANDLE,
    RIGHT_PUBLISH,
    RIGHT_SETTINGS,
    NotAcceptedReason,
    TargetKind,
)
from .constants import ComplaintStatus as S
from .errors import ComplaintError, ComplaintForbidden, FilingLimited
from .models import Complaint, ComplaintFile, FeedbackSettings

# ---- filing ------------------------------------------------------------------------


def text_hash(description: str) -> str:
    """The same words, however spaced or in whichever width, give the same digest."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", description).lower())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def filing_limit_hit(client: str, *, anonymous: bool) -> None:
    """Count one try to file from `client` (page and API alike, before the form is
    read); FilingLimited once over the hourly limit, tighter when anonymous."""
    message = _("提交投诉过于频繁，请稍后再试。如有急事，请拨打中心投诉电话。")
    limit, window = settings.COMPLAINT_LIMIT_PER_CLIENT
    if not ratelimit.hit("complaint-file", client, limit=limit, window=window):
        raise FilingLimited(message, retry_after=ratelimit.retry_after(window))
    if anonymous:
        limit, window = settings.COMPLAINT_ANONYMOUS_LIMIT_PER_CLIENT
        if not ratelimit.hit("complaint-anon", client, limit=limit, window=window):
            raise FilingLimited(
                _("匿名投诉过于频繁，请稍后再试，或留下联系电话实名投诉。"),
                retry_after=ratelimit.retry_after(window),
            )


DUPLICATE = _("30 天内已提交过相同内容的投诉，请勿重复提交。可凭投诉编号和手机号查看进展。")
WRONG_CASE = _("办件查询号与手机号不匹配，请核对后重新填写，或不填相关办件。")


def is_duplicate(description: str, phone: str) -> bool:
    since = timezone.now() - timedelta(days=settings.COMPLAINT_DUPLICATE_DAYS)
    return Complaint.objects.filter(
        text_hash=text_hash(description), phone=phone, filed_at__gte=since
    ).exists()


def proven_case(number: str, phone: str):
    """The case of query number + its whole phone, or None."""
    from hall.cases.models import Case

    number = querynumbers.normalise(number)
    phone = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", phone or ""))[:20]
    if not querynumbers.is_valid(number) or not phone:
        return None
    return Case.objects.filter(query_number=number, phone=phone).first()


def check_files(uploads) -> list:
    """Each file judged by its content (the uploads' checks of the whole hall); kinds."""
    if len(uploads) > FILES_MAX:
        raise ComplaintError(_("最多上传 %(n)d 个附件。") % {"n": FILES_MAX})
    kinds = []
    for upload in uploads:
        try:
            kinds.append(validate_upload(upload, allowed=FILE_KINDS, max_bytes=FILE_MAX_BYTES))
        except ValidationError as exc:
            raise ComplaintError(" ".join(exc.messages)) from None
    return kinds


def _target(*, kind: str, department, item, window, staff):
    """(center, department) of the object complained about; the object decides
    the center (a complaint about another center's staff goes to that center)."""
    if kind == TargetKind.STAFF and staff is not None:
        if staff.department_id is None:
            return staff.center, None
        return staff.center, staff.department
    if kind == TargetKind.WINDOW and window is not None:
        return window.department.center, window.department
    if kind == TargetKind.ITEM and item is not None:
        return item.center, item.department
    if kind == TargetKind.DEPARTMENT and department is not None:
        return department.center, department
    raise ComplaintError(_("请选择投诉对象。"))


@transaction.atomic
def complaint_file(
    *,
    kind: str,
    category: str,
    description: str,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    department=None,
    item=None,
    window=None,
    staff=None,
    case=None,
    uploads=(),
    center=None,
) -> Complaint:
    """File a complaint (values checked by the form or the API): its number.
    `center`, when given, is the one the complainant chose: an object outside it
    is refused."""
    target_center, target_department = _target(
        kind=kind, department=department, item=item, window=window, staff=staff
    )
    if target_department is None:
        raise ComplaintError(_("该工作人员不属于任何部门，请改为投诉中心或部门。"))
    if center is not None and target_center.pk != center.pk:
        raise ComplaintError(_("所选投诉对象不属于该中心，请重新选择。"))
    if anonymous:
        name, phone = "", ""
    elif not phone:
        raise ComplaintError(_("请填写联系电话，或选择匿名投诉。"))
    if is_duplicate(description, phone):
        raise ComplaintError(DUPLICATE)
    kinds = check_files(list(uploads))
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                row = Complaint.objects.create(
                    center=target_center,
                    target_kind=kind,
                    department=target_department,
                    item=item if kind == TargetKind.ITEM else None,
                    window=window if kind == TargetKind.WINDOW else None,
                    staff=staff if kind == TargetKind.STAFF else None,
                    case=case,
                    number=querynumbers.generate(),
                    category=category,
                    description=description,
                    anonymous=anonymous,
                    name=name,
                    phone=phone,
                    text_hash=text_hash(description),
                    filed_at=now,
                    clock_from=timezone.localdate(now),
                )
            break
        except IntegrityError:  # a number drawn twice: draw again
            continue
    else:  # pragma: no cover
        raise ComplaintError(_("系统繁忙，请稍后再试。"))
    for upload, found in zip(uploads, kinds, strict=True):
        record = ComplaintFile(
            complaint=row,
            original_name=kept_name(upload, found),
            kind=found.code,
            size=upload.size,
            sha256=upload_sha256(upload),
        )
        record.file.save(f"f{found.extension}", upload, save=False)
        record.save()
    log_action(
        None,
        "feedback.file",
        row,
        {"kind": kind, "anonymous": anonymous},
        actor_name=_("投诉人"),
    )
    return row


# ---- the complainant's lookup ----------------------------------------------------------


@dataclass
class Lookup:
    complaint: Complaint | None = None
    limited: bool = False
    retry_after: int = 0


def complaint_lookup(*, client: str, number: str, phone: str) -> Lookup:
    """Number + whole phone, held to the limits of the cases' lookup. A wrong
    phone and an unknown number are the same miss; an anonymous complaint has
    no phone and is never found."""
    number = querynumbers.normalise(number)
    per_client, window = settings.LOOKUP_LIMIT_PER_CLIENT
    if not ratelimit.hit("lookup-ip", client, limit=per_client, window=window):
        return Lookup(limited=True, retry_after=ratelimit.retry_after(window))
    misses = [
        ("lookup-miss-ip", client, settings.LOOKUP_MISSES_PER_CLIENT),
        (
            "complaint-miss-pair",
            f"{client}|{number[:20]}",
            settings.LOOKUP_MISSES_PER_CLIENT_NUMBER,
        ),
    ]
    for scope, ident, (limit, win) in misses:
        if ratelimit.exceeded(scope, ident, limit=limit, window=win):
            return Lookup(limited=True, retry_after=ratelimit.retry_after(win))
    phone = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", phone or ""))[:20]
    found = None
    if querynumbers.is_valid(number) and phone:
        found = Complaint.objects.filter(number=number, phone=phone, anonymous=False).first()
    if found is None:
        for scope, ident, (limit, win) in misses:
            ratelimit.hit(scope, ident, limit=limit, window=win)
    return Lookup(complaint=found)


# ---- staff moves ---------------------------------------------------------------------


def check_actor(actor, complaint: Complaint | None, right: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ComplaintForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise ComplaintForbidden(_("您没有办理投诉的该项权限。"))
    if (
        complaint is not None
        and not selectors.complaints_visible_to(actor).filter(pk=complaint.pk).exists()
    ):
        raise ComplaintForbidden(_("该投诉不在您的办理范围内。"))


def _stale(src: str, to: str) -> ComplaintError:
    return ComplaintError(
        _("投诉当前状态为“%(src)s”，不能变更为“%(dst)s”。页面可能已过期，请刷新后再试。")
        % {"src": S(src).label, "dst": S(to).label}
    )


def _move(*, complaint: Complaint, to: str, actor, reason: str = "", **fields) -> Complaint:
    """Lock the row, check the move against the table and the actor's right and
    scope, write the fields and the audit entry."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    src = locked.status
    right = workflow.right_for(src, to)
    if right is None or right == workflow.COMPLAINANT:
        raise _stale(src, to)
    check_actor(actor, locked, right)
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    log_action(actor, f"feedback.{to}", locked, {"from": src, "to": to, "reason": reason[:500]})
    complaint.__dict__.update({f: getattr(locked, f) for f in ["status", *fields]})
    return complaint


def _clean_text(value: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ComplaintError(_("请填写%(label)s。") % {"label": label})
    if len(value) > max_length:
        raise ComplaintError(
            _("%(label)s不能超过 %(max)d 个字。") % {"label": label, "max": max_length}
        )
    return value


def due_of(complaint: Complaint, calendar=None) -> date:
    calendar = calendar or current_calendar()
    return deadlines.answer_due(
        calendar, complaint.clock_from, selectors.answer_days(complaint.center)
    )


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor) -> Complaint:
    _move(complaint=complaint, to=S.ACCEPTED, actor=actor, accepted_at=timezone.now())
    if complaint.phone and not complaint.anonymous:
        notification_for_event(
            event=Event.COMPLAINT_ACCEPTED,
            center=complaint.center,
            phone=complaint.phone,
            values={
                "number": complaint.display_number,
                "deadline": due_of(complaint).strftime("%Y-%m-%d"),
            },
            key=f"complaint:{complaint.pk}:accepted",
            department_id=complaint.department_id,
        )
    return complaint


@transaction.atomic
def complaint_not_accept(*, complaint: Complaint, actor, reason: str, note: str = "") -> Complaint:
    if reason not in NotAcceptedReason.values:
        raise ComplaintError(_("请选择不予受理的理由。"))
    note = (note or "").strip()[:REASON_MAX]
    return _move(
        complaint=complaint,
        to=S.NOT_ACCEPTED,
        actor=actor,
        reason=f"{reason} {note}".strip(),
        not_accepted_reason=reason,
        not_accepted_note=note,
        closed_at=timezone.now(),
    )


@transaction.atomic
def complaint_investigate(*, complaint: Complaint, actor) -> Complaint:
    return _move(complaint=complaint, to=S.INVESTIGATING, actor=actor)


@transaction.atomic
def complaint_answer(*, complaint: Complaint, actor, answer: str, findings: str) -> Complaint:
    answer = _clean_text(answer, _("答复内容"), ANSWER_MAX)
    findings = _clean_text(findings, _("调查结论"), FINDINGS_MAX)
    _move(
        complaint=complaint,
        to=S.ANSWERED,
        actor=actor,
        answer=answer,
        findings=findings,
        answered_at=timezone.now(),
        answered_by=actor,
    )
    if complaint.phone and not complaint.anonymous:
        notification_for_event(
            event=Event.COMPLAINT_ANSWERED,
            center=complaint.center,
            phone=complaint.phone,
            values={"number": complaint.display_number},
            key=f"complaint:{complaint.pk}:answered:{complaint.reopen_count}",
            department_id=complaint.department_id,
        )
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor) -> Complaint:
    return _move(complaint=complaint, to=S.CLOSED, actor=actor, closed_at=timezone.now())


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str, today: date | None = None) -> Complaint:
    """The complainant (proved by number + phone) asks once, within 10 working
    days of the answer, to reopen: back to investigation, the clock from today."""
    reason = _clean_text(reason, _("不满意的理由"), REASON_MAX)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.anonymous:
        raise ComplaintError(_("匿名投诉无法答复，也不能申请重新处理。"))
    if locked.reopen_count >= REOPEN_LIMIT:
        raise ComplaintError(
            _("每件投诉只能申请重新处理一次，您已申请过。如仍有异议，请拨打中心投诉电话。")
        )
    if locked.status != S.ANSWERED or locked.answered_at is None:
        raise _stale(locked.status, S.INVESTIGATING)
    today = today or timezone.localdate()
    until = deadlines.reopen_until(current_calendar(), timezone.localdate(locked.answered_at))
    if today > until:
        raise ComplaintError(
            _("答复后 %(n)d 个工作日内可申请重新处理（截止 %(until)s），现已超过期限。")
            % {"n": REOPEN_DAYS, "until": until.strftime("%Y-%m-%d")}
        )
    src = locked.status
    locked.status = S.INVESTIGATING
    locked.reopen_count += 1
    locked.reopen_reason = reason
    locked.clock_from = today
    locked.escalated_at = None
    locked.escalated_to = None
    locked.save(
        update_fields=[
            "status",
            "reopen_count",
            "reopen_reason",
            "clock_from",
            "escalated_at",
            "escalated_to",
        ]
    )
    log_action(
        None,
        "feedback.reopen",
        locked,
        {"from": src, "to": S.INVESTIGATING, "reason": reason},
        actor_name=_("投诉人"),
    )
    complaint.refresh_from_db()
    return complaint


def reopen_state(complaint: Complaint, today: date | None = None) -> dict:
    """Whether the complainant may reopen today, and until when."""
    if complaint.status != S.ANSWERED or complaint.answered_at is None or complaint.anonymous:
        return {"allowed": False, "until": None}
    until = deadlines.reopen_until(current_calendar(), timezone.localdate(complaint.answered_at))
    today = today or timezone.localdate()
    return {
        "allowed": complaint.reopen_count < REOPEN_LIMIT and today <= until,
        "until": until,
        "used": complaint.reopen_count >= REOPEN_LIMIT,
    }


# ---- 督办 -------------------------------------------------------------------------------


@transaction.atomic
def complaints_escalate(*, today: date | None = None) -> int:
    """Record the escalation of every complaint overdue `today` not yet recorded
    since its clock started (idempotent: a second run records nothing)."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    qs = Complaint.objects.filter(
        status__in=workflow.WAITING, escalated_at__isnull=True
    ).select_related("center")
    count = 0
    for c in selectors.overdue(qs, calendar, today).select_for_update():
        if c.escalated_at is not None:
            continue
        to = c.center.parent or c.center
        c.escalated_at = timezone.now()
        c.escalated_to = to
        c.save(update_fields=["escalated_at", "escalated_to"])
        due = deadlines.answer_due(calendar, c.clock_from, selectors.answer_days(c.center))
        log_action(
            None,
            "feedback.escalate",
            c,
            {"to_center": to.pk, "due": due.isoformat()},
            actor_name=_("系统督办"),
        )
        count += 1
    return count


# ---- sharing and publishing --------------------------------------------------------------


@transaction.atomic
def complaint_share(*, complaint: Complaint, actor) -> Complaint:
    """Tell the department concerned the findings (never the complainant's name or phone)."""
    check_actor(actor, complaint, RIGHT_HANDLE)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in workflow.ANSWERED:
        raise ComplaintError(_("答复后才能向部门通报调查结论。"))
    if locked.shared_at is not None:
        raise ComplaintError(_("已向部门通报过调查结论。"))
    locked.shared_at = timezone.now()
    locked.save(update_fields=["shared_at"])
    log_action(actor, "feedback.share", locked, {"department": locked.department_id})
    complaint.shared_at = locked.shared_at
    return complaint


def _names(complaint: Complaint) -> list[str]:
    names = [complaint.name] if complaint.name else []
    if complaint.staff_id and complaint.staff.user.full_name:
        names.append(complaint.staff.user.full_name)
    return names


def masked_draft(complaint: Complaint) -> tuple[str, str]:
    names = _names(complaint)
    return (
        masking.mask(complaint.description, names=names),
        masking.mask(complaint.answer, names=names),
    )


def shared_description(complaint: Complaint) -> str:
    """The description as the department reads it: the complainant's data masked."""
    return masking.mask(complaint.description, names=[complaint.name] if complaint.name else [])


@transaction.atomic
def complaint_publish(*, complaint: Complaint, actor, text: str, answer: str) -> Complaint:
    """Publish the complaint and its answer anonymised: what the reviewer left
    unmasked is masked again."""
    from .constants import DESCRIPTION_MAX

    check_actor(actor, complaint, RIGHT_PUBLISH)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in workflow.ANSWERED:
        raise ComplaintError(_("答复后才能公开投诉及答复。"))
    names = _names(locked)
    locked.published_text = masking.mask(
        _clean_text(text, _("公开的投诉内容"), DESCRIPTION_MAX), names=names
    )
    locked.published_answer = masking.mask(
        _clean_text(answer, _("公开的答复"), ANSWER_MAX), names=names
    )
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_text", "published_answer", "published_at"])
    log_action(actor, "feedback.publish", locked)
    complaint.__dict__.update(
        {
            "published_text": locked.published_text,
            "published_answer": locked.published_answer,
            "published_at": locked.published_at,
        }
    )
    return complaint


@transaction.atomic
def feedback_settings_save(*, center, actor, answer_days: int) -> FeedbackSettings:
    if actor is None or not actor.has_perm(RIGHT_SETTINGS):
        raise ComplaintForbidden(_("您没有修改投诉大厅设置的权限。"))
    staff = getattr(actor, "staff", None)
    if not actor.is_superuser and (staff is None or staff.center_id != center.pk):
        raise ComplaintForbidden(_("只能修改本中心的设置。"))
    if not 1 <= answer_days <= 60:
        raise ComplaintError(_("答复时限应为 1 至 60 个工作日。"))
    row, _created = FeedbackSettings.objects.update_or_create(
        center=center, defaults={"answer_days": answer_days}
    )
    log_action(
        actor, "feedback.settings", center, {"answer_days": answer_days}, center_id=center.pk
    )
    return row
