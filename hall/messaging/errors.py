class MessagingError(Exception):
    """A refused write, with the message the user reads."""


class MessagingForbidden(MessagingError):
    """The actor lacks the right, or the thread or addressee is outside their reach."""
