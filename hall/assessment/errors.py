class AssessmentError(Exception):
    """A refused write, with the message the user reads; nothing was changed."""


class AssessmentForbidden(AssessmentError):
    """The actor lacks the right, or the scheme is outside their center."""
