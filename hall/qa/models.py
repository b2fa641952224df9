from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.cases import querynumbers
from hall.org.models import Center, Department

from .constants import DEFAULT_ANSWER_DAYS, QuestionStatus


class QaSettings(models.Model):
    """A center's own setting of the column; a center without a row uses the defaults."""

    center = models.OneToOneField(
        Center, verbose_name=_("中心"), on_delete=models.CASCADE, related_name="+"
    )
    answer_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), default=DEFAULT_ANSWER_DAYS
    )

    class Meta:
        verbose_name = _("网上答疑设置")
        verbose_name_plural = _("网上答疑设置")

    def __str__(self) -> str:
        return str(self.center)


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=QuestionStatus.PUBLISHED)


class Question(models.Model):
    """One question of the public: as asked, as answered, and as published."""

    center = models.ForeignKey(
        Center, verbose_name=_("中心"), on_delete=models.PROTECT, related_name="+"
    )
    # None: the asker was not sure; the center's dispatcher routes it.
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("问题编号"), max_length=14, unique=True)
    subject = models.CharField(_("主题"), max_length=60)
    question = models.TextField(_("问题"))
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11)
    may_publish = models.BooleanField(_("同意公开"), default=True)
    # The digest of subject and question, to refuse the same text twice.
    text_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.ROUTING
    )
    asked_at = models.DateTimeField(_("提问时间"), default=timezone.now)
    due_on = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # A matter no window handles: the center answered with where to turn.
    referral = models.CharField(_("非窗口事项"), max_length=60, blank=True)
    # The published wording, edited and masked by the center; the original stays above.
    published_subject = models.CharField(_("公开主题"), max_length=60, blank=True)
    published_question = models.TextField(_("公开问题"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    private_reason = models.CharField(_("不公开理由"), max_length=500, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("网上咨询")
        verbose_name_plural = _("网上咨询")
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["center", "status", "due_on"]),
            models.Index(fields=["department", "status", "due_on"]),
        ]
        permissions = [
            ("answer_question", _("答复网上咨询")),
            ("dispatch_question", _("分派网上咨询")),
            ("publish_question", _("审核公开网上咨询")),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.subject}"

    @property
    def display_number(self) -> str:
        return querynumbers.display(self.number)

    @property
    def shown_subject(self) -> str:
        return self.published_subject or self.subject

    @property
    def department_name(self) -> str:
        return self.department.name if self.department_id else ""
