"""The audit events of the holiday table (see core.audit_events); the back
office's own edits are core's admin.* events."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import AUDIT_SCHEDULE, AUDIT_SEED

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

register(
    AUDIT_SCHEDULE,
    _("录入年度节假日安排"),
    object_type="workdays.publishedyear",
    data={
        "year": "the year entered and marked published",
        "holidays": "holidays of the year now",
        "workdays": "make-up workdays of the year now",
        "replaced": "rows of the year before (replaced)",
        "changed_dates": "dates whose entry was added, removed or changed",
        "note": "the notice's number, as entered",
    },
)
