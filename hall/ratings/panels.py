"""好差评's sections of the cases' pages (registered in apps.py): the rating
invitation or the recorded rating on the status page, and the rating QR code
on the printed notices of walk-in applicants. The cases app names only the
slots; it never imports ratings."""

from django.urls import reverse
from django.utils.translation import gettext as _

from hall.cases.constants import Channel as CaseChannel

from . import selectors, services, tokens
from .constants import Kind
from .errors import RatingForbidden

_INVITE_TEXT = {
    Kind.ACCEPTANCE: (
        lambda: _("申请已受理，欢迎对受理服务进行评价。"),
        lambda: _("评价受理服务"),
    ),
    Kind.FINISHED: (
        lambda: _("办件已办结，欢迎对本次服务进行评价（一事一评）。"),
        lambda: _("评价本次服务"),
    ),
    Kind.FOLLOW_UP: (
        lambda: _("部门已对您的评价整改并答复，欢迎追评一次。"),
        lambda: _("追评"),
    ),
}


def status_panel(request, case) -> dict | None:
    """What the applicant gave, and the ratings they are welcome to give now."""
    given = selectors.ratings_of(case)
    kinds = selectors.invitations(case, given)
    if not given and not kinds:
        return None
    refused = ""
    try:
        services.check_rater(getattr(request, "user", None))
    except RatingForbidden as exc:
        refused = str(exc)
    order = [Kind.ACCEPTANCE, Kind.FINISHED, Kind.FOLLOW_UP]
    return {
        "rating_given": [
            {"rating": given[k], "tags": selectors.tag_labels(given[k])}
            for k in order
            if k in given
        ],
        "rating_invites": [
            {
                "kind": kind,
                "text": _INVITE_TEXT[kind][0](),
                "action": _INVITE_TEXT[kind][1](),
                "url": reverse("ratings:rate", args=[case.query_number, kind]),
            }
            for kind in kinds
        ],
        "rating_refused": refused if kinds else "",
    }


def notice_kind(case, doc: str) -> str | None:
    """The rating a printed notice's QR code asks for: at acceptance the
    acceptance rating (items that ask for one) or the rating once finished;
    on a decision or a refusal, the finished rating."""
    if case.channel != CaseChannel.WALK_IN:
        return None
    if doc == "acceptance" and case.item.rating_at_acceptance:
        return Kind.ACCEPTANCE
    return Kind.FINISHED


def notice_panel(request, case, doc: str = "") -> dict | None:
    """The rating QR code of the printed notices of walk-in applicants: the
    signed link with ?via=qr, so the rating counts as given by QR."""
    import qrcode
    import qrcode.image.svg

    kind = notice_kind(case, doc)
    if kind is None:
        return None
    url = tokens.link(case.pk, kind) + "?via=qr"
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(
        encoding="unicode"
    )
    return {"rating_qr_svg": svg, "rating_qr_url": url}
