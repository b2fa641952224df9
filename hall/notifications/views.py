"""The provider's delivery receipts (a machine endpoint, signed, no session)."""

import hmac
import json
import logging
import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .gateways import sign

logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024


def _refuse(request, status: int, message: str, why: str) -> JsonResponse:
    logger.warning(
        "delivery receipt refused (%s) from %s: %s", status, request.META.get("REMOTE_ADDR"), why
    )
    return JsonResponse({"ok": False, "error": message}, status=status)


@csrf_exempt
@require_POST
def callback(request):
    """POST JSON {"message_id", "reference", "status": "delivered"|"failed", "error"}
    with headers X-Hall-Timestamp (Unix seconds) and X-Hall-Signature (hex
    HMAC-SHA256 of "timestamp." + body with NOTIFY_CALLBACK_SECRET)."""
    secret = settings.NOTIFY_CALLBACK_SECRET
    if not secret:
        return _refuse(request, 403, _("未配置回执签名密钥，回执被拒绝。"), "no secret set")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        return _refuse(request, 413, _("回执内容过大。"), f"length {length[:20]}")
    body = request.body
    timestamp = request.headers.get("X-Hall-Timestamp", "")
    signature = request.headers.get("X-Hall-Signature", "")
    if (
        not timestamp.isdigit()
        or abs(time.time() - int(timestamp)) > settings.NOTIFY_CALLBACK_MAX_SKEW
    ):
        return _refuse(request, 403, _("回执签名无效或已过期。"), "bad timestamp")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return _refuse(request, 403, _("回执签名无效或已过期。"), "bad signature")
    try:
        data = json.loads(body)
    except ValueError:
        return _refuse(request, 400, _("回执内容不是有效的 JSON。"), "not JSON")
    if not isinstance(data, dict):
        return _refuse(request, 400, _("回执内容不是有效的 JSON。"), "not an object")
    message_id = str(data.get("message_id") or "")[:100]
    reference = str(data.get("reference") or "")[:130]
    state = str(data.get("status") or "").lower()
    if state not in services.RECEIPT_STATUSES or not (message_id or reference):
        return _refuse(request, 400, _("回执缺少消息编号或状态无效。"), f"status {state[:20]!r}")
    row = services.notification_receipt(
        message_id=message_id, reference=reference, state=state, error=str(data.get("error") or "")
    )
    if row is None:
        return _refuse(
            request, 404, _("没有这条消息。"), f"unknown message {message_id!r} {reference!r}"
        )
    return JsonResponse({"ok": True, "status": row.status})
