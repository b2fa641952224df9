"""The account's session list follows logins and logouts (in the login's request)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import security


@receiver(user_logged_in, dispatch_uid="record_staff_session")
def record_staff_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        security.session_record(request, user)


@receiver(user_logged_out, dispatch_uid="close_staff_session")
def close_staff_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        security.session_close(request)
