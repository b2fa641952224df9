class NoticeError(Exception):
    """A refused step of a notice or task, with the message staff read."""


class NoticeForbidden(NoticeError):
    """The actor lacks the right, or the notice is outside their reach: a 404."""
