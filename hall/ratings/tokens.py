"""Signed rating links (SMS, QR on the printed notices).

A token names a case and the kind of rating and carries the time it was made,
signed with the secret key: it cannot be forged or changed, it expires after
TOKEN_MAX_AGE_DAYS, and it is one-time because a case takes one rating of each
kind (the unique constraint on Rating). The token is URL-safe and short enough
for an SMS: "<case id>.<kind>.<time>.<signature>", the signature (an HMAC-SHA256
of the rest) cut to SIGNATURE_CHARS characters (96 bits, far beyond guessing
online), so the invitation with its link fits in two messages."""

import time

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from .constants import TOKEN_MAX_AGE_DAYS, Kind

_SALT = "hall.ratings.link"
_KIND_CODE = {Kind.FINISHED: "f", Kind.ACCEPTANCE: "a", Kind.FOLLOW_UP: "u"}
_CODE_KIND = {code: kind for kind, code in _KIND_CODE.items()}
SIGNATURE_CHARS = 16


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT, sep=".")


def _signature(value: str) -> str:
    return _signer().signature(value)[:SIGNATURE_CHARS]


def make(case_id: int, kind: str) -> str:
    value = f"{int(case_id)}.{_KIND_CODE[kind]}.{signing.b62_encode(int(time.time()))}"
    return f"{value}.{_signature(value)}"


def read(token: str) -> tuple[int, str] | None:
    """(case id, kind) of a genuine, unexpired token; None for anything else."""
    if not isinstance(token, str) or not 8 <= len(token) <= 200:
        return None
    value, _, signature = token.rpartition(".")
    if not value or not constant_time_compare(signature, _signature(value)):
        return None
    case_id, code, stamp = (value.split(".") + ["", "", ""])[:3]
    try:
        made = signing.b62_decode(stamp)
    except (ValueError, KeyError, IndexError):
        return None
    if time.time() - made > TOKEN_MAX_AGE_DAYS * 86400:
        return None
    if not case_id.isdigit() or code not in _CODE_KIND or value.count(".") != 2:
        return None
    return int(case_id), _CODE_KIND[code]


def link(case_id: int, kind: str) -> str:
    """The absolute link of the rating page for an SMS or a QR code."""
    path = reverse("ratings:link", args=[make(case_id, kind)])
    return settings.NOTIFY_SITE_URL.rstrip("/") + path
