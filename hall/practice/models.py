from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases.models import Case

from .constants import MAX_SCORE, AttemptStatus, Scenario


class DrillAttempt(models.Model):
    """One clerk's attempt at a scenario drill: what it set up, the answer, the score."""

    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("练习人"),
        on_delete=models.CASCADE,
        related_name="drill_attempts",
    )
    scenario = models.CharField(_("情景"), max_length=24, choices=Scenario.choices)
    # The drill's practice case; kept as empty when a reset removes it, so the score stays.
    case = models.ForeignKey(
        Case,
        verbose_name=_("练习办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    setup = models.JSONField(_("情景设定"), default=dict)
    status = models.CharField(
        _("状态"), max_length=8, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    answer = models.CharField(_("答案"), max_length=40, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=MAX_SCORE)
    # One row per criterion: label, points, got, feedback (what was missed).
    results = models.JSONField(_("评分明细"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("情景考核")
        verbose_name_plural = _("情景考核")
        ordering = ["-started_at", "-id"]
        default_permissions = ()
        permissions = [("use_practice", _("使用练习模式"))]
        indexes = [models.Index(fields=["clerk", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.get_scenario_display()} {self.started_at:%Y-%m-%d %H:%M}"
