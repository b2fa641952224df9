"""Every write to a case: submission, the two-way pre-review, every status change."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall.catalogue.models import Material, ServiceItem
from hall.core import ratelimit
from hall.core.files import kept_name, safe_display_name, upload_sha256, validate_upload
from hall.core.services import log_action

from . import querynumbers, selectors, workflow
from .constants import (
    CASE_MAX_BYTES,
    FILE_MAX_BYTES,
    FILES_PER_CASE,
    FILES_PER_MATERIAL,
    PRE_DECISION,
    RESUME_NOTE,
    UPLOAD_KINDS,
    CaseStatus,
    Channel,
    MessageKind,
)
from .errors import CaseError
from .models import (
    Case,
    CaseFile,
    CorrectionPoint,
    ReviewMessage,
    Round,
    StagedUpload,
    StatusChange,
)
from .signals import CASE_EVENT_REPLY, CASE_EVENT_RESUMED, case_event


@dataclass
class Applicant:
    kind: str
    name: str
    id_type: str
    id_number: str
    phone: str
    address: str = ""
    sms_opt_in: bool = True

    @classmethod
    def from_cleaned(cls, data: dict) -> "Applicant":
        """From the cleaned data of an ApplicantForm (or a form built on it)."""
        return cls(
            kind=data["applicant_kind"],
            name=data["applicant_name"].strip(),
            id_type=data["id_type"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=(data.get("address") or "").strip(),
            sms_opt_in=data.get("sms_opt_in", False),
        )

    def case_fields(self) -> dict:
        """The applicant's columns of a new Case."""
        return {
            "applicant_kind": self.kind,
            "applicant_name": self.name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "phone": self.phone,
            "address": self.address,
            "sms_opt_in": self.sms_opt_in,
        }


# ---- status changes ------------------------------------------------------------


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: str,
    actor=None,
    by_applicant: bool = False,
    reason: str = "",
    sources: frozenset[str] | None = None,
) -> Case:
    """Move a case to `to` if the lifecycle allows it: lock the row, append the
    history, write the audit entry, and announce the change (case_event).
    `sources` narrows the statuses a named move starts from (acceptance is not
    the end of a special procedure, which is case_resume's).

    No right is checked here: this is the building block of the named moves
    below, which check their actor; applicants reach it through their own flows."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    src = locked.status
    if not workflow.can_move(src, to, by_applicant=by_applicant) or (
        sources is not None and src not in sources
    ):
        raise CaseError(
            _("办件当前状态为“%(src)s”，不能变更为“%(dst)s”。页面可能已过期，请刷新后再试。")
            % {"src": CaseStatus(src).label, "dst": CaseStatus(to).label}
        )
    reason = (reason or "").strip()
    if to in workflow.REASON_REQUIRED and not reason:
        raise CaseError(_("请填写理由。"))
    now = timezone.now()
    locked.status = to
    fields = ["status", "updated_at"]
    if to == CaseStatus.ACCEPTED and locked.accepted_at is None:
        locked.accepted_at = now
        fields.append("accepted_at")
    if to in (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.NOT_ACCEPTED):
        locked.decided_at = now
        fields.append("decided_at")
    if actor is not None and not by_applicant:
        locked.handled_by = actor
        fields.append("handled_by")
    if to == CaseStatus.COMPLETED:
        locked.completed_at = now
        fields.append("completed_at")
    locked.save(update_fields=fields)
    if to == CaseStatus.ACCEPTED:
        # Acceptance starts both clocks; resuming restarts them past the suspension.
        case_recompute_deadlines(case=locked)
    StatusChange.objects.create(
        case=locked,
        from_status=src,
        to_status=to,
        at=now,
        actor=actor if not by_applicant else None,
        by_applicant=by_applicant,
        reason=reason,
    )
    log_action(
        actor if not by_applicant else None,
        f"case.{to}",
        locked,
        {"from": src, "to": to, "reason": reason, "by_applicant": by_applicant},
        actor_name=_("申请人") if by_applicant else "",
    )
    resumed = src == CaseStatus.SUSPENDED and to == CaseStatus.ACCEPTED
    case_event.send(
        sender=Case,
        case=locked,
        event=CASE_EVENT_RESUMED if resumed else to,
        from_status=src,
        actor=actor if not by_applicant else None,
        message=None,
    )
    case.__dict__.update({f: getattr(locked, f) for f in fields})
    case.status = to
    return case


# ---- the named moves: each checks its actor's right and scope itself -------------

# The right each staff move needs. Views declare the same right (staff_required),
# but the service is where it is enforced, so every caller (pages, API, imports)
# is held to it.
RIGHT_HANDLE = "cases.change_case"
RIGHT_EXTEND = "cases.approve_extension"


class CaseForbidden(CaseError):
    """The actor lacks the right for this move, or the case is outside their scope."""


def check_actor(actor, case: Case | None = None, *, right: str = RIGHT_HANDLE) -> None:
    """Refuse unless `actor` is signed-in staff holding `right` and `case` is in scope."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise CaseForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise CaseForbidden(_("您没有办理该事项的权限。"))
    if case is not None and not selectors.cases_visible_to(actor).filter(pk=case.pk).exists():
        raise CaseForbidden(_("该办件不在您的办理范围内。"))


# Acceptance starts a pre-reviewed case; a suspended one goes back through case_resume.
ACCEPT_SOURCES = frozenset({CaseStatus.SUBMITTED})


def case_accept(*, case: Case, actor) -> Case:
    """受理: the clerk accepts a submitted case; both clocks start."""
    check_actor(actor, case)
    return case_transition(case=case, to=CaseStatus.ACCEPTED, actor=actor, sources=ACCEPT_SOURCES)


def case_refuse(*, case: Case, actor, reason: str) -> Case:
    """不予受理, with the reason the decision states."""
    check_actor(actor, case)
    return case_transition(case=case, to=CaseStatus.NOT_ACCEPTED, actor=actor, reason=reason)


def case_approve(*, case: Case, actor, opinion: str = "") -> Case:
    """准予许可, with the approver's opinion (审批意见) when given."""
    check_actor(actor, case)
    return case_transition(case=case, to=CaseStatus.APPROVED, actor=actor, reason=opinion)


def case_reject(*, case: Case, actor, reason: str) -> Case:
    """不予许可, with the reason the decision states."""
    check_actor(actor, case)
    return case_transition(case=case, to=CaseStatus.REJECTED, actor=actor, reason=reason)


def case_withdraw(*, case: Case, actor=None, by_applicant: bool = False, reason: str = "") -> Case:
    """撤回: by the applicant from the status page, or by a clerk on their request."""
    if not by_applicant:
        check_actor(actor, case)
    return case_transition(
        case=case,
        to=CaseStatus.WITHDRAWN,
        actor=None if by_applicant else actor,
        by_applicant=by_applicant,
        reason=reason,
    )


# ---- files ---------------------------------------------------------------------


def check_uploads(
    files_by_material: dict[int, list], *, existing_bytes: int = 0, existing_count: int = 0
):
    """Validate every upload by content and the per-case limits; return kinds.

    Raises a dict of material id → list of Chinese messages.
    """
    from django.core.exceptions import ValidationError

    errors: dict[int, list[str]] = {}
    kinds: dict[int, list] = {}
    total_bytes, total_count = existing_bytes, existing_count
    for material_id, uploads in files_by_material.items():
        if len(uploads) > FILES_PER_MATERIAL:
            errors.setdefault(material_id, []).append(
                _("每项材料最多上传 %(n)d 个文件。") % {"n": FILES_PER_MATERIAL}
            )
            continue
        for upload in uploads:
            total_bytes += upload.size
            total_count += 1
            try:
                kinds.setdefault(material_id, []).append(
                    validate_upload(upload, allowed=UPLOAD_KINDS, max_bytes=FILE_MAX_BYTES)
                )
            except ValidationError as exc:
                errors.setdefault(material_id, []).extend(exc.messages)
    if total_count > FILES_PER_CASE:
        errors.setdefault(0, []).append(
            _("一件申请最多上传 %(n)d 个文件。") % {"n": FILES_PER_CASE}
        )
    if total_bytes > CASE_MAX_BYTES:
        errors.setdefault(0, []).append(_("全部文件合计不能超过 50 MB，请压缩后再上传。"))
    if errors:
        raise UploadError(errors)
    return kinds


class UploadError(Exception):
    def __init__(self, errors: dict[int, list[str]]):
        super().__init__("upload refused")
        self.errors = errors


def _store(case: Case, round_: Round, material: Material, uploads: list, kinds: list) -> None:
    for upload, kind in zip(uploads, kinds, strict=True):
        record = CaseFile(
            case=case,
            round=round_,
            material=material,
            material_name=material.name,
            original_name=kept_name(upload, kind),
            kind=kind.code,
            size=upload.size,
            sha256=upload_sha256(upload),
        )
        record.file.save(f"f{kind.extension}", upload, save=False)
        record.save()


# ---- files kept across a form that came back with errors ---------------------------

# A staged file waits this long for the submission that carries its token.
STAGED_HOURS = 24


def uploads_stage(*, token, item: ServiceItem, uploads: dict[int, list]) -> None:
    """Keep the files of a refused form that pass the upload checks, under the
    form's one-time token, so the applicant need not choose them again. Files
    chosen again for a material replace the ones kept for it."""
    from django.core.exceptions import ValidationError

    uploads_purge_stale()
    materials = {m.pk: m for m in item.materials.filter(submission="online")}
    for material_id, files in uploads.items():
        material = materials.get(material_id)
        if material is None or not files:
            continue
        good = []
        for upload in files[:FILES_PER_MATERIAL]:
            try:
                validate_upload(upload, allowed=UPLOAD_KINDS, max_bytes=FILE_MAX_BYTES)
            except ValidationError:
                continue
            upload.seek(0)
            good.append(upload)
        if not good:
            continue
        _unstage(StagedUpload.objects.filter(token=token, material=material))
        for upload in good:
            staged = StagedUpload(
                token=token,
                material=material,
                original_name=safe_display_name(upload.name)[:120],
                size=upload.size,
            )
            staged.file.save(upload.name, upload, save=False)
            staged.save()


def uploads_staged(token) -> dict[int, list[StagedUpload]]:
    """The files kept for a form's token, by material."""
    kept: dict[int, list[StagedUpload]] = {}
    if token is None:
        return kept
    for staged in StagedUpload.objects.filter(token=token):
        kept.setdefault(staged.material_id, []).append(staged)
    return kept


def uploads_unstage(token) -> None:
    _unstage(StagedUpload.objects.filter(token=token))


def uploads_purge_stale() -> None:
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(hours=STAGED_HOURS)
    _unstage(StagedUpload.objects.filter(created_at__lt=cutoff))


def _unstage(qs) -> None:
    for staged in qs:
        staged.file.delete(save=False)
        staged.delete()


# ---- submission ----------------------------------------------------------------


def _new_query_number() -> str:
    while True:
        number = querynumbers.generate()
        # Unique among real and practice cases alike (one unique column).
        if not Case.all_objects.filter(query_number=number).exists():
            return number


def case_submit(
    *,
    item: ServiceItem,
    applicant: Applicant,
    form_data: dict,
    files: dict[int, list],
    submission_token,
    channel: str = Channel.ONLINE,
) -> tuple[Case, bool]:
    """Create an online application. Returns (case, created); the same token
    returns the case it already made, so a double submit makes one case."""
    if submission_token is not None:
        existing = Case.objects.filter(submission_token=submission_token).order_by("pk").first()
        if existing is not None:
            return existing, False
    if not item.is_published or not item.can_apply_online:
        raise CaseError(_("该事项暂不支持网上申报，请按办事指南到窗口办理。"))
    materials = {m.pk: m for m in item.materials.filter(submission="online")}
    unknown = set(files) - set(materials)
    if unknown:
        raise CaseError(_("上传的材料不属于该事项，请刷新页面后重试。"))
    missing = [m.name for m in materials.values() if m.required and not files.get(m.pk)]
    if missing:
        raise CaseError(_("请上传必要材料：%(names)s") % {"names": "、".join(missing)})
    kinds = check_uploads(files)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                query_number=_new_query_number(),
                item=item,
                center_id=item.center_id,
                department_id=item.department_id,
                channel=channel,
                status=CaseStatus.SUBMITTED,
                **applicant.case_fields(),
                form_data=form_data,
                submission_token=submission_token,
            )
            round_ = Round.objects.create(case=case, number=1, form_data=form_data)
            for material_id, uploads in files.items():
                _store(case, round_, materials[material_id], uploads, kinds[material_id])
            StatusChange.objects.create(
                case=case, from_status="", to_status=CaseStatus.SUBMITTED, by_applicant=True
            )
            ServiceItem.objects.filter(pk=item.pk).update(
                application_count=F("application_count") + 1
            )
            log_action(None, "case.submit", case, {"channel": channel}, actor_name=_("申请人"))
    except IntegrityError:
        # Two requests with one token raced: the other one made the case.
        existing = Case.objects.filter(submission_token=submission_token).order_by("pk").first()
        if existing is None:
            raise
        return existing, False
    return case, True


# ---- the applicant's status lookup ------------------------------------------------


WHOLE_PHONE_NEEDED = gettext_lazy(
    "该查询号近期有多次查询失败，为保护申请人信息，请输入申请时填写的完整手机号码。"
)


@dataclass(frozen=True)
class Lookup:
    """What a status lookup gave: the case, or why not (a miss has no flag)."""

    case: Case | None = None
    limited: bool = False  # this client is over a limit: refused, try after retry_after
    retry_after: int = 0  # seconds
    malformed: bool = False  # the check symbol caught a typo; nothing was looked up
    # The number is guarded (many failed tries from everyone) and only its last
    # four digits were given: nothing was looked up, the whole phone is needed.
    needs_whole_phone: bool = False


def case_lookup(*, client: str, number: str, phone: str) -> Lookup:
    """The status lookup by query number and phone (or its last four digits), for
    the track page and the API alike, so both count against the same limits.

    Every lookup counts against the client, every miss against the client and
    against the pair (client, number); a client over either limit is refused
    before anything is looked up. Misses also count against the number, from
    everyone — but a number is never refused for them, or strangers could lock
    its applicant out. Over that count the number is guarded instead: the last
    four digits (10,000 values, within reach of many addresses) no longer
    count, the whole phone number does. The applicant knows it; a guesser
    spread over many addresses does not, and each of their addresses is still
    held to its own limits. No delay: a sleeping request would hold a server
    worker for every guess, which hands the guesser a cheap denial of service."""
    number = querynumbers.normalise(number)
    (per_client, client_window) = settings.LOOKUP_LIMIT_PER_CLIENT
    if not ratelimit.hit("lookup-ip", client, limit=per_client, window=client_window):
        return Lookup(limited=True, retry_after=ratelimit.retry_after(client_window))
    misses = _lookup_miss_counters(client, number)
    for scope, ident, (limit, window) in misses[:2]:
        if ratelimit.exceeded(scope, ident, limit=limit, window=window):
            return Lookup(limited=True, retry_after=ratelimit.retry_after(window))
    if not querynumbers.is_valid(number):
        return Lookup(malformed=True)
    scope, ident, (limit, window) = misses[2]
    guarded = ratelimit.exceeded(scope, ident, limit=limit, window=window)
    if guarded and not selectors.is_whole_phone(phone):
        return Lookup(needs_whole_phone=True)
    case = selectors.case_for_applicant(number, phone, whole_phone=guarded)
    if case is None:
        for scope, ident, (limit, window) in misses:
            ratelimit.hit(scope, ident, limit=limit, window=window)
    return Lookup(case=case)


def _lookup_miss_counters(client: str, number: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(scope, ident, (limit, window)) of the miss counters: the client's, the
    pair's (both refuse), the number's (guards only)."""
    return [
        ("lookup-miss-ip", client, settings.LOOKUP_MISSES_PER_CLIENT),
        ("lookup-miss-pair", f"{client}|{number[:20]}", settings.LOOKUP_MISSES_PER_CLIENT_NUMBER),
        ("lookup-no", number, settings.LOOKUP_LIMIT_PER_NUMBER),
    ]


# ---- the two-way pre-review ------------------------------------------------------


@transaction.atomic
def case_reply(*, case: Case, actor, text: str) -> ReviewMessage:
    check_actor(actor, case)
    text = (text or "").strip()
    if not text:
        raise CaseError(_("请填写回复内容。"))
    if case.status not in PRE_DECISION:
        raise CaseError(_("该办件已进入审批，不能再通过预审回复。"))
    message = ReviewMessage.objects.create(
        case=case, round_number=case.round, kind=MessageKind.REPLY, text=text, author=actor
    )
    log_action(actor, "case.reply", case, {"text": text[:200]})
    case_event.send(
        sender=Case,
        case=case,
        event=CASE_EVENT_REPLY,
        from_status=case.status,
        actor=actor,
        message=message,
    )
    return message


@transaction.atomic
def case_request_correction(*, case: Case, actor, text: str, points: list[tuple]) -> ReviewMessage:
    """One notice listing everything to correct (一次性告知): (material or None, subject, note)."""
    check_actor(actor, case)
    if not points and not (text or "").strip():
        raise CaseError(_("请至少列出一项需要补正的内容。"))
    case_transition(case=case, to=CaseStatus.CORRECTION_REQUESTED, actor=actor)
    message = ReviewMessage.objects.create(
        case=case,
        round_number=case.round,
        kind=MessageKind.CORRECTION,
        text=(text or "").strip(),
        author=actor,
    )
    CorrectionPoint.objects.bulk_create(
        CorrectionPoint(message=message, material=m, subject=subject[:200], note=note[:500])
        for m, subject, note in points
    )
    return message


@transaction.atomic
def case_resubmit(
    *, case: Case, remarks: str, form_data: dict | None, files: dict[int, list], replace: set[int]
) -> Round:
    """The applicant answers a correction notice: remarks, new or replacing files."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.CORRECTION_REQUESTED:
        raise CaseError(
            _("办件当前状态为“%(s)s”，不能重新提交。") % {"s": CaseStatus(locked.status).label}
        )
    materials = {m.pk: m for m in locked.item.materials.filter(submission="online")}
    if set(files) - set(materials):
        raise CaseError(_("上传的材料不属于该事项，请刷新页面后重试。"))
    current = locked.files.filter(replaced_in_round__isnull=True)
    if replace - set(current.values_list("pk", flat=True)):
        raise CaseError(_("要替换的文件不存在或已被替换，请刷新页面后重试。"))
    kept = current.exclude(pk__in=replace)
    kept_bytes = sum(kept.values_list("size", flat=True))
    kinds = check_uploads(files, existing_bytes=kept_bytes, existing_count=kept.count())
    number = locked.round + 1
    round_ = Round.objects.create(
        case=locked,
        number=number,
        remarks=(remarks or "").strip(),
        form_data=form_data if form_data is not None else locked.form_data,
    )
    locked.files.filter(pk__in=replace).update(replaced_in_round=number)
    for material_id, uploads in files.items():
        _store(locked, round_, materials[material_id], uploads, kinds[material_id])
    locked.round = number
    update = ["round"]
    if form_data is not None:
        locked.form_data = form_data
        update.append("form_data")
    locked.save(update_fields=update)
    case_transition(case=locked, to=CaseStatus.SUBMITTED, by_applicant=True, reason=round_.remarks)
    case.round = number
    case.status = locked.status
    return round_


def round_changes(case: Case, number: int) -> dict:
    """What the applicant changed in round `number`: added and replaced files, remarks."""
    round_ = case.rounds.filter(number=number).first()
    if round_ is None:
        return {"added": [], "replaced": [], "remarks": ""}
    return {
        "added": list(case.files.filter(round=round_)),
        "replaced": list(case.files.filter(replaced_in_round=number)),
        "remarks": round_.remarks,
        "round": round_,
    }


# ---- the workbench: clocks, special procedures, decisions ---------------------------


def case_recompute_deadlines(*, case: Case, today=None) -> bool:
    """Set the two due dates from the acceptance day, the item's limits, the
    extensions and the suspensions. Returns whether anything changed."""
    from hall.workdays.services import current_calendar

    from . import deadlines

    if case.accepted_at is None:
        return False
    today = today or timezone.localdate()
    clocks = deadlines.compute(
        current_calendar(),
        timezone.localdate(case.accepted_at),
        promised_days=case.item.promised_days,
        statutory_days=case.item.statutory_days,
        extension_days=case.extension_days,
        excluded=deadlines.periods(case.suspensions.all(), today),
    )
    new = (clocks.promised_due, clocks.statutory_due, clocks.provisional)
    if new == (case.promised_due, case.statutory_due, case.deadline_provisional):
        return False
    case.promised_due, case.statutory_due, case.deadline_provisional = new
    Case.objects.filter(pk=case.pk).update(
        promised_due=clocks.promised_due,
        statutory_due=clocks.statutory_due,
        deadline_provisional=clocks.provisional,
    )
    return True


@transaction.atomic
def case_suspend(*, case: Case, actor, kind: str, reason: str, expected_days: int):
    from .models import Suspension

    check_actor(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("请填写特别程序的理由。"))
    case_transition(case=case, to=CaseStatus.SUSPENDED, actor=actor, reason=reason)
    return Suspension.objects.create(
        case=case,
        kind=kind,
        reason=reason,
        expected_days=expected_days,
        started_on=timezone.localdate(),
        started_by=actor,
    )


@transaction.atomic
def case_resume(*, case: Case, actor):
    check_actor(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.SUSPENDED:
        raise CaseError(_("该办件不在特别程序中，无需恢复计时。"))
    open_one = locked.suspensions.filter(ended_on__isnull=True).order_by("-started_on").first()
    if open_one is not None:
        open_one.ended_on = timezone.localdate()
        open_one.ended_by = actor
        open_one.save(update_fields=["ended_on", "ended_by"])
    return case_transition(case=case, to=CaseStatus.ACCEPTED, actor=actor, reason=RESUME_NOTE)


@transaction.atomic
def case_extend(*, case: Case, actor, reason: str):
    """延期: the statutory limit + 10 working days, once, approved by a department admin."""
    from .constants import EXTENSION_DAYS
    from .models import Extension

    # The right first: someone who may not extend learns nothing of the case's state.
    try:
        check_actor(actor, case, right=RIGHT_EXTEND)
    except CaseForbidden as exc:
        raise CaseForbidden(_("延期须由部门负责人批准。")) from exc
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED):
        raise CaseError(_("只有已受理、尚未办结的办件可以延期。"))
    if locked.extensions.exists():
        raise CaseError(_("法定时限只能延长一次。"))
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("请填写延期理由。"))
    extension = Extension.objects.create(
        case=locked, days=EXTENSION_DAYS, reason=reason, approved_by=actor
    )
    locked.extension_days += EXTENSION_DAYS
    locked.save(update_fields=["extension_days", "updated_at"])
    case_recompute_deadlines(case=locked)
    log_action(actor, "case.extend", locked, {"days": EXTENSION_DAYS, "reason": reason})
    case.extension_days = locked.extension_days
    return extension


@transaction.atomic
def case_complete(*, case: Case, actor, certificate_number: str, delivery: str):
    check_actor(actor, case)
    # Result first, so the completion event (and its notice) carries it; the
    # transition below refuses and rolls this back if the case cannot complete.
    Case.objects.filter(pk=case.pk).update(
        certificate_number=certificate_number.strip(), delivery=delivery
    )
    case_transition(case=case, to=CaseStatus.COMPLETED, actor=actor)
    case.certificate_number, case.delivery = certificate_number.strip(), delivery
    return case


@transaction.atomic
def case_add_note(*, case: Case, actor, text: str):
    from .models import InternalNote

    check_actor(actor, case)
    text = (text or "").strip()
    if not text:
        raise CaseError(_("请填写备注内容。"))
    note = InternalNote.objects.create(case=case, author=actor, text=text)
    log_action(actor, "case.note", case, {"text": text[:200]})
    return note


def cases_recompute_for_years(years) -> int:
    """After the holiday table changed for `years`: recompute every open case
    whose clocks touch those years; one audit entry per case that moved."""
    from datetime import date

    years = set(years)
    if not years:
        return 0
    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    open_cases = (
        Case.objects.filter(status__in=[CaseStatus.ACCEPTED, CaseStatus.SUSPENDED])
        .filter(accepted_at__isnull=False)
        .exclude(statutory_due__lt=first)
        .filter(accepted_at__date__lte=last)
        .select_related("item")
        .order_by("pk")
    )
    changed = 0
    for case in open_cases.iterator(chunk_size=500):
        before = (case.promised_due, case.statutory_due)
        with transaction.atomic():
            if case_recompute_deadlines(case=case):
                changed += 1
                log_action(
                    None,
                    "case.deadlines_recomputed",
                    case,
                    {
                        "years": sorted(years),
                        "promised": [str(before[0]), str(case.promised_due)],
                        "statutory": [str(before[1]), str(case.statutory_due)],
                    },
                    actor_name=_("节假日安排变更"),
                )
    return changed


@transaction.atomic
def case_walk_in(
    *,
    item: ServiceItem,
    applicant: Applicant,
    actor,
    received: list[Material],
    originals: list[Material],
    scans: dict[int, list],
    accept: bool,
    reason: str = "",
) -> Case:
    """A case brought to the window (R-4.2): recorded with the materials the
    clerk received, and accepted at once — or not accepted, with the reason."""
    check_actor(actor)
    from hall.catalogue.selectors import items_editable_by

    if not items_editable_by(actor).filter(pk=item.pk).exists():
        raise CaseForbidden(_("该事项不在您的办理范围内。"))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise CaseError(_("不予受理须写明理由。"))
    kinds = check_uploads(scans)
    now = timezone.now()
    case = Case.objects.create(
        query_number=_new_query_number(),
        item=item,
        center_id=item.center_id,
        department_id=item.department_id,
        channel=Channel.WALK_IN,
        status=CaseStatus.ACCEPTED if accept else CaseStatus.NOT_ACCEPTED,
        **applicant.case_fields(),
        form_data={
            "received_materials": [m.name for m in received],
            "originals_checked": [m.name for m in originals],
        },
        submitted_at=now,
        accepted_at=now if accept else None,
        decided_at=None if accept else now,
        handled_by=actor,
    )
    round_ = Round.objects.create(case=case, number=1, form_data=case.form_data)
    materials = {m.pk: m for m in item.materials.all()}
    for material_id, uploads in scans.items():
        _store(case, round_, materials[material_id], uploads, kinds[material_id])
    StatusChange.objects.create(
        case=case, from_status="", to_status=case.status, actor=actor, at=now, reason=reason
    )
    if not case.practice:
        # The guide's public count of applications: practice is no application.
        ServiceItem.objects.filter(pk=item.pk).update(application_count=F("application_count") + 1)
    if accept:
        case_recompute_deadlines(case=case)
    log_action(actor, "case.walk_in", case, {"accepted": accept, "reason": reason})
    case_event.send(
        sender=Case, case=case, event=case.status, from_status="", actor=actor, message=None
    )
    return case
