"""Every write of the monthly summaries: a summary started, its draft saved,
submitted (a new version with the figures as shown), accepted or returned with
a comment; a center's settings. Each checks its actor's right and scope here."""

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.core.services import log_action
from hall.workdays.services import current_calendar

from . import due, figures, selectors, workflow
from .constants import (
    COMMENT_MAX,
    DUE_DAY_MAX,
    RIGHT_REVIEW,
    RIGHT_SETTINGS,
    RIGHT_SUBMIT,
    SECTION_HINT_MAX,
    SECTION_TEXT_MAX,
    SECTION_TITLE_MAX,
    SECTIONS_MAX,
    Decision,
    UnitKind,
)
from .constants import SummaryStatus as S
from .errors import SummaryError, SummaryForbidden
from .models import Summary, SummarySettings, SummaryVersion

BAD_BYTES = _("内容含有无法识别的字符（可能不是 UTF-8 编码），请重新输入。")


def plain(value) -> str:
    """Control characters (NUL and the like) dropped, line ends made \\n, trimmed."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch in "\n\t")
    return text.replace("\r", "").strip()


def clean_text(value, label: str, max_length: int, *, required: bool) -> str:
    text = plain(value)
    if "\ufffd" in text:
        raise SummaryError(BAD_BYTES)
    if required and not text:
        raise SummaryError(_("请填写“%(label)s”。") % {"label": label})
    if len(text) > max_length:
        raise SummaryError(
            _("“%(label)s”不能超过 %(max)d 个字（现有 %(n)d 个字）。")
            % {"label": label, "max": max_length, "n": len(text)}
        )
    return text


def _name(user) -> str:
    return (getattr(user, "full_name", "") or user.get_username())[:60]


def _check(actor, right: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise SummaryForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise SummaryForbidden(_("您没有该项月度工作总结权限。"))


def _check_writer(actor, summary: Summary) -> None:
    _check(actor, RIGHT_SUBMIT)
    keys = {u.key() for u in selectors.writable_units(actor)}
    if not actor.is_superuser and selectors.summary_key(summary) not in keys:
        raise SummaryForbidden(_("只能填写本单位的月度工作总结。"))


def _check_reviewer(actor, summary: Summary) -> None:
    _check(actor, RIGHT_REVIEW)
    staff = getattr(actor, "staff", None)
    if not actor.is_superuser and (
        staff is None or staff.department_id is not None or staff.center_id != summary.center_id
    ):
        raise SummaryForbidden(_("只能审核本中心单位的月度工作总结。"))


def sections_of(summary: Summary, today: date | None = None) -> list[dict]:
    rules = selectors.rules_for(summary.center, today or timezone.localdate())
    return rules.sections


def clean_texts(sections: list[dict], posted: dict, *, required: bool) -> dict:
    """{key: text} of the template's sections; a key the template does not have
    is refused (a stale page or a forged form), not dropped."""
    keys = {s["key"] for s in sections}
    unknown = sorted(set(posted) - keys)
    if unknown:
        raise SummaryError(
            _("总结模板中没有所提交的部分（%(keys)s），模板可能已修改，请刷新页面后重新填写。")
            % {"keys": "、".join(k[:20] for k in unknown[:3])}
        )
    return {
        s["key"]: clean_text(
            posted.get(s["key"], ""), s["title"], SECTION_TEXT_MAX, required=required
        )
        for s in sections
    }


# ---- the unit's writes --------------------------------------------------------------


@transaction.atomic
def summary_start(
    *, actor, kind: str, unit_pk: int, month: date, today: date | None = None
) -> Summary:
    """The unit's summary of `month`: the one there is, or a new draft."""
    _check(actor, RIGHT_SUBMIT)
    today = today or timezone.localdate()
    if month > due.month_start(today):
        raise SummaryError(_("不能填写以后月份的工作总结。"))
    unit = next((u for u in selectors.writable_units(actor) if u.key() == (kind, unit_pk)), None)
    if unit is None and actor.is_superuser:
        unit = selectors.unit_visible(actor, kind, unit_pk)
    if unit is None:
        raise SummaryForbidden(_("只能填写本单位的月度工作总结。"))
    found = selectors.find(unit, month)
    if found is not None:
        return found
    rules = selectors.rules_for(unit.department.center, today)
    try:
        with transaction.atomic():
            summary = Summary.objects.create(
                center_id=unit.department.center_id,
                kind=unit.kind,
                department=unit.department,
                window=unit.window,
                month=month,
                due_on=due.due_on(current_calendar(), month, rules.due_day),
            )
    except IntegrityError:  # started at the same moment in another tab
        return selectors.find(unit, month)
    log_action(actor, "summaries.start", summary, {"month": f"{month:%Y-%m}", "kind": kind})
    return summary


def _locked(summary: Summary) -> Summary:
    return Summary.objects.select_for_update().get(pk=summary.pk)


def _stale(src: str, to: str) -> SummaryError:
    return SummaryError(
        _("总结当前状态为“%(src)s”，不能变更为“%(dst)s”。页面可能已过期，请刷新后再试。")
        % {"src": S(src).label, "dst": S(to).label}
    )


@transaction.atomic
def summary_save(*, actor, summary: Summary, texts: dict) -> Summary:
    """Keep the text being written (any section may still be empty)."""
    locked = _locked(summary)
    _check_writer(actor, locked)
    if locked.status not in workflow.EDITABLE:
        raise SummaryError(
            _("总结当前状态为“%(status)s”，不能修改。") % {"status": S(locked.status).label}
        )
    locked.draft = clean_texts(sections_of(locked), texts, required=False)
    locked.save(update_fields=["draft", "updated_at"])
    log_action(actor, "summaries.save", locked)
    return locked


@transaction.atomic
def summary_submit(*, actor, summary: Summary, texts: dict) -> SummaryVersion:
    """Hand in a new version: every section written, the month's figures as
    computed now snapshotted with the text."""
    locked = _locked(summary)
    src = locked.status
    if workflow.right_for(src, S.SUBMITTED) is None:
        raise _stale(src, S.SUBMITTED)
    _check_writer(actor, locked)
    sections = sections_of(locked)
    cleaned = clean_texts(sections, texts, required=True)
    now = timezone.now()
    number = locked.versions.count() + 1
    version = SummaryVersion.objects.create(
        summary=locked,
        number=number,
        figures=figures.compute(
            kind=locked.kind,
            department=locked.department,
            window=locked.window,
            month=locked.month,
        ),
        sections=[{**s, "text": cleaned[s["key"]]} for s in sections],
        submitted_by=actor,
        submitted_by_name=_name(actor),
        submitted_at=now,
    )
    locked.status = S.SUBMITTED
    locked.draft = cleaned
    fields = ["status", "draft", "updated_at"]
    if locked.first_submitted_at is None:
        locked.first_submitted_at = now
        fields.append("first_submitted_at")
    locked.save(update_fields=fields)
    log_action(
        actor, "summaries.submit", locked, {"from": src, "to": S.SUBMITTED, "version": number}
    )
    summary.__dict__.update({f: getattr(locked, f) for f in fields})
    return version


def _review(
    *, actor, summary: Summary, to: str, comment: str, label: str, required: bool
) -> SummaryVersion:
    locked = _locked(summary)
    src = locked.status
    if workflow.right_for(src, to) is None:
        if src == S.ACCEPTED:
            raise SummaryError(_("该总结已审核通过，无需重复操作。"))
        raise _stale(src, to)
    _check_reviewer(actor, locked)
    comment = clean_text(comment, label, COMMENT_MAX, required=required)
    version = locked.versions.order_by("-number").select_for_update().first()
    version.decision = Decision.ACCEPTED if to == S.ACCEPTED else Decision.RETURNED
    version.comment = comment
    version.reviewed_by = actor
    version.reviewed_by_name = _name(actor)
    version.reviewed_at = timezone.now()
    version.save(
        update_fields=["decision", "comment", "reviewed_by", "reviewed_by_name", "reviewed_at"]
    )
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    data = {"from": src, "to": to, "version": version.number}
    if to == S.RETURNED:
        data["reason"] = comment[:500]
    log_action(actor, "summaries.accept" if to == S.ACCEPTED else "summaries.return", locked, data)
    summary.status = to
    return version


@transaction.atomic
def summary_accept(*, actor, summary: Summary, comment: str = "") -> SummaryVersion:
    return _review(
        actor=actor,
        summary=summary,
        to=S.ACCEPTED,
        comment=comment,
        label=_("审核意见"),
        required=False,
    )


@transaction.atomic
def summary_return(*, actor, summary: Summary, comment: str) -> SummaryVersion:
    """Back to the unit for a new version; the comment says what to change."""
    return _review(
        actor=actor,
        summary=summary,
        to=S.RETURNED,
        comment=comment,
        label=_("退回意见"),
        required=True,
    )


# ---- the center's settings ---------------------------------------------------------------

_LINE = re.compile(r"\s*[|｜]\s*")


def parse_sections(text: str, old: list[dict]) -> list[dict]:
    """One section a line, "标题 | 提示" (the hint optional); a title kept from the
    old template keeps its key, so drafts being written keep their text."""
    text = plain(text)
    if "\ufffd" in text:
        raise SummaryError(BAD_BYTES)
    keys = {s["title"]: s["key"] for s in old}
    used = {int(s["key"][1:]) for s in old if s["key"][1:].isdigit()}
    sections, seen = [], set()
    for line in (raw.strip() for raw in text.split("\n")):
        if not line:
            continue
        parts = _LINE.split(line, maxsplit=1)
        title, hint = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
        if not title:
            raise SummaryError(_("每行先写部分标题，再写“|”和填写提示。"))
        if len(title) > SECTION_TITLE_MAX:
            raise SummaryError(
                _("部分标题“%(t)s…”超过 %(n)d 个字。") % {"t": title[:10], "n": SECTION_TITLE_MAX}
            )
        if len(hint) > SECTION_HINT_MAX:
            raise SummaryError(
                _("“%(t)s”的填写提示超过 %(n)d 个字。") % {"t": title, "n": SECTION_HINT_MAX}
            )
        if title in seen:
            raise SummaryError(_("部分标题“%(t)s”重复。") % {"t": title})
        seen.add(title)
        key = keys.get(title)
        if key is None:
            n = max(used, default=0) + 1
            used.add(n)
            key = f"s{n}"
        sections.append({"key": key, "title": title, "hint": hint})
    if not sections:
        raise SummaryError(_("总结模板至少要有一个部分。"))
    if len(sections) > SECTIONS_MAX:
        raise SummaryError(_("总结模板最多 %(n)d 个部分。") % {"n": SECTIONS_MAX})
    return sections


def sections_text(sections: list[dict]) -> str:
    return "\n".join(f"{s['title']} | {s['hint']}" if s["hint"] else s["title"] for s in sections)


@transaction.atomic
def summary_settings_save(
    *, actor, center, unit_kind: str, due_day: int, sections: str, today: date | None = None
) -> SummarySettings:
    _check(actor, RIGHT_SETTINGS)
    staff = getattr(actor, "staff", None)
    if not actor.is_superuser and (
        staff is None or staff.department_id is not None or staff.center_id != center.pk
    ):
        raise SummaryForbidden(_("只能修改本中心的设置。"))
    if unit_kind not in UnitKind.values:
        raise SummaryError(_("请选择由每个窗口还是每个部门提交总结。"))
    if not 1 <= due_day <= DUE_DAY_MAX:
        raise SummaryError(_("提交期限应为次月第 1 至 %(n)d 个工作日。") % {"n": DUE_DAY_MAX})
    today = today or timezone.localdate()
    row = SummarySettings.objects.select_for_update().filter(center=center).first()
    old = row.sections if row is not None else selectors.rules_for(center, today).sections
    parsed = parse_sections(sections, old)
    if row is None:
        row = SummarySettings(center=center, first_month=date(today.year, 1, 1))
    row.unit_kind, row.due_day, row.sections = unit_kind, due_day, parsed
    row.save()
    log_action(
        actor,
        "summaries.settings",
        center,
        {"unit_kind": unit_kind, "due_day": due_day, "sections": [s["title"] for s in parsed]},
        center_id=center.pk,
    )
    return row
