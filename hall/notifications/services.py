"""Every write of the notifications: the outbox, templates, resends, the
worker's claims and results, delivery receipts and the staff digest."""

import random
import re
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.cases.signals import CASE_EVENT_REPLY
from hall.core.services import log_action

from . import rendering
from .constants import (
    CASE_EVENTS,
    DEFAULT_SMS_ENABLED,
    DEFAULT_TEMPLATES,
    MOBILE_RE,
    TEMPLATE_EVENTS,
    Channel,
    Event,
    Status,
)
from .gateways import Result
from .models import Notification, NotificationTemplate

_MOBILE = re.compile(MOBILE_RE)


class NotificationError(Exception):
    pass


# --- templates ------------------------------------------------------------------


def template_for(center, event: str, channel: str) -> tuple[str, bool]:
    """(text, enabled) for a center: its own row, else the nearest center above
    it with one, else the built-in text (enabled for the default events)."""
    current, seen = center, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        row = NotificationTemplate.objects.filter(
            center_id=current.pk, event=event, channel=channel
        ).first()
        if row is not None:
            try:
                return rendering.check(row.text), row.enabled
            except rendering.TemplateError:
                # Saved through another door with a bad text: the built-in one is
                # better than no message at all.
                return str(DEFAULT_TEMPLATES[event]), row.enabled
        current = current.parent
    return str(DEFAULT_TEMPLATES[event]), event in DEFAULT_SMS_ENABLED


@transaction.atomic
def template_save(
    *, center, event: str, channel: str, text: str, enabled: bool, actor
) -> NotificationTemplate:
    if event not in TEMPLATE_EVENTS or channel != Channel.SMS:
        raise NotificationError(_("没有这个通知模板。"))
    text = rendering.check(text)
    row, created = NotificationTemplate.objects.select_for_update().get_or_create(
        center=center,
        event=event,
        channel=channel,
        defaults={"text": text, "enabled": enabled, "updated_by": actor},
    )
    old = None if created else {"text": row.text, "enabled": row.enabled}
    if not created:
        row.text, row.enabled, row.updated_by = text, enabled, actor
        row.save()
    log_action(
        actor,
        "notifications.template_save",
        row,
        {"event": event, "channel": channel, "enabled": enabled, "text": text, "old": old},
        center_id=center.pk,
    )
    return row


# --- the outbox -------------------------------------------------------------------


def normalise_mobile(phone: str) -> str | None:
    """The 11-digit mainland mobile number, or None when it is not one."""
    m = _MOBILE.match(re.sub(r"[\s\-]", "", phone or ""))
    return m.group(1) if m else None


def _queue(rows: list[Notification]) -> int:
    """Insert rows whose key is new; a repeated key is a repeated action and adds
    nothing. ON CONFLICT DO NOTHING, so the caller's transaction stays usable.
    A practice case (练习办件) sends nothing, whichever event queued it."""
    rows = [r for r in rows if r.case is None or not r.case.practice]
    if not rows:
        return 0
    before = Notification.objects.filter(idempotency_key__in=[r.idempotency_key for r in rows])
    known = set(before.values_list("idempotency_key", flat=True))
    fresh = [r for r in rows if r.idempotency_key not in known]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def notifications_for_case_event(*, case, event: str, message=None) -> int:
    """Queue what a case change sends. Called inside the change's transaction
    (the case_event signal): the rows commit or roll back with it."""
    if event not in CASE_EVENTS:
        return 0
    if not case.sms_opt_in:
        return 0
    text, enabled = template_for(case.center, event, Channel.SMS)
    if not enabled:
        return 0
    round_tag = str(case.round)
    if event == CASE_EVENT_REPLY and message is not None:
        round_tag = f"{case.round}m{message.pk}"
    row = Notification(
        case=case,
        center_id=case.center_id,
        department_id=case.department_id,
        channel=Channel.SMS,
        event=event,
        recipient=case.phone,
        text=rendering.render(text, rendering.case_values(case)),
        idempotency_key=f"case:{case.pk}:{event}:{Channel.SMS}:{round_tag}",
    )
    mobile = normalise_mobile(case.phone)
    if mobile is None:
        # Kept as a failure, so staff see it in the alert list, never sent.
        row.status = Status.FAILED
        row.failed_at = timezone.now()
        row.last_error = _("手机号码不是有效的中国大陆手机号，未发送。")
    else:
        row.recipient = mobile
    return _queue([row])


def notification_for_question(*, question) -> int:
    """Queue the SMS telling an asker of the Q&A column that the answer is there.
    Called inside the answer's transaction: the row commits or rolls back with it;
    the key makes a repeated answer queue nothing new."""
    return notification_for_event(
        event=Event.QUESTION_ANSWERED,
        center=question.center,
        phone=question.phone,
        values={"number": question.display_number},
        key=f"question:{question.pk}:answered",
        department_id=question.department_id,
    )


def notification_for_event(
    *,
    event: str,
    center,
    phone: str,
    values: dict[str, str],
    key: str,
    department_id: int | None = None,
    case=None,
) -> int:
    """Queue the SMS of one of the non-case events (a complaint's step, a rating
    invitation, a rectification's reply) to `phone`, from the center's template
    of `event` with `values` (missing placeholders default to the center's
    phone and the signature). Called inside the transaction of the change: the
    row commits or rolls back with it; `key` (unique) makes a repeated action
    queue nothing new. A number that is not a mainland mobile, or a template
    the center switched off, queues nothing."""
    text, enabled = template_for(center, event, Channel.SMS)
    mobile = normalise_mobile(phone)
    if not enabled or mobile is None:
        return 0
    filled = {
        "item": "",
        "name": "",
        "deadline": "",
        "number": "",
        "link": "",
        "phone": center.phone or settings.HALL_PHONE,
        "signature": rendering.signature(),
        **values,
    }
    row = Notification(
        case=case,
        center_id=center.pk,
        department_id=department_id,
        channel=Channel.SMS,
        event=event,
        recipient=mobile,
        text=rendering.render(text, filled),
        idempotency_key=key[:120],
    )
    return _queue([row])


@transaction.atomic
def notification_resend(*, notification: Notification, actor) -> Notification:
    """Send a failed message again, as a new message for the provider."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != Status.FAILED:
        raise NotificationError(_("只有发送失败的通知可以重发。页面可能已过期，请刷新后再试。"))
    if locked.channel == Channel.SMS and normalise_mobile(locked.recipient) is None:
        raise NotificationError(_("手机号码不是有效的中国大陆手机号，无法重发。"))
    Notification.objects.filter(pk=locked.pk).update(
        status=Status.QUEUED,
        resends=F("resends") + 1,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        claimed_by="",
        failed_at=None,
    )
    log_action(
        actor,
        "notifications.resend",
        locked,
        {"key": locked.idempotency_key, "error": locked.last_error},
        center_id=locked.center_id,
    )
    locked.refresh_from_db()
    return locked


# --- the worker ----------------------------------------------------------------------


def retry_delay(attempt: int) -> float:
    """Seconds before try attempt+1: doubling from NOTIFY_RETRY_BASE_SECONDS up
    to NOTIFY_RETRY_MAX_SECONDS, ±20 % jitter so failed messages spread out."""
    base = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** min(attempt - 1, 30)
    return min(base, settings.NOTIFY_RETRY_MAX_SECONDS) * random.uniform(0.8, 1.2)


def notifications_claim(*, token: str, limit: int) -> list[Notification]:
    """Take up to `limit` due messages for one worker, safely beside others.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so workers take different rows
    without waiting. SQLite: the transaction is IMMEDIATE (settings), so it holds
    the write lock from its start and claims are one at a time.
    A row left in "sending" longer than NOTIFY_SENDING_TIMEOUT (its worker died)
    is due again; the provider gets the same key and sends it once.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFY_SENDING_TIMEOUT)
    skip = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        due = Notification.objects.filter(
            Q(status=Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, claimed_at__lt=stale)
        ).order_by("next_attempt_at", "id")
        if skip:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Notification.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claimed_at=now, claimed_by=token, attempts=F("attempts") + 1
        )
    return list(Notification.objects.filter(pk__in=ids, claimed_by=token).order_by("id"))


def notifications_record(*, token: str, results: list[tuple[Notification, Result]]) -> None:
    """Write what the gateway said, for rows this claim still holds (a row
    reclaimed by another worker meanwhile is theirs to record)."""
    now = timezone.now()
    with transaction.atomic():
        for row, result in results:
            mine = Notification.objects.filter(pk=row.pk, claimed_by=token, status=Status.SENDING)
            if result.outcome in ("sent", "delivered"):
                fields = {
                    "status": Status.DELIVERED if result.outcome == "delivered" else Status.SENT,
                    "provider_message_id": result.provider_id,
                    "sent_at": now,
                    "last_error": "",
                }
                if result.outcome == "delivered":
                    fields["delivered_at"] = now
                mine.update(**fields)
            elif result.outcome == "failed" or row.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                mine.update(status=Status.FAILED, failed_at=now, last_error=result.error[:500])
            else:
                mine.update(
                    status=Status.QUEUED,
                    next_attempt_at=now + timedelta(seconds=retry_delay(row.attempts)),
                    last_error=result.error[:500],
                )


RECEIPT_STATUSES = {"delivered": Status.DELIVERED, "failed": Status.FAILED}


@transaction.atomic
def notification_receipt(*, message_id: str, reference: str, state: str, error: str = ""):
    """A provider's delivery receipt. Returns the row, or None if it names no
    message of ours. A late "failed" never overrides "delivered"."""
    qs = Notification.objects.select_for_update()
    row = None
    if message_id:
        row = qs.filter(provider_message_id=message_id).order_by("pk").first()
    if row is None and reference:
        key = reference.split("/r", 1)[0]
        row = qs.filter(idempotency_key=key).first()
        if row is not None and row.provider_key != reference:
            row = None  # a receipt of an earlier send, before a staff resend
    if row is None:
        return None
    now = timezone.now()
    new = RECEIPT_STATUSES[state]
    if row.status == Status.DELIVERED or (row.status == new):
        return row
    fields = {"status": new}
    if message_id and not row.provider_message_id:
        fields["provider_message_id"] = message_id[:100]
    if new == Status.DELIVERED:
        fields.update(delivered_at=now, last_error="")
        if row.sent_at is None:
            fields["sent_at"] = now
    else:
        fields.update(failed_at=now, last_error=(error or _("服务商回执：发送失败"))[:500])
    Notification.objects.filter(pk=row.pk).update(**fields)
    for k, v in fields.items():
        setattr(row, k, v)
    return row


# --- the staff digest ------------------------------------------------------------------


def digest_enqueue(*, day=None) -> int:
    """Queue today's e-mail to each staff member with an address, the right to
    see cases, and cases of theirs due soon or overdue. Once a day per person."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from hall.cases.selectors import DueClock, cases_visible_to, due_soon, overdue
    from hall.org.models import User
    from hall.workdays.services import current_calendar

    from .constants import DIGEST_LIST_LIMIT

    today = day or timezone.localdate()
    clock = DueClock.at(current_calendar(), today)
    users = (
        User.objects.filter(is_active=True, staff__isnull=False)
        .exclude(email="")
        .select_related("staff")
        .order_by("pk")
    )
    queued = 0
    for user in users:
        if not user.has_perm("cases.view_case"):
            continue
        overdue_qs = overdue(cases_visible_to(user), clock)
        due_qs = due_soon(cases_visible_to(user), clock)
        n_overdue, n_due = overdue_qs.count(), due_qs.count()
        if not (n_overdue or n_due):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("临期和超期办件提醒（%(day)s）：超期 %(o)d 件，临期 %(d)d 件") % {
                "day": today.isoformat(),
                "o": n_overdue,
                "d": n_due,
            }
            body = render_to_string(
                "notifications/digest_email.txt",
                {
                    "user": user,
                    "day": today,
                    "overdue": list(overdue_qs[:DIGEST_LIST_LIMIT]),
                    "due_soon": list(due_qs[:DIGEST_LIST_LIMIT]),
                    "n_overdue": n_overdue,
                    "n_due": n_due,
                    "limit": DIGEST_LIST_LIMIT,
                    "site": settings.NOTIFY_SITE_URL,
                },
            )
        queued += _queue(
            [
                Notification(
                    center_id=user.staff.center_id,
                    department_id=user.staff.department_id,
                    user=user,
                    channel=Channel.EMAIL,
                    event=Event.DIGEST,
                    recipient=user.email,
                    subject=subject[:200],
                    text=body,
                    idempotency_key=f"digest:{user.pk}:{today.isoformat()}",
                )
            ]
        )
    return queued


def notification_for_account_lock(*, user, until) -> int:
    """Tell the owner of a locked account, once per lock (the key holds the lock's
    end): by e-mail, or by SMS to the staff member's mobile when there is no
    address. Nothing for a name no staff account has (no center to file it under)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    staff = getattr(user, "staff", None) if user is not None else None
    if staff is None:
        return 0
    mobile = normalise_mobile(staff.phone)
    if user.email:
        channel, recipient = Channel.EMAIL, user.email
    elif mobile:
        channel, recipient = Channel.SMS, mobile
    else:
        return 0
    local = timezone.localtime(until)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("您的网上办事大厅账号已暂时锁定")
        text = render_to_string(
            "notifications/account_locked.txt",
            {
                "user": user,
                "until": local,
                "email": channel == Channel.EMAIL,
                "failures": settings.ACCOUNT_LOCKOUT_FAILURES[0],
            },
        ).strip()
    row = Notification(
        center_id=staff.center_id,
        department_id=staff.department_id,
        user=user,
        channel=channel,
        event=Event.ACCOUNT_LOCKED,
        recipient=recipient,
        subject=subject[:200] if channel == Channel.EMAIL else "",
        text=text,
        idempotency_key=f"account-locked:{user.pk}:{int(until.timestamp())}",
    )
    return _queue([row])
