"""Every write of the 中心公告 column: announcements, the centers' result hold,
and the approval results (双公示) queued by the case changes themselves."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.cases.constants import ApplicantKind, CaseStatus, IdType
from hall.cases.models import Case
from hall.core.files import kept_name
from hall.core.services import log_action

from . import masking
from .constants import MAX_HOLD_DAYS, PUBLICATION_LIMIT_DAYS, WITHDRAW_REASON_MAX
from .models import Announcement, Attachment, ResultEntry, ResultSettings

RIGHT_ADD = "announcements.add_announcement"
RIGHT_CHANGE = "announcements.change_announcement"
RIGHT_DELETE = "announcements.delete_announcement"
RIGHT_WITHDRAW = "announcements.withdraw_resultentry"
RIGHT_SETTINGS = "announcements.change_resultsettings"

# The statuses whose change queues a result of a flagged item.
DECISIONS = (CaseStatus.APPROVED, CaseStatus.COMPLETED)


class ResultRefused(ValueError):
    """A result entry that may not exist (the item does not publish its decisions)."""


def check_actor(actor, right: str, center_id: int | None = None) -> None:
    """Staff holding `right`, acting for their own center (a superuser for any)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise PermissionDenied(_("您没有管理中心公告的权限。"))
    if center_id is not None and not actor.is_superuser:
        staff = getattr(actor, "staff", None)
        if staff is None or staff.center_id != center_id:
            raise PermissionDenied(_("只能管理本中心的公告和公示。"))


# ---- the publication clock -------------------------------------------------------


def hold_days(center_id: int) -> int:
    """The center's hold, else the hall's default (RESULTS_HOLD_DAYS)."""
    own = ResultSettings.objects.filter(center_id=center_id).values_list("hold_days", flat=True)
    for days in own:
        return days
    return settings.RESULTS_HOLD_DAYS


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def publication_times(decided_at: datetime, hold: int, *, queued_at: datetime, calendar=None):
    """(shown_from, due_at) of a result decided at `decided_at`.

    A hold of 0 shows it at once; n shows it from the start of the n-th working
    day after the decision day; never before it was queued. It is due by the
    end of the 7th working day after the decision day (the 双公示 limit)."""
    from hall.workdays.services import current_calendar

    calendar = calendar or current_calendar()
    day = timezone.localdate(decided_at)
    shown = decided_at if hold <= 0 else _start_of(calendar.add_working_days(day, hold))
    due = _start_of(calendar.add_working_days(day, PUBLICATION_LIMIT_DAYS) + timedelta(days=1))
    return max(shown, queued_at), due


# ---- approval results --------------------------------------------------------------


def _licence_content(case: Case) -> str:
    data = case.form_data or {}
    for key in ("licence_content", "business_scope", "scope", "content"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return case.item.result_name or case.item.name


def _validity(case: Case) -> str:
    data = case.form_data or {}
    for key in ("validity", "valid_until"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def snapshot(case: Case, fields: list[str]) -> tuple[str, list]:
    """(the applicant as shown, [[field, value], …]) of a case, masked."""
    is_person = case.applicant_kind != ApplicantKind.COMPANY
    decided = case.decided_at or case.completed_at or timezone.now()
    values = masking.shown_values(
        fields,
        is_person=is_person,
        name=case.applicant_name,
        credit_code=case.id_number if case.id_type == IdType.USCC else "",
        licence_number=case.certificate_number,
        content=_licence_content(case),
        decision_date=timezone.localdate(decided).isoformat(),
        validity=_validity(case),
        address=case.address,
        authority=case.department.name,
    )
    shown = masking.mask_person_name(case.applicant_name) if is_person else case.applicant_name
    return shown, values


def result_queue(*, case: Case, now: datetime | None = None) -> ResultEntry:
    """Queue (or refresh) the result entry of a decided case of a flagged item:
    one per case; an approval then a completion keep one entry, the completion
    adding its licence number. Called inside the transaction of the status
    change, so the entry commits or rolls back with it. The entry publishes
    itself at `shown_from`; a withdrawn entry is left as it is."""
    if case.practice:
        raise ResultRefused(_("练习办件不公示。"))
    item = case.item
    if not item.publish_decisions:
        raise ResultRefused(_("该事项未设置公示许可决定，不能生成公示结果。"))
    if case.status not in DECISIONS:
        raise ResultRefused(_("只有准予许可或已办结的办件可以公示。"))
    now = now or timezone.now()
    shown, values = snapshot(case, list(item.result_fields))
    entry = ResultEntry.objects.select_for_update().filter(case=case).first()
    if entry is not None:
        if entry.withdrawn_at is None and (entry.values, entry.applicant) != (values, shown):
            entry.values, entry.applicant = values, shown
            entry.save(update_fields=["values", "applicant"])
            _results_changed()
        return entry
    decided = case.decided_at or case.completed_at or now
    shown_from, due_at = publication_times(decided, hold_days(case.center_id), queued_at=now)
    entry = ResultEntry.objects.create(
        case=case,
        item=item,
        center_id=case.center_id,
        department_id=case.department_id,
        applicant=shown,
        values=values,
        decided_at=decided,
        queued_at=now,
        shown_from=shown_from,
        due_at=due_at,
    )
    _results_changed()
    return entry


def _results_changed() -> None:
    from .search import RESULTS

    transaction.on_commit(RESULTS.changed)


def _announcements_changed() -> None:
    from .search import ANNOUNCEMENTS

    transaction.on_commit(ANNOUNCEMENTS.changed)


@transaction.atomic
def result_withdraw(*, actor, entry: ResultEntry, reason: str) -> ResultEntry:
    """The center takes an entry off: the public page keeps saying that it was
    withdrawn, when and why, and shows none of its values."""
    check_actor(actor, RIGHT_WITHDRAW, entry.center_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("请填写撤回理由。"))
    if len(reason) > WITHDRAW_REASON_MAX:
        raise ValueError(_("撤回理由不能超过 %(n)d 字。") % {"n": WITHDRAW_REASON_MAX})
    locked = ResultEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.withdrawn_at is not None:
        raise ValueError(_("该公示已撤回。"))
    locked.withdrawn_at, locked.withdrawn_by, locked.withdraw_reason = timezone.now(), actor, reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    log_action(actor, "announcements.result_withdraw", locked, {"reason": reason})
    _results_changed()
    return locked


@transaction.atomic
def result_hold_set(*, actor, center, days: int) -> ResultSettings:
    check_actor(actor, RIGHT_SETTINGS, center.pk)
    if not 0 <= days <= MAX_HOLD_DAYS:
        raise ValueError(_("等待时间应为 0 至 %(n)d 个工作日。") % {"n": MAX_HOLD_DAYS})
    before = hold_days(center.pk)
    row, _created = ResultSettings.objects.update_or_create(
        center=center, defaults={"hold_days": days}
    )
    log_action(actor, "announcements.hold_set", row, {"old": before, "new": days})
    return row


# ---- announcements ---------------------------------------------------------------


def _store_attachments(announcement: Announcement, uploads: list) -> None:
    for upload in uploads:
        kind = upload.checked_kind
        record = Attachment(
            announcement=announcement,
            original_name=kept_name(upload, kind),
            kind=kind.code,
            size=upload.size,
        )
        record.file.save(f"a{kind.extension}", upload, save=False)
        record.save()


_FIELDS = ("category", "title", "body", "pinned", "publish_at", "expires_at")


@transaction.atomic
def announcement_save(
    *, actor, announcement: Announcement | None, data: dict, uploads=(), remove=()
) -> Announcement:
    """Create or change an announcement of the actor's center, with its files
    (already checked by the form: `checked_kind` on each upload)."""
    if announcement is None:
        staff = getattr(actor, "staff", None)
        center_id = data.get("center_id") or (staff.center_id if staff else None)
        check_actor(actor, RIGHT_ADD, center_id)
        announcement = Announcement(center_id=center_id, created_by=actor)
        before = None
    else:
        check_actor(actor, RIGHT_CHANGE, announcement.center_id)
        before = {f: str(getattr(announcement, f)) for f in _FIELDS}
    for name in _FIELDS:
        setattr(announcement, name, data[name])
    announcement.full_clean(exclude=["created_by"])
    announcement.save()
    gone = list(announcement.attachments.filter(pk__in=list(remove)))
    for record in gone:
        record.file.delete(save=False)
        record.delete()
    _store_attachments(announcement, list(uploads))
    after = {f: str(getattr(announcement, f)) for f in _FIELDS}
    changed = [f for f in _FIELDS if before is None or before[f] != after[f]]
    log_action(
        actor,
        "announcements.create" if before is None else "announcements.update",
        announcement,
        {
            "fields": changed,
            "title": announcement.title[:100],
            "files_added": len(uploads),
            "files_removed": len(gone),
        },
    )
    _announcements_changed()
    return announcement


@transaction.atomic
def announcement_delete(*, actor, announcement: Announcement) -> None:
    check_actor(actor, RIGHT_DELETE, announcement.center_id)
    log_action(actor, "announcements.delete", announcement, {"title": announcement.title[:100]})
    for record in announcement.attachments.all():
        record.file.delete(save=False)
    announcement.delete()
    _announcements_changed()
