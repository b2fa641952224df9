class ComplaintError(Exception):
    """A refused write, with the message the user reads."""


class ComplaintForbidden(ComplaintError):
    """The actor lacks the right, or the complaint is outside their scope."""


class FilingLimited(ComplaintError):
    def __init__(self, message, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
