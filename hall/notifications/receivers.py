"""The outbox rows of every case change, written inside its transaction."""

from django.dispatch import receiver

from hall.cases.signals import case_event


@receiver(case_event, dispatch_uid="notifications_case_event")
def queue_case_notifications(sender, case, event, message=None, **kwargs):
    from .services import notifications_for_case_event

    notifications_for_case_event(case=case, event=event, message=message)
