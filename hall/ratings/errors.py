class RatingError(Exception):
    """A refused rating, with the message the rater reads."""


class RatingForbidden(RatingError):
    """A staff session tried to rate, or the case is not the rater's to rate."""


class RatingTokenInvalid(RatingError):
    """A rating link that is forged, expired or for something that does not exist."""


class RatingInvalid(RatingError):
    """A level, tag or comment the rater must correct; `field` names it."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class RatingConflict(RatingError):
    """The case already has its rating of this kind (一事一评)."""
