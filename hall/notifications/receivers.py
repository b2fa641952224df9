"""The outbox rows of every case change and every account lock, written inside
the transaction of the change."""

from django.dispatch import receiver

from hall.cases.signals import case_event
from hall.org.signals import account_locked


@receiver(case_event, dispatch_uid="notifications_case_event")
def queue_case_notifications(sender, case, event, message=None, **kwargs):
    from .services import notifications_for_case_event

    notifications_for_case_event(case=case, event=event, message=message)


@receiver(account_locked, dispatch_uid="notifications_account_locked")
def queue_account_locked_notice(sender, user, until, **kwargs):
    from .services import notification_for_account_lock

    notification_for_account_lock(user=user, until=until)
