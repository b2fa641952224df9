"""The signals the organisation sends; apps to its right receive them."""

from django.dispatch import Signal

# A user name was locked after too many failed passwords from all addresses
# (services.account_login_failed). Sent once per lock, inside the transaction
# that records it, so a receiver's rows commit with the audit entry. Arguments:
# user (None when no account has the name), username, until (aware datetime).
account_locked = Signal()
