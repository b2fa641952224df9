"""A scheme of indicators per center and year, the figures entered from outside
the hall, the adjustments, and — once published — the frozen result.

The scheme's indicators are data (name, formula from formulas.FORMULAS, weight,
target). A dry run computes the figures from the data each time and stores
nothing; publishing writes the raw figures of every unit and indicator and the
scores they gave into `snapshot`, and from then on the scheme, its figures and
its adjustments refuse every change, so the published result reads the same
after the cases moved on."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.org.models import Center

from .constants import NAME_MAX, REASON_MAX, YEAR_MAX, YEAR_MIN, SchemeStatus, UnitKind


class Scheme(models.Model):
    center = models.ForeignKey(
        Center, verbose_name=_("考核中心"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("考核年度"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The published result: indicators, units, raw figures, scores and ranks.
    snapshot = models.JSONField(_("发布时的考核结果"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("年度考核方案")
        verbose_name_plural = _("年度考核方案")
        ordering = ["-year", "center__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="assessment_scheme_year"),
        ]
        permissions = [
            ("view_assessment", _("查看年度考核")),
            ("run_assessment", _("设置和试算年度考核")),
            ("publish_assessment", _("发布年度考核")),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.center}"

    @property
    def is_published(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED


class Indicator(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("指标名称"), max_length=NAME_MAX)
    formula = models.CharField(_("计算公式"), max_length=40)
    # Points of the hall part (all weights of a scheme add up to 100).
    weight = models.DecimalField(_("权重（分）"), max_digits=5, decimal_places=2)
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ExternalScore(models.Model):
    """The one figure per unit (0–100) from outside the hall: 80 % of its annual score."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="external"
    )
    unit_kind = models.CharField(_("考核对象类型"), max_length=10, choices=UnitKind.choices)
    unit_id = models.PositiveIntegerField(_("考核对象编号"))
    value = models.DecimalField(_("其他考核得分"), max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("其他考核得分")
        verbose_name_plural = _("其他考核得分")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "unit_kind", "unit_id"], name="assessment_external_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_kind}:{self.unit_id} {self.value}"


class Adjustment(models.Model):
    """A manual change of a unit's annual score, with its reason. Never edited."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="adjustments"
    )
    unit_kind = models.CharField(_("考核对象类型"), max_length=10, choices=UnitKind.choices)
    unit_id = models.PositiveIntegerField(_("考核对象编号"))
    points = models.DecimalField(_("调整分值"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("调整理由"), max_length=REASON_MAX)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核得分调整")
        verbose_name_plural = _("考核得分调整")
        ordering = ["scheme", "made_at", "id"]
        indexes = [models.Index(fields=["scheme", "unit_kind", "unit_id"])]

    def __str__(self) -> str:
        return f"{self.unit_kind}:{self.unit_id} {self.points:+}"
