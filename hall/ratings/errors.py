class RatingError(Exception):
    """A refused rating, with the message the rater reads."""


class RatingForbidden(RatingError):
    """A staff session tried to rate, or the case is not the rater's to rate."""


class RatingTokenInvalid(RatingError):
    """A rating link that is forged, expired or for something that does not exist."""
