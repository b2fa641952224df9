class TaskError(Exception):
    """A refused step of a rectification task, with the message staff read."""


class TaskForbidden(TaskError):
    """The actor lacks the right, or the task is outside their scope."""
