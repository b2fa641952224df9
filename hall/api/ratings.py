"""好差评 over the API: an applicant's rating of a case, proved by the signed
link's token or by the query number and phone."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema, Status

from hall.cases import services as case_services
from hall.core import ratelimit
from hall.ratings import selectors, services, tokens
from hall.ratings.constants import Channel, Kind
from hall.ratings.errors import RatingConflict, RatingError, RatingForbidden, RatingInvalid

router = Router(tags=["好差评 ratings"])


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


class RatingIn(Schema):
    token: str | None = None
    number: str | None = None
    phone: str | None = None
    kind: str | None = None
    level: int
    tags: list[str] = []
    comment: str = ""


class RatingOut(Schema):
    number: str
    kind: str
    kind_label: str
    level: int
    level_label: str
    tags: list[str]
    comment: str
    channel: str
    rated_at: str


NOT_FOUND = gettext_noop(
    "没有找到与该查询号和手机号匹配的办件，或评价链接无效、已过期，请核对后重试。"
)


def _bad(field: str, message: str):
    return Status(
        400,
        {
            "detail": _("请求参数有误，请检查后重试。"),
            "errors": [{"field": field, "message": message}],
        },
    )


@router.post(
    "",
    response={
        201: RatingOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="提交评价 Rate a finished case",
)
def submit_rating(request: HttpRequest, response: HttpResponse, payload: RatingIn):
    """The applicant's rating (好差评) of a case: proved by `token` (of the SMS
    link or the QR code: its case and kind) or by `number` + `phone` (the
    whole mobile number or its last four digits, as the status lookup).
    `kind`: finished (default), acceptance (items that ask for one) or
    follow_up (after a bad rating's rectification was answered). `level` 1–5
    (5 非常满意 … 1 非常不满意), `tags` the level's tag codes, `comment` up to
    500 characters; a bad level needs a tag or a comment. One rating per case
    and kind: a second is 409. A staff session is refused (403): staff never
    rate for the applicant. Unknown case, wrong phone or a bad token: 404.
    Posts are limited per client (429 with Retry-After)."""
    try:
        services.check_rater(getattr(request, "user", None))
    except RatingForbidden as exc:
        return Status(403, {"detail": str(exc)})
    client = ratelimit.client_ip(request)
    limit, window = settings.RATING_API_LIMIT
    if not ratelimit.hit("rating-api", client, limit=limit, window=window):
        response["Retry-After"] = str(ratelimit.retry_after(window))
        return Status(429, {"detail": _("提交过于频繁，请稍后再试。")})
    if payload.kind is not None and payload.kind not in Kind.values:
        return _bad("kind", _("评价类型不正确：可选 finished、acceptance 或 follow_up。"))
    if payload.token:
        found = tokens.read(payload.token)
        if found is None or (payload.kind is not None and payload.kind != found[1]):
            return Status(404, {"detail": _(NOT_FOUND)})
        case_id, kind = found
        case = selectors.case_of_link_or_none(case_id)
    elif payload.number and payload.phone:
        lookup = case_services.case_lookup(
            client=client, number=payload.number[:40], phone=payload.phone[:40]
        )
        if lookup.limited:
            response["Retry-After"] = str(lookup.retry_after)
            return Status(429, {"detail": _("查询过于频繁，请稍后再试。")})
        if lookup.needs_whole_phone:
            return _bad("phone", str(case_services.WHOLE_PHONE_NEEDED))
        case = lookup.case
        kind = payload.kind or Kind.FINISHED
    else:
        return _bad("token", _("请提供评价链接中的 token，或者查询号（number）和手机号（phone）。"))
    if case is None or not selectors.kind_applies(case, kind):
        return Status(404, {"detail": _(NOT_FOUND)})
    try:
        rating = services.rating_submit(
            case=case,
            kind=kind,
            level=payload.level,
            tags=payload.tags,
            comment=payload.comment,
            channel=Channel.API,
            actor=getattr(request, "user", None),
            request=request,
        )
    except RatingConflict as exc:
        return Status(409, {"detail": str(exc)})
    except RatingInvalid as exc:
        return _bad(exc.field, str(exc))
    except RatingError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        201,
        {
            "number": case.display_number,
            "kind": rating.kind,
            "kind_label": str(rating.get_kind_display()),
            "level": rating.level,
            "level_label": str(rating.get_level_display()),
            "tags": rating.tags,
            "comment": rating.comment,
            "channel": rating.channel,
            "rated_at": rating.rated_at.isoformat(),
        },
    )
