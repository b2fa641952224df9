"""The error every case service raises for a request it cannot take (here, not
in services, so that the signals module can raise it too)."""


class CaseError(Exception):
    """A request the case cannot take; the message is for people, in Chinese."""
