"""Supervision's reactions to case changes."""

from django.dispatch import receiver

from hall.cases.signals import case_event, cases_generated


@receiver(case_event, dispatch_uid="supervision_stats_record")
def record_case_event(sender, case, event, **kwargs):
    from .services import stats_record

    stats_record(case=case, event=event)


@receiver(cases_generated, dispatch_uid="supervision_stats_rebuild")
def rebuild_after_bulk_load(sender, **kwargs):
    from .services import stats_rebuild

    stats_rebuild()
