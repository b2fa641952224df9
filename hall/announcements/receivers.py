"""The column's reactions to other apps' signals."""

from django.dispatch import receiver

from hall.cases.models import Case
from hall.cases.signals import case_event


# Inside the case's transaction (see cases/signals.py): the result entry commits
# or rolls back with the approval or completion that queued it. It writes one row.
@receiver(case_event, sender=Case, dispatch_uid="announcements_queue_result")
def queue_result(sender, case, event, **kwargs):
    from .services import DECISIONS, result_queue

    if event in DECISIONS and not case.practice and case.item.publish_decisions:
        result_queue(case=case)
