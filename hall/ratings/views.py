"""The public pages of 好差评: the rating form of every channel (the status
page after the number + phone lookup, the signed link of an SMS or a QR code),
its thank-you page and the recorded rating a used link shows."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services, tokens
from .constants import Channel, Kind
from .errors import RatingConflict, RatingError, RatingForbidden, RatingInvalid
from .forms import RatingForm, tag_groups

# The ratings this browser just gave: the next view of the page thanks once.
THANKED_KEY = "ratings_thanked"


def _groups(form: RatingForm) -> list[dict]:
    """The tag groups with what the rater ticked kept (in the group of the
    chosen level, or in every group while no level was chosen)."""
    chosen = form.chosen_tags()
    level = form.data.get("level", "") if form.is_bound else ""
    groups = []
    for group in tag_groups():
        in_group = not level or level in {str(n) for n in group["levels"]}
        groups.append(
            {
                **group,
                "tags": [
                    {
                        "code": code,
                        "label": label,
                        "id": f"id_tags_{group['key']}_{code}",
                        "checked": in_group and code in chosen,
                    }
                    for code, label in group["tags"]
                ],
            }
        )
    return groups


def _rate(request, *, case, kind: str, channel: str, page_url: str, back_url: str):
    """The rating page of every channel: the form, the refusal of a staff
    session, why the case cannot be rated yet, or the recorded rating."""
    context = {
        "case": case,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "page_url": page_url,
        "back_url": back_url,
    }
    try:
        # Staff never rate for the applicant, and no form is offered them.
        services.check_rater(request.user)
    except RatingForbidden as exc:
        context["refused"] = str(exc)
        return render(request, "ratings/rate.html", context, status=403)
    given = selectors.ratings_of(case)
    if kind in given:
        rating = given[kind]
        thanked = request.session.get(THANKED_KEY, [])
        context.update(
            rating=rating,
            tag_labels=selectors.tag_labels(rating),
            thanked=rating.pk in thanked,
        )
        if rating.pk in thanked:
            request.session[THANKED_KEY] = [pk for pk in thanked if pk != rating.pk]
        return render(
            request, "ratings/done.html", context, status=200 if request.method == "GET" else 409
        )
    why_not = services.rateable_kind(case, kind)
    if why_not:
        context["closed"] = why_not
        return render(
            request, "ratings/rate.html", context, status=200 if request.method == "GET" else 400
        )
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating = services.rating_submit(
                case=case,
                kind=kind,
                level=data["level"],
                tags=data["tags"],
                comment=data["comment"],
                channel=channel,
                actor=request.user,
                request=request,
            )
        except RatingConflict:
            return redirect(page_url)
        except RatingForbidden as exc:
            context["refused"] = str(exc)
            return render(request, "ratings/rate.html", context, status=403)
        except RatingInvalid as exc:
            form.add_error(exc.field or None, str(exc))
        except RatingError as exc:
            form.add_error(None, str(exc))
        else:
            thanked = request.session.get(THANKED_KEY, [])[-9:]
            request.session[THANKED_KEY] = [*thanked, rating.pk]
            return redirect(page_url)
    context.update(form=form, groups=_groups(form))
    return render(
        request,
        "ratings/rate.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate_case(request, number: str, kind: str):
    """Channel 1: the status page's invitation, proved by the number + phone
    lookup this browser made."""
    case = selectors.case_looked_up(request, number)
    if kind not in Kind.values or not selectors.kind_applies(case, kind):
        raise Http404
    return _rate(
        request,
        case=case,
        kind=kind,
        channel=Channel.WEB,
        page_url=reverse("ratings:rate", args=[case.query_number, kind]),
        back_url=reverse("cases:status", args=[case.query_number]),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate_link(request, token: str):
    """Channels 2 and 3: the signed link of an SMS, or of the QR code on a
    printed notice (`?via=qr`). Forged, expired or inapplicable: the uniform 404."""
    found = tokens.read(token)
    if found is None:
        raise Http404
    case_id, kind = found
    case = selectors.case_of_link(case_id)
    if not selectors.kind_applies(case, kind):
        raise Http404
    via_qr = request.GET.get("via") == "qr"
    page_url = reverse("ratings:link", args=[token]) + ("?via=qr" if via_qr else "")
    return _rate(
        request,
        case=case,
        kind=kind,
        channel=Channel.QR if via_qr else Channel.SMS,
        page_url=page_url,
        back_url=reverse("cases:track") + f"?number={case.display_number}",
    )
