class SummaryError(Exception):
    """A refused write, with the message the user reads."""


class SummaryForbidden(SummaryError):
    """The actor lacks the right, or the unit is outside their scope."""
