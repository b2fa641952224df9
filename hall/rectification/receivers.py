"""差评整改's reactions to ratings, inside the rating's transaction."""

from django.dispatch import receiver

from hall.ratings.signals import rating_given


@receiver(rating_given, dispatch_uid="rectification_open_task")
def open_task(sender, rating, **kwargs):
    """A bad rating (不满意, 非常不满意) of a finished case opens the department's task."""
    from .services import task_open

    task_open(rating=rating)


@receiver(rating_given, dispatch_uid="rectification_close_task")
def close_task(sender, rating, **kwargs):
    """The applicant's follow-up rating closes the task that waited for it."""
    from .services import task_close_by_follow_up

    task_close_by_follow_up(rating=rating)
