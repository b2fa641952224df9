"""The rectification task (差评整改) of a bad rating, its steps and the
evidence of an appeal; and a center's own number of days."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases.models import Case
from hall.org.models import Center, Department
from hall.ratings.models import Rating

from .constants import DEFAULT_RECTIFY_DAYS, MAX_RECTIFY_DAYS, MIN_RECTIFY_DAYS, TaskStatus


class RectificationSettings(models.Model):
    """A center's own setting; a center without a row uses the default."""

    center = models.OneToOneField(
        Center, verbose_name=_("中心"), on_delete=models.CASCADE, related_name="+"
    )
    rectify_days = models.PositiveSmallIntegerField(
        _("整改时限（工作日）"),
        default=DEFAULT_RECTIFY_DAYS,
        validators=[MinValueValidator(MIN_RECTIFY_DAYS), MaxValueValidator(MAX_RECTIFY_DAYS)],
        help_text=_("差评后几个工作日内完成整改并答复申请人；新的整改任务按此计算期限。"),
    )

    class Meta:
        verbose_name = _("差评整改设置")
        verbose_name_plural = _("差评整改设置")

    def __str__(self) -> str:
        return str(self.center)


class Task(models.Model):
    """The department's rectification of one bad rating, step by step."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="rectification"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("整改部门"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.CALLBACK
    )
    opened_at = models.DateTimeField(_("差评时间"), default=timezone.now)
    rectify_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"))
    callback_due = models.DateField(_("回访期限"))
    rectify_due = models.DateField(_("整改期限"))
    deadline_provisional = models.BooleanField(_("期限为暂定"), default=False)
    # The call-back (回访).
    callback_reached = models.BooleanField(_("是否联系上"), null=True, blank=True)
    callback_note = models.TextField(_("回访情况"), blank=True)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    # The verification (核实) and the appeal (申诉).
    verification_note = models.TextField(_("核实情况"), blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_decision = models.TextField(_("申诉审核意见"), blank=True)
    appeal_decided_at = models.DateTimeField(_("申诉审核时间"), null=True, blank=True)
    # The rectification (整改) and the reply (答复).
    rectification = models.TextField(_("整改措施"), blank=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Rectified (replied, or the appeal upheld) within the days: set when closed.
    on_time = models.BooleanField(_("按时整改"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "rectify_due"]),
            models.Index(fields=["center", "status", "rectify_due"]),
            models.Index(fields=["status", "callback_due"]),
        ]
        permissions = [
            ("handle_task", _("办理差评整改")),
            ("decide_appeal", _("审核差评申诉")),
        ]

    def __str__(self) -> str:
        return f"{self.case.display_number if self.case_id else ''} {self.get_status_display()}"


class Step(models.Model):
    """One step of a task, as it was recorded (appended, never changed)."""

    task = models.ForeignKey(
        Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="steps"
    )
    from_status = models.CharField(
        _("原状态"), max_length=10, choices=TaskStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=10, choices=TaskStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("整改步骤")
        verbose_name_plural = _("整改步骤")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.from_status}→{self.to_status}"


def evidence_name(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"rectification/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file the department gives with its appeal, checked by content."""

    task = models.ForeignKey(
        Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("格式"), max_length=10)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申诉证明材料")
        verbose_name_plural = _("申诉证明材料")
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return self.original_name
