import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases import querynumbers
from hall.org.models import Center, Department, Staff, Window

from .constants import DEFAULT_ANSWER_DAYS, Category, ComplaintStatus, TargetKind


class FeedbackSettings(models.Model):
    """A center's own setting of the complaints hall; a center without a row uses the defaults."""

    center = models.OneToOneField(
        Center, verbose_name=_("中心"), on_delete=models.CASCADE, related_name="+"
    )
    answer_days = models.PositiveSmallIntegerField(
        _("投诉答复时限（工作日）"),
        default=DEFAULT_ANSWER_DAYS,
        help_text=_("提交后超过该工作日数仍未答复的投诉，标记为超期并报上级中心督办。"),
    )

    class Meta:
        verbose_name = _("投诉大厅设置")
        verbose_name_plural = _("投诉大厅设置")

    def __str__(self) -> str:
        return str(self.center)


class ComplaintQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Complaint(models.Model):
    """One complaint: as filed, as handled, as answered, and (maybe) as published."""

    center = models.ForeignKey(
        Center, verbose_name=_("负责中心"), on_delete=models.PROTECT, related_name="+"
    )
    target_kind = models.CharField(_("投诉对象类型"), max_length=10, choices=TargetKind.choices)
    # Always set: the department concerned (of the item, window or staff member).
    department = models.ForeignKey(
        Department, verbose_name=_("被投诉部门"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("事项"),
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
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("被投诉工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("相关办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("投诉编号"), max_length=14, unique=True)
    category = models.CharField(_("投诉类别"), max_length=12, choices=Category.choices)
    description = models.TextField(_("投诉内容"))
    anonymous = models.BooleanField(_("匿名投诉"), default=False)
    name = models.CharField(_("投诉人姓名"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    # The digest of the description, to refuse the same text twice.
    text_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=14,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.SUBMITTED,
    )
    filed_at = models.DateTimeField(_("投诉时间"), default=timezone.now)
    # The day the answer clock started: the filing day, or the day of a reopen.
    clock_from = models.DateField(_("计时起始日"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    not_accepted_reason = models.CharField(_("不予受理理由"), max_length=14, blank=True)
    not_accepted_note = models.CharField(_("不予受理说明"), max_length=500, blank=True)
    findings = models.TextField(_("调查结论"), blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新处理次数"), default=0)
    reopen_reason = models.TextField(_("重新处理理由"), blank=True)
    # Recorded by escalate_complaints (the flag itself is computed on read).
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Center,
        verbose_name=_("督办中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shared_at = models.DateTimeField(_("向部门通报时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_text = models.TextField(_("公开的投诉内容"), blank=True)
    published_answer = models.TextField(_("公开的答复"), blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["center", "status", "clock_from"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["-published_at"]),
            models.Index(fields=["phone", "text_hash"]),
        ]
        permissions = [
            ("handle_complaint", _("办理投诉")),
            ("publish_complaint", _("公开投诉及答复")),
            ("view_shared_complaint", _("查看通报本部门的投诉调查结论")),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return querynumbers.display(self.number)

    @property
    def not_accepted_label(self) -> str:
        from .constants import NotAcceptedReason

        if self.not_accepted_reason in NotAcceptedReason.values:
            return NotAcceptedReason(self.not_accepted_reason).label
        return ""

    @property
    def target_label(self) -> str:
        if self.target_kind == TargetKind.STAFF and self.staff_id:
            return staff_label(self.staff)
        if self.target_kind == TargetKind.WINDOW and self.window_id:
            return f"{self.window.number} {self.window.name}"
        if self.target_kind == TargetKind.ITEM and self.item_id:
            return self.item.name
        return self.department.name


def staff_label(staff: Staff) -> str:
    """A staff member as the public sees them: name and window."""
    name = staff.user.full_name or staff.user.get_username()
    if staff.window_id:
        return f"{name}（{staff.window.number} {staff.window.name}）"
    return name


def complaint_file_name(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    now = timezone.now()
    return f"complaints/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ComplaintFile(models.Model):
    """An image or PDF the complainant attached; served only after a right check."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to=complaint_file_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("格式"), max_length=10)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("投诉附件")
        verbose_name_plural = _("投诉附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
