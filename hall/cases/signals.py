"""The signals cases publish, and for each where its receivers run and what a
failing receiver does. Every receiver of every signal of the hall is listed in
hall/core/tests/test_receivers.py: adding one is a visible act."""

import logging

from django.dispatch import Signal
from django.utils.translation import gettext as _

from .errors import CaseError

logger = logging.getLogger(__name__)


class CaseEffectFailed(CaseError):
    """A receiver of case_event failed: the whole change was undone."""


class _InTransactionSignal(Signal):
    """A signal whose receivers are part of the sender's transaction: the first
    receiver that raises undoes the whole change, and the sender gets a CaseError
    (which every case page shows as a message) instead of an error page."""

    def send(self, sender, **named):
        try:
            return super().send(sender, **named)
        except CaseError:
            raise
        except Exception as exc:
            case = named.get("case")
            logger.exception(
                "a case_event receiver failed; case %s, event %s: the change is undone",
                getattr(case, "pk", None),
                named.get("event"),
            )
            raise CaseEffectFailed(
                _(
                    "操作未能完成：记录统计或通知时出错，本次操作已全部撤销，办件保持原状。"
                    "请稍后重试；如仍失败，请联系系统管理员。"
                )
            ) from exc


# Sent INSIDE the transaction that changes a case, before it commits, so that
# what a receiver writes commits or rolls back together with the change.
# Arguments: case (the locked, updated row), event, from_status, actor,
# message (the ReviewMessage of a clerk's reply, else None).
# event: the new status's value for a status change (CaseStatus), except
# CASE_EVENT_RESUMED for the end of a special procedure (suspended → accepted,
# which is no new acceptance), or CASE_EVENT_REPLY when a clerk answers the
# applicant in the pre-review.
#
# Its receivers are part of the change, by decision, not by accident:
#   supervision  record_case_event         the day and month counters: a figure
#                                          must count exactly the committed changes
#   notifications queue_case_notifications the outbox rows: nothing lost, nothing
#                                          sent for a change that did not happen
# A receiver that raises undoes everything (status, history, audit entry, the other
# receivers' rows); the clerk reads CaseEffectFailed's message, the log has the
# traceback. So a receiver here writes rows and nothing else: anything that may fail
# without undoing the change (a call to another system, a publication) is queued as
# a row here and done by the worker after commit, as the outbox is.
case_event = _InTransactionSignal()

CASE_EVENT_REPLY = "reply"
CASE_EVENT_RESUMED = "resumed"

# Sent after cases were written in bulk without their services (the generated
# history of the demo and of benchmarks): whatever keeps figures derived from
# cases rebuilds them. No arguments.
# Sent outside any transaction by the command that wrote the cases, and its
# receiver (supervision's counter rebuild) runs in that command: a failure stops
# the command with its traceback, the cases stay, and `manage.py
# rebuild_case_stats` rebuilds the figures later. No request ever sends it.
cases_generated = Signal()
