"""Every write of 好差评. A rating is the applicant's own: no staff session can
give one, whatever page or endpoint it comes through."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.cases.models import Case
from hall.core.services import log_action

from . import stats
from .constants import BAD_LEVELS, COMMENT_MAX, TAGS, TAGS_MAX, Channel, Kind, Level
from .errors import RatingConflict, RatingError, RatingForbidden, RatingInvalid
from .models import Rating
from .signals import rating_given

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_staff(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def check_rater(actor) -> None:
    """Refuse any signed-in staff member: staff never rate for the applicant."""
    if _is_staff(actor):
        raise RatingForbidden(
            _("工作人员不能代替申请人评价。请退出工作人员账号后，由申请人本人评价。")
        )


def clean_level(level) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = None
    if value not in Level.values:
        raise RatingInvalid(
            _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。"), "level"
        )
    return value


def clean_tags(level: int, tags) -> list[str]:
    if tags in (None, ""):
        return []
    if isinstance(tags, str) or not isinstance(tags, list | tuple):
        raise RatingInvalid(_("评价标签格式不正确。"), "tags")
    allowed = {code for code, _label in TAGS[level]}
    chosen = list(dict.fromkeys(str(t) for t in tags))
    if len(chosen) > TAGS_MAX:
        raise RatingInvalid(_("评价标签最多选择 %(n)d 个。") % {"n": TAGS_MAX}, "tags")
    unknown = [t for t in chosen if t not in allowed]
    if unknown:
        raise RatingInvalid(_("所选评价标签不属于该评价等级，请重新选择。"), "tags")
    return chosen


def clean_comment(comment) -> str:
    text = _CONTROL.sub("", str(comment or "")).strip()
    if len(text) > COMMENT_MAX:
        raise RatingInvalid(
            _("评价内容不能超过 %(max)d 个字（现有 %(n)d 个）。")
            % {"max": COMMENT_MAX, "n": len(text)},
            "comment",
        )
    return text


def clean_rating(level, tags, comment) -> tuple[int, list[str], str]:
    """The level, tags and comment as stored, or RatingInvalid naming the field
    to correct. A bad level needs a reason: a tag or a comment."""
    level = clean_level(level)
    tags = clean_tags(level, tags)
    comment = clean_comment(comment)
    if level in BAD_LEVELS and not tags and not comment:
        raise RatingInvalid(_("请选择或填写不满意的原因，以便部门整改。"), "tags")
    return level, tags, comment


def rateable_kind(case: Case, kind: str) -> str | None:
    """Why `case` cannot take a rating of `kind` now (a message), or None."""
    if case.practice:
        return _("练习办件不能评价。")
    if kind == Kind.FINISHED:
        if case.status not in stats.FINISHED_STATUSES:
            return _("办件尚未办结，办结（含不予受理、不予许可）后才能评价。")
    elif kind == Kind.ACCEPTANCE:
        if not case.item.rating_at_acceptance:
            return _("该事项不进行受理评价。")
        if case.accepted_at is None:
            return _("办件尚未受理，受理后才能评价受理服务。")
    elif kind == Kind.FOLLOW_UP:
        first = Rating.objects.filter(case=case, kind=Kind.FINISHED).first()
        if first is None or first.follow_up_open_at is None:
            return _("该办件暂无可追评的评价：差评整改答复后才能追评。")
    else:
        return _("评价类型不正确。")
    return None


_LOCKED_FIELDS = (
    "status",
    "accepted_at",
    "completed_at",
    "decided_at",
    "center_id",
    "department_id",
    "item_id",
    "handled_by_id",
)


def _lock_sql() -> str:
    columns = ", ".join(Case._meta.get_field(name).column for name in _LOCKED_FIELDS)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    table = Case._meta.db_table
    return f"SELECT {columns} FROM {table} WHERE id = %s{lock}"  # noqa: S608 (names are ours)


_RATED_SQL = f"SELECT 1 FROM {Rating._meta.db_table} WHERE case_id = %s AND kind = %s"  # noqa: S608


def _locked(case: Case, kind: str) -> bool:
    """Lock the case's row (two requests for one case take turns) and read
    afresh under the lock what a rating reads (state, clocks, counting key);
    the rest (number, phone, item) stays as the caller loaded it, which a
    rating never changes. True when the case already has a rating of `kind`:
    asked in a statement of its own after the lock, so that on PostgreSQL it
    sees what the request that held the lock committed. Plain SQL: the ORM's
    compiling was most of a rating's cost."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(), [case.pk])
        row = cursor.fetchone()
        if row is None:
            raise Case.DoesNotExist
        cursor.execute(_RATED_SQL, [case.pk, kind])
        rated = cursor.fetchone() is not None
    item_id = case.item_id
    for name, value in zip(_LOCKED_FIELDS, row, strict=True):
        if isinstance(value, datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)  # SQLite keeps UTC without a zone
        setattr(case, name, value)
    if case.item_id != item_id:
        case._state.fields_cache.pop("item", None)
    return rated


def _month(case: Case, kind: str):
    if kind == Kind.ACCEPTANCE:
        return stats.month_of(case.accepted_at)
    return stats.case_key(case)["month"]


def rating_submit(
    *,
    case: Case,
    kind: str,
    level,
    tags=None,
    comment: str = "",
    channel: str,
    actor=None,
    request=None,
) -> Rating:
    """Save the applicant's rating of `case` (who proved it: number + phone or a
    signed link — the caller's part). One rating per case and kind: a second,
    even at the same moment, is refused with a message and changes nothing."""
    check_rater(actor)
    if channel not in Channel.values:
        raise RatingError(_("评价渠道不正确。"))
    level, tags, comment = clean_rating(level, tags, comment)
    with transaction.atomic():
        # The case row is the lock: two requests for one case take turns. Only
        # what the rating reads is fetched (fresh, under the lock); the item
        # stays the caller's.
        if _locked(case, kind):
            raise RatingConflict(_("该办件已经评价过，每件只能评价一次。感谢您的评价。"))
        why_not = rateable_kind(case, kind)
        if why_not:
            raise RatingError(why_not)
        key = stats.case_key(case)
        follows = None
        if kind == Kind.FOLLOW_UP:
            follows = Rating.objects.get(case=case, kind=Kind.FINISHED)
        rating = Rating(
            case=case,
            kind=kind,
            level=level,
            tags=tags,
            comment=comment,
            channel=channel,
            center_id=key["center_id"],
            department_id=key["department_id"],
            item_id=key["item_id"],
            clerk=key["clerk"],
            month=_month(case, kind),
            follows=follows,
        )
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            raise RatingConflict(_("该办件已经评价过，每件只能评价一次。感谢您的评价。")) from None
        stats.bump_for_rating(rating)
        log_action(
            None,
            "ratings.rate",
            rating,
            {"case": case.pk, "kind": kind, "level": level, "channel": channel},
            request=request,
            center_id=case.center_id,
        )
        rating_given.send(sender=Rating, rating=rating)
    return rating


def rating_open_follow_up(*, rating: Rating, actor) -> Rating:
    """Welcome one follow-up rating (追评) of a bad rating whose rectification
    was answered. Called by the rectification service, inside its transaction,
    after it checked the actor's right."""
    if rating.kind != Kind.FINISHED or rating.level not in BAD_LEVELS:
        raise RatingError(_("只有差评才能开放追评。"))
    if rating.follow_up_open_at is None:
        rating.follow_up_open_at = timezone.now()
        Rating.objects.filter(pk=rating.pk).update(follow_up_open_at=rating.follow_up_open_at)
        log_action(actor, "ratings.open_follow_up", rating, {"case": rating.case_id})
    return rating
