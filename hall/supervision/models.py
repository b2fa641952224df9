"""Figures kept beside the cases so that supervision reads stay small.

A CaseDayStat row holds what happened on one day to the cases of one item
handled by one clerk (a CaseMonthStat row, in one month): acceptances, decisions, completions, on time or late,
and the working days the decisions took. The period statistics, the monthly
trend and the finished columns of the dashboard add up these rows — about
85,000 day rows and 3,000 month rows for a million cases over a year —
instead of scanning the cases. They are
written in the same transaction as the case change (services.stats_record) and
can always be rebuilt from the cases (services.stats_rebuild).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.catalogue.models import ServiceItem
from hall.org.models import Center, Department

COUNTERS = (
    "accepted",
    "approved",
    "rejected",
    "not_accepted",
    "completed",
    "finished",
    "on_time",
    "late",
    "working_days",
)


class StatCounters(models.Model):
    """Where the cases were handled, and what happened to them."""

    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("办理部门"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+"
    )
    # The user id of the clerk who handled the case (0: none recorded). A plain
    # number rather than a key, so that the unique key below also holds for
    # "no clerk" (NULLs are never equal in a unique index).
    clerk = models.PositiveIntegerField(_("经办人编号"), default=0)
    accepted = models.PositiveIntegerField(_("受理"), default=0)
    approved = models.PositiveIntegerField(_("准予许可"), default=0)
    rejected = models.PositiveIntegerField(_("不予许可"), default=0)
    not_accepted = models.PositiveIntegerField(_("不予受理"), default=0)
    completed = models.PositiveIntegerField(_("办结"), default=0)
    # Decided after acceptance (approved or rejected), on time or late.
    finished = models.PositiveIntegerField(_("作出决定"), default=0)
    on_time = models.PositiveIntegerField(_("按时"), default=0)
    late = models.PositiveIntegerField(_("超时"), default=0)
    # Sum over the finished ones of the working days from acceptance to decision.
    working_days = models.PositiveBigIntegerField(_("决定用时（工作日合计）"), default=0)

    class Meta:
        abstract = True


class CaseDayStat(StatCounters):
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("办件日统计")
        verbose_name_plural = _("办件日统计")
        constraints = [
            models.UniqueConstraint(fields=["day", "item", "clerk"], name="casedaystat_key"),
        ]
        indexes = [
            models.Index(fields=["day"]),
            models.Index(fields=["center", "day"]),
            models.Index(fields=["department", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.item_id} {self.clerk}"


class CaseMonthStat(StatCounters):
    """The same counters per calendar month: whole months of a period and the
    trend read these, a thirtieth of the day rows."""

    month = models.DateField(_("月份（当月1日）"))

    class Meta:
        verbose_name = _("办件月统计")
        verbose_name_plural = _("办件月统计")
        constraints = [
            models.UniqueConstraint(fields=["month", "item", "clerk"], name="casemonthstat_key"),
        ]
        indexes = [
            models.Index(fields=["month"]),
            models.Index(fields=["center", "month"]),
            models.Index(fields=["department", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.item_id} {self.clerk}"
