"""What the supervision pages count, and their limits."""

from django.utils.translation import gettext_lazy as _

from hall.cases.constants import CaseStatus

# The clock runs (accepted) or is stopped by a special procedure (suspended).
IN_PROGRESS = (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
# Decided after acceptance: these are judged on time or late against promised_due.
FINISHED = (CaseStatus.APPROVED, CaseStatus.COMPLETED, CaseStatus.REJECTED)
# An approved case stays "approved" until the result is delivered ("completed").
APPROVED = (CaseStatus.APPROVED, CaseStatus.COMPLETED)

DEFAULT_PERIOD_MONTHS = 4
MAX_PERIOD_MONTHS = 36
# Dates outside these years are typing mistakes, not statistics.
FIRST_YEAR, LAST_YEAR = 2000, 2099

LIST_LIMIT = 50  # rows of the yellow and red lists on the page (the export has all)
TOP_ITEMS = 20  # rows of the item table on the page (the export has all)
TREND_MONTHS = 12
EXPORT_CHUNK = 2000  # rows fetched at a time when exporting

GROUPS = ("centers", "departments", "items", "clerks")
EXPORT_TABLES = {
    "centers": _("按中心"),
    "departments": _("按部门"),
    "items": _("按事项"),
    "clerks": _("按经办人"),
    "due_soon": _("临期办件"),
    "overdue": _("超期办件"),
    "period": _("期间统计"),
    "cases": _("期间办件明细"),
    "trend": _("月度趋势"),
}

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
