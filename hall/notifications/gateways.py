"""Gateways: how a message leaves the hall. Each is one small class registered
under a name; settings choose one per channel (NOTIFY_GATEWAY for SMS,
NOTIFY_EMAIL_GATEWAY for e-mail), by registered name or dotted path.

A gateway answers every send with a Result and never raises for a provider's
failure; the worker also catches what a faulty gateway raises.
"""

import hashlib
import hmac
import http.client
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_REGISTRY: dict[str, type["Gateway"]] = {}


def register(name: str):
    def decorator(cls):
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return decorator


def gateway_class(name: str) -> type["Gateway"]:
    if name in _REGISTRY:
        return _REGISTRY[name]
    if "." in name:
        return import_string(name)
    raise KeyError(name)


@dataclass(frozen=True)
class Outgoing:
    """What a gateway is given: never the database row itself."""

    key: str  # the provider dedupes on this: a retried or reclaimed send is one message
    channel: str
    recipient: str
    subject: str
    text: str
    event: str


@dataclass(frozen=True)
class Result:
    outcome: str  # "sent", "delivered", "retry" (a passing fault) or "failed" (final)
    provider_id: str = ""
    error: str = ""

    @classmethod
    def retry(cls, error: str) -> "Result":
        return cls("retry", error=error[:500])

    @classmethod
    def failed(cls, error: str) -> "Result":
        return cls("failed", error=error[:500])


class Gateway:
    name = ""

    def send(self, message: Outgoing) -> Result:
        raise NotImplementedError

    def close(self) -> None:
        pass


@register("console")
class ConsoleGateway(Gateway):
    """Development: the message is printed, as if sent."""

    def send(self, message: Outgoing) -> Result:
        print(f"[{message.channel}] {message.recipient} {message.key}: {message.text}", flush=True)
        return Result("sent", provider_id=f"console-{message.key}")


@register("file")
class FileGateway(Gateway):
    """Development and tests: one JSON line per message in NOTIFY_FILE_PATH.
    A line is one write() on a file opened for appending, so several workers
    never interleave their lines."""

    def send(self, message: Outgoing) -> Result:
        path = Path(settings.NOTIFY_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "id": message.key,
                "channel": message.channel,
                "to": message.recipient,
                "subject": message.subject,
                "text": message.text,
                "event": message.event,
                "at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        )
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
        return Result("sent", provider_id=f"file-{message.key}")


@register("email")
class EmailGateway(Gateway):
    """E-mail through Django's e-mail backend (EMAIL_URL)."""

    def send(self, message: Outgoing) -> Result:
        import smtplib

        from django.core.mail import EmailMessage

        try:
            EmailMessage(
                subject=message.subject,
                body=message.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.recipient],
                headers={"X-Hall-Message-Key": message.key},
            ).send()
        except smtplib.SMTPRecipientsRefused as exc:
            return Result.failed(f"SMTP: {exc}")
        except (OSError, smtplib.SMTPException) as exc:
            return Result.retry(f"SMTP: {exc}")
        return Result("sent", provider_id=f"email-{message.key}")


# The HTTP gateway's answers and delivery receipts, mapped to our statuses.
HTTP_ACCEPTED = {"accepted", "queued", "sent", "duplicate"}
HTTP_DELIVERED = {"delivered"}
HTTP_REJECTED = {"rejected", "failed", "undelivered", "invalid"}


@register("http")
class HttpGateway(Gateway):
    """A generic SMS provider over HTTP.

    Request: POST NOTIFY_HTTP_URL, JSON {"id", "to", "text", "channel"}, headers
    Authorization: Bearer NOTIFY_HTTP_API_KEY and Idempotency-Key (= "id"): the
    provider must treat a second request with the same key as the same message.
    Answer: 2xx with JSON {"message_id", "status"}, status one of accepted/queued/
    sent/duplicate (sent), delivered, or rejected/failed/invalid (final failure).
    A 5xx, 408 or 429 answer, a timeout, a broken connection or an answer that
    is not JSON is retried; any other 4xx is a final failure.
    Delivery receipts come back to /notifications/callback/ (see views.callback).
    """

    def __init__(self):
        parts = urlsplit(settings.NOTIFY_HTTP_URL)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("NOTIFY_HTTP_URL must be an http(s) URL")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = settings.NOTIFY_HTTP_TIMEOUT
        self.conn = None

    def _connection(self):
        if self.conn is None:
            cls = (
                http.client.HTTPSConnection
                if self.scheme == "https"
                else http.client.HTTPConnection
            )
            self.conn = cls(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, message: Outgoing) -> Result:
        body = json.dumps(
            {
                "id": message.key,
                "to": message.recipient,
                "text": message.text,
                "channel": message.channel,
            },
            ensure_ascii=False,
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {settings.NOTIFY_HTTP_API_KEY}",
            "Idempotency-Key": message.key,
        }
        try:
            conn = self._connection()
            conn.request("POST", self.path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read(64 * 1024)
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Result.retry(f"HTTP: {exc.__class__.__name__} {exc}")
        return self.interpret(status, raw)

    @staticmethod
    def interpret(status: int, raw: bytes) -> Result:
        snippet = raw[:200].decode("utf-8", "replace")
        if status >= 500 or status in (408, 429):
            return Result.retry(f"HTTP {status}: {snippet}")
        if status >= 400:
            return Result.failed(f"HTTP {status}: {snippet}")
        if not 200 <= status < 300:
            return Result.retry(f"HTTP {status}")
        try:
            answer = json.loads(raw)
        except ValueError:
            # Whether it took the message is unknown; asking again is safe, the
            # provider dedupes on the key.
            return Result.retry(f"HTTP {status}: not JSON: {snippet}")
        if not isinstance(answer, dict):
            return Result.retry(f"HTTP {status}: not a JSON object: {snippet}")
        state = str(answer.get("status", "")).lower()
        provider_id = str(answer.get("message_id") or "")[:100]
        if state in HTTP_REJECTED:
            return Result.failed(str(answer.get("error") or state))
        if not provider_id:
            return Result.retry(f"HTTP {status}: no message_id: {snippet}")
        if state in HTTP_DELIVERED:
            return Result("delivered", provider_id=provider_id)
        if state in HTTP_ACCEPTED:
            return Result("sent", provider_id=provider_id)
        return Result.retry(f"HTTP {status}: unknown status {state!r}")


def gateway_for(channel: str) -> Gateway:
    from .constants import Channel

    name = settings.NOTIFY_EMAIL_GATEWAY if channel == Channel.EMAIL else settings.NOTIFY_GATEWAY
    return gateway_class(name)()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature of a delivery receipt: HMAC-SHA256 of "timestamp." + body."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
