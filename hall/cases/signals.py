from django.dispatch import Signal

# Sent INSIDE the transaction that changes a case, before it commits, so that
# what a receiver writes (a notification in the outbox, a statistics row)
# commits or rolls back together with the change.
# Arguments: case (the locked, updated row), event, from_status, actor,
# message (the ReviewMessage of a clerk's reply, else None).
# event: the new status's value for a status change (CaseStatus), except
# CASE_EVENT_RESUMED for the end of a special procedure (suspended → accepted,
# which is no new acceptance), or CASE_EVENT_REPLY when a clerk answers the
# applicant in the pre-review.
case_event = Signal()

CASE_EVENT_REPLY = "reply"
CASE_EVENT_RESUMED = "resumed"

# Sent after cases were written in bulk without their services (the generated
# history of the demo and of benchmarks): whatever keeps figures derived from
# cases rebuilds them. No arguments.
cases_generated = Signal()
