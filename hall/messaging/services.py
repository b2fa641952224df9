"""Every write of the messages between windows: a thread started, a reply, a
thread marked read. Each checks here, where the write happens, the actor's
right, that they take part in the thread, and the reach of every party."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hall.core.files import kept_name, upload_sha256, validate_upload
from hall.core.plaintext import plain_text
from hall.core.services import log_action

from . import selectors
from .constants import (
    ADDRESSEES_MAX,
    BODY_MAX,
    FILE_KINDS,
    FILE_MAX_BYTES,
    FILES_MAX,
    RIGHT_USE,
    SUBJECT_MAX,
    ParticipantKind,
)
from .errors import MessagingError, MessagingForbidden
from .models import Message, MessageFile, Participant, ReadMark, Thread

OUT_OF_REACH = _(
    "收件方不在您可以联系的范围内：市中心可联系本中心和各县（市、区）中心，"
    "县（市、区）中心可联系本中心和市中心，不能联系其他县（市、区）。"
)


def clean_text(value, label: str, *, max_length: int) -> str:
    """Plain text as staff typed it (hall/core/plaintext.py), or a MessagingError."""
    try:
        return plain_text(value, label, max_length=max_length)
    except ValidationError as exc:
        raise MessagingError(exc.messages[0]) from None


def check_files(uploads) -> list:
    """Each file judged by its content (the hall's one set of upload checks)."""
    if len(uploads) > FILES_MAX:
        raise MessagingError(_("每条消息最多 %(n)d 个附件。") % {"n": FILES_MAX})
    kinds = []
    for upload in uploads:
        try:
            kinds.append(validate_upload(upload, allowed=FILE_KINDS, max_bytes=FILE_MAX_BYTES))
        except ValidationError as exc:
            raise MessagingError(" ".join(exc.messages)) from None
    return kinds


def _actor_staff(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise MessagingForbidden(_("请先以工作人员身份登录。"))
    staff = getattr(actor, "staff", None)
    if staff is None or not actor.has_perm(RIGHT_USE):
        raise MessagingForbidden(_("您没有使用信息互动的权限。"))
    return staff


def _check_part(actor, thread: Thread) -> None:
    if not selectors.threads_of(actor).filter(pk=thread.pk).exists():
        raise MessagingForbidden(_("您不是该会话的参与方。"))


def _save_files(message: Message, uploads, kinds) -> None:
    for upload, found in zip(uploads, kinds, strict=True):
        record = MessageFile(
            message=message,
            original_name=kept_name(upload, found),
            kind=found.code,
            size=upload.size,
            sha256=upload_sha256(upload),
        )
        record.file.save(f"m{found.extension}", upload, save=False)
        record.save()


def _author_name(staff) -> str:
    return selectors.staff_label(staff)[:200]


def _post(*, thread: Thread, actor, staff, body: str, uploads, kinds, now) -> Message:
    message = Message.objects.create(
        thread=thread, author=actor, author_name=_author_name(staff), body=body, sent_at=now
    )
    _save_files(message, uploads, kinds)
    Thread.objects.filter(pk=thread.pk).update(
        last_message_id=message.pk, last_message_at=now, message_count=F("message_count") + 1
    )
    # One's own message is read: it never counts as unread for its author.
    ReadMark.objects.update_or_create(
        thread=thread, user=actor, defaults={"last_read_id": message.pk, "read_at": now}
    )
    return message


@transaction.atomic
def thread_start(
    *,
    actor,
    subject: str,
    body: str,
    departments=(),
    windows=(),
    staff_members=(),
    uploads=(),
) -> Thread:
    """Start a thread from the actor to the chosen departments, windows and
    staff members (values checked by the form, checked again here)."""
    me = _actor_staff(actor)
    subject = clean_text(subject, _("主题"), max_length=SUBJECT_MAX)
    body = clean_text(body, pgettext("messaging", "消息内容"), max_length=BODY_MAX)
    parties = []
    for d in departments:
        parties.append((ParticipantKind.DEPARTMENT, d, d.center_id, selectors.department_label(d)))
    for w in windows:
        parties.append(
            (ParticipantKind.WINDOW, w, w.department.center_id, selectors.window_label(w))
        )
    for s in staff_members:
        if s.pk != me.pk:
            parties.append((ParticipantKind.STAFF, s, s.center_id, selectors.staff_label(s)))
    keys = {f"{kind}:{obj.pk}" for kind, obj, _c, _l in parties}
    if not keys:
        raise MessagingError(_("请至少选择一个收件方（部门、窗口或工作人员）。"))
    if len(keys) > ADDRESSEES_MAX:
        raise MessagingError(_("收件方不能超过 %(n)d 个。") % {"n": ADDRESSEES_MAX})
    reach = selectors.reach_center_ids(me.center)
    centers = {c for _k, _o, c, _l in parties} | {me.center_id}
    if not centers <= reach or not selectors.centers_reach_each_other(centers):
        raise MessagingForbidden(OUT_OF_REACH)
    kinds = check_files(list(uploads))
    now = timezone.now()
    thread = Thread.objects.create(
        subject=subject, center=me.center, started_by=actor, started_at=now, last_message_at=now
    )
    rows = [
        Participant(
            thread=thread,
            kind=ParticipantKind.STAFF,
            staff=me,
            center_id=me.center_id,
            label=selectors.staff_label(me)[:200],
            key=f"staff:{me.pk}",
        )
    ]
    seen = {f"staff:{me.pk}"}
    for kind, obj, center_id, label in parties:
        key = f"{kind}:{obj.pk}"
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Participant(
                thread=thread,
                kind=kind,
                center_id=center_id,
                label=label[:200],
                key=key,
                **{str(kind): obj},
            )
        )
    Participant.objects.bulk_create(rows)
    message = _post(
        thread=thread, actor=actor, staff=me, body=body, uploads=uploads, kinds=kinds, now=now
    )
    log_action(
        actor,
        "messaging.start",
        thread,
        {"parties": sorted(seen), "message": message.pk, "files": len(kinds)},
    )
    thread.refresh_from_db()
    return thread


@transaction.atomic
def message_send(*, actor, thread: Thread, body: str, uploads=()) -> Message:
    """A reply in a thread the actor takes part in."""
    me = _actor_staff(actor)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    _check_part(actor, locked)
    body = clean_text(body, pgettext("messaging", "回复内容"), max_length=BODY_MAX)
    kinds = check_files(list(uploads))
    message = _post(
        thread=locked,
        actor=actor,
        staff=me,
        body=body,
        uploads=uploads,
        kinds=kinds,
        now=timezone.now(),
    )
    log_action(actor, "messaging.reply", locked, {"message": message.pk, "files": len(kinds)})
    return message


@transaction.atomic
def thread_mark_read(*, actor, thread: Thread) -> bool:
    """Move the actor's mark to the thread's newest message; False when it was there."""
    _actor_staff(actor)
    _check_part(actor, thread)
    newest = Thread.objects.filter(pk=thread.pk).values_list("last_message_id", flat=True).get()
    mark, created = ReadMark.objects.get_or_create(
        thread=thread, user=actor, defaults={"last_read_id": newest}
    )
    if not created:
        if mark.last_read_id >= newest:
            return False
        ReadMark.objects.filter(pk=mark.pk).update(last_read_id=newest, read_at=timezone.now())
    log_action(actor, "messaging.read", thread, {"upto": newest})
    return True
