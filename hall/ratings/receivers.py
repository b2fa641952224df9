"""好差评's reactions to case changes, inside the change's transaction."""

from django.dispatch import receiver

from hall.cases.signals import case_event, cases_generated


@receiver(case_event, dispatch_uid="ratings_case_event")
def record_case_event(sender, case, event, **kwargs):
    """A case that finishes counts as one that may be rated (the participation
    rate's denominator)."""
    from . import stats

    if event in stats.FINISHED_STATUSES:
        stats.bump(**stats.case_key(case), finished=1)


@receiver(cases_generated, dispatch_uid="ratings_stats_rebuild")
def rebuild_after_bulk_load(sender, **kwargs):
    from . import stats

    stats.rebuild()
