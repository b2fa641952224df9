"""A notice or task the center sends, its recipient units with their read
receipt and feedback, and the files of both."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.org.models import Center, Department, Window

from .constants import Kind, ReceiptStatus, UnitKind


class Notice(models.Model):
    center = models.ForeignKey(
        Center, verbose_name=_("发文中心"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(_("反馈时限（工作日）"), null=True, blank=True)
    due_on = models.DateField(_("反馈期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)

    class Meta:
        verbose_name = _("通知与任务")
        verbose_name_plural = _("通知与任务")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["center", "sent_at"]), models.Index(fields=["due_on"])]
        permissions = [
            ("send_notice", _("发送通知和任务")),
            ("view_status", _("查看通知和任务的签收反馈情况")),
            ("feedback_task", _("反馈工作任务")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_task(self) -> bool:
        return self.kind == Kind.TASK


class Recipient(models.Model):
    """One recipient unit of a notice: a department, a window or a county center."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("通知与任务"), on_delete=models.CASCADE, related_name="recipients"
    )
    unit_kind = models.CharField(_("接收单位类型"), max_length=10, choices=UnitKind.choices)
    # "department:12", "window:5", "center:3": one row per unit and notice.
    unit_key = models.CharField(max_length=30, editable=False)
    # The unit's center (a county center recipient: that center), for scoping.
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    # A department recipient, or a window's department.
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.UNREAD
    )
    read_at = models.DateTimeField(_("首次阅读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首次阅读人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    fed_back_on_time = models.BooleanField(_("按时反馈"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接收单位")
        verbose_name_plural = _("接收单位")
        ordering = ["notice", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit_key"], name="notice_recipient_once")
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["window", "status"]),
            models.Index(fields=["center", "unit_kind", "status"]),
        ]

    def __str__(self) -> str:
        return self.unit_name

    @property
    def unit_name(self) -> str:
        if self.unit_kind == UnitKind.WINDOW and self.window_id:
            return _("%(department)s %(number)s号窗口") % {
                "department": self.department.name,
                "number": self.window.number,
            }
        if self.unit_kind == UnitKind.DEPARTMENT and self.department_id:
            return self.department.name
        return self.center.name


class Feedback(models.Model):
    """A recipient unit's feedback on a task: once, kept as sent."""

    recipient = models.OneToOneField(
        Recipient, verbose_name=_("接收单位"), on_delete=models.CASCADE, related_name="feedback"
    )
    text = models.TextField(_("反馈内容"))
    at = models.DateTimeField(_("反馈时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late = models.BooleanField(_("逾期反馈"), default=False)

    class Meta:
        verbose_name = _("任务反馈")
        verbose_name_plural = _("任务反馈")

    def __str__(self) -> str:
        return str(self.recipient)


def attachment_name(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"notices/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file of a notice (feedback empty) or of one unit's feedback, checked by content."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("通知与任务"), on_delete=models.CASCADE, related_name="files"
    )
    feedback = models.ForeignKey(
        Feedback,
        verbose_name=_("任务反馈"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(_("文件"), upload_to=attachment_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("格式"), max_length=10)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
