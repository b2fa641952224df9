from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.org.models import Center, Department, Window

from .constants import DEFAULT_DUE_DAY, Decision, SummaryStatus, UnitKind


class SummarySettings(models.Model):
    """A center's rules for the monthly summaries of its units; a center without
    a row uses the defaults (constants.py)."""

    center = models.OneToOneField(
        Center, verbose_name=_("中心"), on_delete=models.CASCADE, related_name="+"
    )
    unit_kind = models.CharField(
        _("提交单位"), max_length=10, choices=UnitKind.choices, default=UnitKind.WINDOW
    )
    due_day = models.PositiveSmallIntegerField(
        _("提交期限（次月第几个工作日）"), default=DEFAULT_DUE_DAY
    )
    # [{"key": "s1", "title": "…", "hint": "…"}, …] in the order of the form.
    sections = models.JSONField(_("总结模板"), default=list)
    # The first month whose summary is required (the 1st of that month).
    first_month = models.DateField(_("起始月份"))

    class Meta:
        verbose_name = _("月度总结设置")
        verbose_name_plural = _("月度总结设置")

    def __str__(self) -> str:
        return str(self.center)


class Summary(models.Model):
    """One unit's summary of one month: its current state; what was handed in
    each time is a SummaryVersion."""

    center = models.ForeignKey(
        Center, verbose_name=_("中心"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("提交单位类型"), max_length=10, choices=UnitKind.choices)
    # Always set: the window's department, or the department itself.
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("月份"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    # The text being written: {section key: text}.
    draft = models.JSONField(_("草稿内容"), default=dict)
    due_on = models.DateField(_("提交期限"))
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度工作总结")
        verbose_name_plural = _("月度工作总结")
        ordering = ["-month", "department__sort_order", "window__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "month"],
                condition=models.Q(kind="window"),
                name="summary_one_per_window_month",
            ),
            models.UniqueConstraint(
                fields=["department", "month"],
                condition=models.Q(kind="department"),
                name="summary_one_per_department_month",
            ),
        ]
        indexes = [models.Index(fields=["center", "month", "status"])]
        permissions = [
            ("submit_summary", _("填写并提交月度工作总结")),
            ("review_summary", _("审核月度工作总结")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_label} {self.month:%Y-%m}"

    @property
    def unit_label(self) -> str:
        if self.kind == UnitKind.WINDOW and self.window_id:
            return f"{self.window.number} {self.window.name}"
        return self.department.name


class SummaryVersion(models.Model):
    """What was handed in one time: the figures as shown, the text of each
    section under its title, who and when; and the center's decision on it."""

    summary = models.ForeignKey(
        Summary, verbose_name=_("月度工作总结"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    figures = models.JSONField(_("当月数据"))
    # [{"key", "title", "hint", "text"}, …]: the template as it was, with the text.
    sections = models.JSONField(_("总结内容"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by_name = models.CharField(_("提交人姓名"), max_length=60)
    submitted_at = models.DateTimeField(_("提交时间"))
    decision = models.CharField(_("审核结果"), max_length=10, choices=Decision.choices, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by_name = models.CharField(_("审核人姓名"), max_length=60, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("总结版本")
        verbose_name_plural = _("总结版本")
        ordering = ["summary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="summaryversion_key"),
        ]

    def __str__(self) -> str:
        return f"{self.summary} v{self.number}"
