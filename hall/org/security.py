"""An account's own security: its two-factor device and its signed-in sessions.

Every change here is the account holder's own act on their own account (the
actor is always `request.user`); each writes an audit entry.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hall.core.services import log_action

from .constants import RoleKind
from .models import StaffSession

DB_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}
# The last-seen time of a session is written at most this often.
TOUCH_EVERY = timedelta(minutes=1)
MAX_USER_AGENT = 300


class SessionNotFound(LookupError):
    """No open session of this account with that id (or it is the current one)."""


# ---- two-factor devices -----------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def otp_required(user) -> bool:
    """Center administrators and superusers must use a second factor when the
    hall is served over HTTPS only (production)."""
    if not settings.HTTPS_ONLY or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = getattr(user, "staff", None)
    return staff is not None and RoleKind.CENTER_ADMIN in staff.role_kinds()


def login_code_url() -> str:
    return reverse("org:login_code")


def otp_pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (made once, reused until confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def otp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning QR code as an inline SVG element (no script, no style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg ", '<svg class="otp-qr" role="img" aria-hidden="true" ', 1)


@dataclass(frozen=True)
class Check:
    ok: bool
    # seconds to wait when refused for too many failures, else 0
    wait_seconds: int = 0


def otp_check(device: TOTPDevice, code: str) -> Check:
    """Try a code against the device; django-otp throttles after failures
    (1, 2, 4 … seconds) and refuses a code already used."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return Check(False, _wait(info))
    return Check(device.verify_token(code))


def _wait(info) -> int:
    until = (info or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds() + 0.999))


@transaction.atomic
def otp_confirm(request, device: TOTPDevice, code: str) -> Check:
    """Confirm the enrolled device with a code from it; the session counts as verified."""
    check = otp_check(device, code)
    if check.ok:
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        log_action(request.user, "org.otp_enrol", request.user, request=request)
    return check


@transaction.atomic
def otp_remove(request, device: TOTPDevice, *, code: str = "", password: str = "") -> Check:
    """Remove the account's device; a current code or the password proves it is
    the owner. Wrong passwords count towards the device's throttle as wrong codes do."""
    if code:
        check = otp_check(device, code)
    else:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return Check(False, _wait(info))
        check = Check(request.user.check_password(password))
        if not check.ok:
            device.throttle_increment()
    if check.ok:
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        log_action(
            request.user,
            "org.otp_remove",
            request.user,
            {"proof": "code" if code else "password"},
            request=request,
        )
    return check


def otp_login_check(request, device: TOTPDevice, code: str) -> Check:
    """The second step of a login: a right code verifies the session, a wrong
    one is audited."""
    check = otp_check(device, code)
    if check.ok:
        otp_verified(request, device)
    else:
        log_action(
            request.user,
            "org.otp_failed",
            request.user,
            {"throttled": bool(check.wait_seconds)},
            request=request,
        )
    return check


def otp_verified(request, device: TOTPDevice) -> None:
    """The code was right: mark the session verified under a new key."""
    old = session_hash(request.session.session_key)
    django_otp.login(request, device)
    request.session.cycle_key()
    StaffSession.objects.filter(key_hash=old).update(
        key_hash=session_hash(request.session.session_key)
    )


# ---- sessions ---------------------------------------------------------------------


def session_hash(session_key: str | None) -> str:
    return hashlib.sha256((session_key or "").encode()).hexdigest()


def session_record(request, user) -> StaffSession:
    """Note the session a login just opened (or one that predates this table)."""
    if request.session.session_key is None:
        request.session.save()
    now = timezone.now()
    record, _ = StaffSession.objects.get_or_create(
        key_hash=session_hash(request.session.session_key),
        defaults={
            "user": user,
            "created_at": now,
            "last_seen": now,
            "ip_address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:MAX_USER_AGENT],
        },
    )
    return record


def session_current(request) -> StaffSession:
    """The record of the request's session, made if missing."""
    key_hash = session_hash(request.session.session_key)
    record = StaffSession.objects.filter(key_hash=key_hash, user=request.user).first()
    return record or session_record(request, request.user)


def session_touch(record: StaffSession, now) -> None:
    """Note activity, at most once a minute (no write on every request)."""
    if now - record.last_seen >= TOUCH_EVERY:
        StaffSession.objects.filter(pk=record.pk).update(last_seen=now)
        record.last_seen = now


def session_idle_limit() -> timedelta:
    """How long without a request ends a session. last_seen lags the last
    request by under a minute, so a minute is added: never ended early."""
    return timedelta(minutes=settings.STAFF_IDLE_MINUTES) + TOUCH_EVERY


def sessions_of(user):
    """The account's live sessions (not ended, not idle past the limit, not past
    the cookie's age), the most recently active first."""
    now = timezone.now()
    return StaffSession.objects.filter(
        user=user,
        ended_at__isnull=True,
        last_seen__gt=now - session_idle_limit(),
        created_at__gt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).order_by("-last_seen")


@transaction.atomic
def session_end(request, session_id: int | None) -> int:
    """End one other open session of the signed-in account (None: all others).

    The session is marked ended and its stored Django session deleted; were it
    still presented, the middleware would refuse it. Returns how many were ended."""
    current = session_hash(request.session.session_key)
    others = sessions_of(request.user).exclude(key_hash=current)
    if session_id is not None:
        others = others.filter(pk=session_id)
        if not others.exists():
            raise SessionNotFound(session_id)
    ended = list(others.select_for_update())
    now = timezone.now()
    StaffSession.objects.filter(pk__in=[s.pk for s in ended]).update(ended_at=now)
    _delete_django_sessions({s.key_hash for s in ended})
    for record in ended:
        log_action(
            request.user,
            "org.session_end",
            record,
            {"all_others": session_id is None, "ip_address": record.ip_address},
            request=request,
        )
    return len(ended)


def _delete_django_sessions(key_hashes: set[str]) -> None:
    """Delete the stored sessions whose keys have these digests, when the sessions
    live in the database (the default). With any other engine the middleware
    refuses an ended session on its next request and deletes it then."""
    if not key_hashes or settings.SESSION_ENGINE not in DB_SESSION_ENGINES:
        return
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    live = Session.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", flat=True
    )
    for key in live.iterator(chunk_size=2000):
        if session_hash(key) in key_hashes:
            store(session_key=key).delete()


def session_close(request) -> None:
    """The current session ended (logout, idle, or ended elsewhere)."""
    StaffSession.objects.filter(
        key_hash=session_hash(request.session.session_key), ended_at__isnull=True
    ).update(ended_at=timezone.now())
