from django.dispatch import Signal

# Sent after the transaction that changed a case's status has committed.
# Arguments: case, from_status, to_status, change (the StatusChange row).
case_status_changed = Signal()
