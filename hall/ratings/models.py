"""The ratings (好差评) of cases and the counters kept beside them.

A Rating is the applicant's own word about one case (一事一评): one per case
and kind, never given by staff, never a default. RatingStat rows hold, per
month, item and clerk, how many cases finished and how they were rated, so
the figures of supervision and of the public 好差评 page read a few thousand
rows instead of a million ratings; they are written in the same transaction
as the change they count (ratings.stats.bump) and can always be rebuilt
(ratings.stats.rebuild)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases.models import Case
from hall.catalogue.models import ServiceItem
from hall.org.models import Center, Department

from .constants import Channel, Kind, Level


class Rating(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="ratings"
    )
    kind = models.CharField(_("评价类型"), max_length=12, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices)
    tags = models.JSONField(_("评价标签"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=8, choices=Channel.choices)
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    # Copied from the case, so the figures and lists never join a million cases.
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    # The user id of the clerk who handled the case (0: none recorded).
    clerk = models.PositiveIntegerField(_("经办人编号"), default=0)
    # The first day of the month the case finished in: a rating counts in the
    # month of its case, so a month's participation rate is rated / finished.
    month = models.DateField(_("统计月份"))
    # A follow-up (追评) points at the rating it follows.
    follows = models.ForeignKey(
        "self",
        verbose_name=_("原评价"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    # Set when the rectification of this (bad) rating was answered: the
    # applicant is then welcome to give one follow-up rating.
    follow_up_open_at = models.DateTimeField(_("开放追评时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="rating_one_per_case_kind"),
        ]
        indexes = [
            models.Index(fields=["center", "level", "-rated_at"]),
            models.Index(fields=["department", "month", "level"]),
            models.Index(fields=["item", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        from .constants import BAD_LEVELS

        return self.level in BAD_LEVELS


# The counters of a RatingStat row, in the order of the upsert.
COUNTERS = (
    "finished",  # cases finished (completed, refused, not accepted): may be rated
    "rated",  # of those, rated (kind finished)
    "level_5",
    "level_4",
    "level_3",
    "level_2",
    "level_1",
    "follow_ups",  # follow-up ratings given
    "follow_ups_satisfied",  # of those, satisfied (basic or better)
    "tasks_opened",  # rectification tasks opened (bad ratings)
    "tasks_closed",  # rectification tasks closed
    "tasks_on_time",  # of those, rectified within the center's days
)


class RatingStat(models.Model):
    month = models.DateField(_("月份（当月1日）"))
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("办理部门"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+"
    )
    clerk = models.PositiveIntegerField(_("经办人编号"), default=0)
    finished = models.PositiveIntegerField(_("办结件数"), default=0)
    rated = models.PositiveIntegerField(_("评价件数"), default=0)
    level_5 = models.PositiveIntegerField(_("非常满意"), default=0)
    level_4 = models.PositiveIntegerField(_("满意"), default=0)
    level_3 = models.PositiveIntegerField(_("基本满意"), default=0)
    level_2 = models.PositiveIntegerField(_("不满意"), default=0)
    level_1 = models.PositiveIntegerField(_("非常不满意"), default=0)
    follow_ups = models.PositiveIntegerField(_("追评"), default=0)
    follow_ups_satisfied = models.PositiveIntegerField(_("追评满意"), default=0)
    tasks_opened = models.PositiveIntegerField(_("差评整改"), default=0)
    tasks_closed = models.PositiveIntegerField(_("整改办结"), default=0)
    tasks_on_time = models.PositiveIntegerField(_("按时整改"), default=0)

    class Meta:
        verbose_name = _("评价月统计")
        verbose_name_plural = _("评价月统计")
        constraints = [
            models.UniqueConstraint(fields=["month", "item", "clerk"], name="ratingstat_key"),
        ]
        indexes = [
            models.Index(fields=["center", "month"]),
            models.Index(fields=["department", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.item_id} {self.clerk}"
