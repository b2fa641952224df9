"""Signed rating links (SMS, QR on the printed notices).

A token names a case and the kind of rating and carries the time it was made,
signed with the secret key: it cannot be forged or changed, it expires after
TOKEN_MAX_AGE_DAYS, and it is one-time because a case takes one rating of each
kind (the unique constraint on Rating). The token is URL-safe and short enough
for an SMS: "<case id>.<kind>.<time>.<signature>"."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .constants import TOKEN_MAX_AGE_DAYS, Kind

_SALT = "hall.ratings.link"
_KIND_CODE = {Kind.FINISHED: "f", Kind.ACCEPTANCE: "a", Kind.FOLLOW_UP: "u"}
_CODE_KIND = {code: kind for kind, code in _KIND_CODE.items()}


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT, sep=".")


def make(case_id: int, kind: str) -> str:
    return _signer().sign(f"{int(case_id)}.{_KIND_CODE[kind]}")


def read(token: str) -> tuple[int, str] | None:
    """(case id, kind) of a genuine, unexpired token; None for anything else."""
    if not isinstance(token, str) or not 8 <= len(token) <= 200:
        return None
    try:
        value = _signer().unsign(token, max_age=TOKEN_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    case_id, _, code = value.partition(".")
    if not case_id.isdigit() or code not in _CODE_KIND:
        return None
    return int(case_id), _CODE_KIND[code]


def link(case_id: int, kind: str) -> str:
    """The absolute link of the rating page for an SMS or a QR code."""
    path = reverse("ratings:link", args=[make(case_id, kind)])
    return settings.NOTIFY_SITE_URL.rstrip("/") + path
