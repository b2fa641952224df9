import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases.models import Case
from hall.catalogue.models import ServiceItem
from hall.org.models import Center, Department

from .constants import MAX_HOLD_DAYS, TITLE_MAX, WITHDRAW_REASON_MAX, Category


class Announcement(models.Model):
    """A notice a center publishes for itself (the city's, or a county's)."""

    center = models.ForeignKey(
        Center, verbose_name=_("发布中心"), on_delete=models.PROTECT, related_name="announcements"
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    body = models.TextField(_("正文"))
    pinned = models.BooleanField(_("置顶"), default=False)
    publish_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("中心公告")
        verbose_name_plural = _("中心公告")
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [models.Index(fields=["center", "-publish_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publish",
                violation_error_message=_("截止时间须晚于发布时间。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return self.publish_at <= now and (self.expires_at is None or now < self.expires_at)


def attachment_name(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"announcements/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file of an announcement, checked by content like an item's templates."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("公告"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("格式"), max_length=10)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")
        ordering = ["announcement", "id"]

    def __str__(self) -> str:
        return self.original_name


class ResultSettings(models.Model):
    """A center's own hold before its approval results publish themselves."""

    center = models.OneToOneField(
        Center, verbose_name=_("中心"), on_delete=models.CASCADE, related_name="result_settings"
    )
    hold_days = models.PositiveSmallIntegerField(
        _("公示前等待（工作日）"),
        validators=[MaxValueValidator(MAX_HOLD_DAYS)],
        help_text=_("决定后等待几个工作日自动公示；0 表示决定后立即公示。最长 7 个工作日。"),
    )

    class Meta:
        verbose_name = _("结果公示设置")
        verbose_name_plural = _("结果公示设置")

    def __str__(self) -> str:
        return str(self.center)


class ResultEntry(models.Model):
    """An approval result (双公示) of one case: the shown values are a snapshot
    taken at the decision, masked; it is public from `shown_from` on (checked at
    query time, no job publishes it)."""

    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="result_entry"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="result_entries"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("许可机关"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.CharField(_("企业名称/申请人"), max_length=100)
    values = models.JSONField(_("公示内容"), default=list)
    decided_at = models.DateTimeField(_("决定时间"))
    queued_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    shown_from = models.DateTimeField(_("公示时间"), db_index=True)
    due_at = models.DateTimeField(_("最迟公示时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdraw_reason = models.CharField(_("撤回理由"), max_length=WITHDRAW_REASON_MAX, blank=True)

    class Meta:
        verbose_name = _("许可结果公示")
        verbose_name_plural = _("许可结果公示")
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["-decided_at", "-id"]),
            models.Index(fields=["center", "-decided_at"]),
            models.Index(fields=["item", "-decided_at"]),
        ]
        permissions = [("withdraw_resultentry", _("撤回许可结果公示"))]

    def __str__(self) -> str:
        return f"{self.item.name} {self.applicant}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_public(self, now=None) -> bool:
        return self.shown_from <= (now or timezone.now())
