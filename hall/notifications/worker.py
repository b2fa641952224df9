"""The sending loop of `manage.py run_notifications`; it also carries the
holiday-table changes to the open cases' deadlines (workdays.calendar_changed)."""

import logging
import os
import socket
import time
import uuid

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from . import services
from .gateways import Outgoing, Result, gateway_for

logger = logging.getLogger(__name__)


class Worker:
    def __init__(self, name: str = ""):
        self.name = (name or f"{socket.gethostname()}:{os.getpid()}")[:40]
        self.gateways = {}
        self.stopping = False
        self.digest_day = None

    def gateway(self, channel: str):
        if channel not in self.gateways:
            self.gateways[channel] = gateway_for(channel)
        return self.gateways[channel]

    def send(self, row) -> Result:
        message = Outgoing(
            key=row.provider_key,
            channel=row.channel,
            recipient=row.recipient,
            subject=row.subject,
            text=row.text,
            event=row.event,
        )
        try:
            return self.gateway(row.channel).send(message)
        except Exception as exc:
            # A faulty gateway must not stop the others' messages: retried later.
            logger.exception("gateway error on notification %s", row.pk)
            return Result.retry(f"{exc.__class__.__name__}: {exc}")

    def run_batch(self, limit: int | None = None) -> int:
        """Claim, send and record one batch; the number of messages handled."""
        token = f"{self.name}:{uuid.uuid4().hex[:12]}"
        rows = services.notifications_claim(token=token, limit=limit or settings.NOTIFY_BATCH_SIZE)
        if not rows:
            return 0
        results = []
        for row in rows:
            results.append((row, self.send(row)))
            if self.stopping:
                break
        services.notifications_record(token=token, results=results)
        # Rows not reached because of a stop stay "sending" and are reclaimed.
        return len(results)

    def maybe_digest(self) -> None:
        hour = settings.NOTIFY_DIGEST_HOUR
        now = timezone.localtime()
        if hour < 0 or now.hour < hour or self.digest_day == now.date():
            return
        queued = services.digest_enqueue(day=now.date())
        self.digest_day = now.date()
        logger.info("staff digest: %d e-mails queued", queued)

    def deliver_calendar_changes(self) -> frozenset[int]:
        """Tell the calendar's dependents of committed holiday changes (the open
        cases' deadlines are recomputed), here rather than in the admin's request.
        A failure is logged and tried again next round; the messages go on."""
        from hall.workdays.services import calendar_changes_deliver

        try:
            years = calendar_changes_deliver()
        except Exception:
            logger.exception("calendar change not delivered; tried again next round")
            return frozenset()
        if years:
            logger.info("calendar change delivered for %s", sorted(years))
        return years

    def run(self, *, once: bool = False, drain: bool = False) -> int:
        """Loop until stopped. once: one batch. drain: until nothing is due."""
        total = 0
        while not self.stopping:
            try:
                if not once and not drain:
                    self.maybe_digest()
                self.deliver_calendar_changes()
                handled = self.run_batch()
            except OperationalError:
                # The database went away or stayed locked: reconnect and carry on.
                logger.exception("database error in the notification worker")
                connection.close()
                handled = 0
                time.sleep(settings.NOTIFY_POLL_SECONDS)
            total += handled
            if once or (drain and handled == 0):
                break
            if handled == 0:
                close_old_connections()
                time.sleep(settings.NOTIFY_POLL_SECONDS)
        for gateway in self.gateways.values():
            gateway.close()
        return total
