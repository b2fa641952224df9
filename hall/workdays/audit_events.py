"""The audit events of the holiday table (see core.audit_events); the back
office's own edits are core's admin.* events."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import AUDIT_SEED

register(
    AUDIT_SEED,
    _("导入国务院节假日安排"),
    data={
        "holidays_added": "holidays inserted",
        "workdays_added": "make-up workdays inserted",
        "years_published": "years newly marked published",
        "years_with_additions": "years that got new rows",
        "conflicts": "dates entered by hand that the package contradicts (kept)",
    },
)
