"""好差评's reactions to case changes, inside the change's transaction."""

from django.dispatch import receiver

from hall.cases.signals import case_event, cases_generated


@receiver(case_event, dispatch_uid="ratings_case_event")
def record_case_event(sender, case, event, **kwargs):
    """A case that finishes counts as one that may be rated (the participation
    rate's denominator)."""
    from . import stats

    if case.practice:
        return
    if event in stats.FINISHED_STATUSES:
        stats.bump(**stats.case_key(case), finished=1)


@receiver(case_event, dispatch_uid="ratings_invitation")
def queue_rating_invitation(sender, case, event, **kwargs):
    """The SMS with the signed rating link: when a case finishes (completed,
    refused, not accepted), and at acceptance for the items that ask for an
    acceptance rating. A row of the outbox, committed with the change; its key
    makes a repeated event queue nothing new."""
    from hall.cases.constants import CaseStatus
    from hall.notifications.constants import Event
    from hall.notifications.services import notification_for_event

    from . import stats, tokens
    from .constants import Kind

    if case.practice:
        return  # no rating link for a practice case
    if event in stats.FINISHED_STATUSES:
        kind, sms_event = Kind.FINISHED, Event.RATING_INVITE
    elif event == CaseStatus.ACCEPTED and case.item.rating_at_acceptance:
        kind, sms_event = Kind.ACCEPTANCE, Event.RATING_INVITE_ACCEPTANCE
    else:
        return
    if not case.sms_opt_in:
        return
    notification_for_event(
        event=sms_event,
        center=case.center,
        phone=case.phone,
        values={
            "item": case.item.name,
            "number": case.display_number,
            "name": case.applicant_name,
            "link": tokens.link(case.pk, kind),
        },
        key=f"rating:{case.pk}:{kind}:invite",
        department_id=case.department_id,
        case=case,
    )


@receiver(cases_generated, dispatch_uid="ratings_stats_rebuild")
def rebuild_after_bulk_load(sender, **kwargs):
    from . import stats

    stats.rebuild()
