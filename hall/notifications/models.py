from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases.models import Case
from hall.org.models import Center, Department

from .constants import Channel, Event, Status


class Notification(models.Model):
    """One message in the outbox. Written in the transaction of the change that
    causes it; the worker (run_notifications) sends it and records the outcome."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Who may see the row: the case's center and department, or the staff
    # member's for a digest.
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    event = models.CharField(_("事件"), max_length=24, choices=Event.choices)
    recipient = models.CharField(_("接收人"), max_length=254)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # Unique per (case, event, channel, round): a repeated action queues nothing new.
    idempotency_key = models.CharField(_("幂等键"), max_length=120, unique=True)
    # Each staff resend of a failed message is a new message for the provider.
    resends = models.PositiveSmallIntegerField(_("重发次数"), default=0)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    claimed_by = models.CharField(_("发送进程"), max_length=64, blank=True)
    provider_message_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the worker's claim: due rows in order
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["provider_message_id"]),
            models.Index(fields=["center", "-created_at"]),
            models.Index(fields=["department", "-created_at"]),
        ]
        permissions = [("resend_notification", _("重发失败的通知"))]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_event_display()} {self.masked_recipient}"

    @property
    def text_for_staff(self) -> str:
        """The text without the recipient's secrets (see rendering.for_staff)."""
        from .rendering import for_staff

        return for_staff(self.text)

    @property
    def provider_key(self) -> str:
        """The key the provider dedupes on: the same for every retry of one send."""
        return (
            self.idempotency_key if not self.resends else f"{self.idempotency_key}/r{self.resends}"
        )

    @property
    def masked_recipient(self) -> str:
        r = self.recipient
        if self.channel == Channel.SMS and len(r) == 11:
            return f"{r[:3]}****{r[-4:]}"
        return r


class NotificationTemplate(models.Model):
    """A center's text for one event and channel, and whether it is sent at all.
    A county center without its own row uses the city's, then the built-in text."""

    center = models.ForeignKey(
        Center, verbose_name=_("中心"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("事件"), max_length=24, choices=Event.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    text = models.TextField(_("模板内容"))
    enabled = models.BooleanField(_("发送"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["center", "event", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "event", "channel"], name="notification_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.get_event_display()} {self.get_channel_display()}"
