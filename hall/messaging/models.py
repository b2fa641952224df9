import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hall.org.models import Center, Department, Staff, Window

from .constants import ParticipantKind


class Thread(models.Model):
    """A conversation between staff members, windows and departments.

    `last_message_id` is copied from the newest message so that "unread" is a
    comparison with the reader's mark, never a scan of the messages."""

    subject = models.CharField(_("主题"), max_length=100)
    center = models.ForeignKey(
        Center,
        verbose_name=pgettext_lazy("messaging", "发起中心"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("messaging", "发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(pgettext_lazy("messaging", "发起时间"), default=timezone.now)
    last_message_id = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(
        pgettext_lazy("messaging", "最新消息时间"), default=timezone.now
    )
    message_count = models.PositiveIntegerField(pgettext_lazy("messaging", "消息数"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("messaging", "会话")
        verbose_name_plural = pgettext_lazy("messaging", "会话")
        ordering = ["-last_message_at", "-id"]
        default_permissions = ()
        permissions = [("use_messages", _("使用窗口间信息互动"))]
        indexes = [models.Index(fields=["-last_message_at", "-id"], name="thread_latest")]

    def __str__(self) -> str:
        return self.subject


class Participant(models.Model):
    """One party of a thread: a staff member, or a whole window or department
    (every staff member of it takes part, also those who join it later)."""

    thread = models.ForeignKey(
        Thread,
        verbose_name=pgettext_lazy("messaging", "会话"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ParticipantKind.choices)
    staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    # The party's center, for the reach rule without joins.
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    # As shown, fixed when the thread starts (a renamed window keeps its old name here).
    label = models.CharField(_("名称"), max_length=200)
    # "staff:12", "window:3", "department:7": one party once per thread.
    key = models.CharField(max_length=30)

    class Meta:
        verbose_name = pgettext_lazy("messaging", "会话参与方")
        verbose_name_plural = pgettext_lazy("messaging", "会话参与方")
        ordering = ["id"]
        default_permissions = ()
        # The unread badge looks a user up by staff, window and department (these
        # lead with the foreign key, so the keys need no index of their own).
        indexes = [
            models.Index(fields=["staff", "thread"], name="participant_staff"),
            models.Index(fields=["window", "thread"], name="participant_window"),
            models.Index(fields=["department", "thread"], name="participant_department"),
        ]
        constraints = [models.UniqueConstraint(fields=["thread", "key"], name="participant_once")]

    def __str__(self) -> str:
        return self.label


class Message(models.Model):
    thread = models.ForeignKey(
        Thread,
        verbose_name=pgettext_lazy("messaging", "会话"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("messaging", "发送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Name, department and window as they were when sent.
    author_name = models.CharField(pgettext_lazy("messaging", "发送人"), max_length=200)
    body = models.TextField(_("内容"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("messaging", "消息")
        verbose_name_plural = pgettext_lazy("messaging", "消息")
        ordering = ["id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.author_name} {self.sent_at:%Y-%m-%d %H:%M}"


def message_file_name(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    now = timezone.now()
    return f"messages/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class MessageFile(models.Model):
    """An attachment; served only to the thread's participants."""

    message = models.ForeignKey(
        Message,
        verbose_name=pgettext_lazy("messaging", "消息"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(_("文件"), upload_to=message_file_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("格式"), max_length=10)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = pgettext_lazy("messaging", "消息附件")
        verbose_name_plural = pgettext_lazy("messaging", "消息附件")
        ordering = ["id"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.original_name


class ReadMark(models.Model):
    """How far one user has read a thread: the id of the newest message they saw."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="readmark_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.thread_id}:{self.last_read_id}"
