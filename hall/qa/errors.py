class QuestionError(Exception):
    """A refused write, with the message the user reads."""


class QuestionForbidden(QuestionError):
    """The actor lacks the right, or the question is outside their scope."""


class AskLimited(QuestionError):
    def __init__(self, message, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
