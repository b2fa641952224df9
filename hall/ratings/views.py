"""The public pages of 好差评."""

from django.http import Http404

from . import tokens


def rate_link(request, token: str):
    """The page a signed rating link (SMS, QR) opens."""
    if tokens.read(token) is None:
        raise Http404
    raise Http404  # the rating form of a link comes with the rating pages
