import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.catalogue.models import Regulation, ServiceItem
from hall.org.models import Center, Department

from .constants import (
    BODY_MAX,
    DOC_NUMBER_RE,
    REPLACED_STATUSES,
    TITLE_MAX,
    PolicyKind,
    PolicyStatus,
)


def normalise_doc_number(raw: str) -> str:
    """The 文号 as stored: spaces dropped, [] 【】 ［］ written as 〔〕.
    Raises ValidationError (in Chinese) when it is not issuer〔year〕number号."""
    text = "".join((raw or "").split())
    if not text:
        return ""
    found = DOC_NUMBER_RE.match(text)
    if found is None:
        raise ValidationError(
            _("文号格式应为 机关代字〔年份〕序号号，例如 衢政办发〔2012〕15号。"),
            code="doc_number",
        )
    return f"{found['issuer']}〔{found['year']}〕{found['number']}号"


def attachment_file_name(instance, filename: str) -> str:
    """Named by us: a random name; the extension was set from the content."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"policies/attachment/{uuid.uuid4().hex}{suffix}"


class PolicyDocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class PolicyDocument(models.Model):
    """A policy document (政策文件) of a department: its text, status and links."""

    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="policies"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("发布部门"), on_delete=models.PROTECT, related_name="policies"
    )
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    doc_number = models.CharField(
        _("文号"),
        max_length=40,
        blank=True,
        help_text=_("例如 衢政办发〔2012〕15号；可输入 [ ] 或 【】，保存为〔〕。"),
    )
    issuer = models.CharField(_("发文机关"), max_length=100)
    kind = models.CharField(_("文件类别"), max_length=20, choices=PolicyKind.choices)
    issued_on = models.DateField(_("发文日期"))
    effective_on = models.DateField(_("施行日期"))
    status = models.CharField(
        _("效力状态"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
        help_text=_("已修订或已废止的文件须注明替代它的文件。"),
    )
    explains = models.ForeignKey(
        "self",
        verbose_name=_("解读的文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
        help_text=_("政策解读须注明所解读的文件。"),
    )
    body = models.TextField(_("正文"), validators=[MaxLengthValidator(BODY_MAX)])
    related_items = models.ManyToManyField(
        ServiceItem, verbose_name=_("相关事项"), blank=True, related_name="policies"
    )
    related_regulations = models.ManyToManyField(
        Regulation, verbose_name=_("相关法规"), blank=True, related_name="policies"
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued_on", "-id"]
        permissions = [("publish_policydocument", _("发布政策文件"))]
        indexes = [models.Index(fields=["is_published", "-issued_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_on__gte=models.F("issued_on")),
                name="policy_effective_after_issue",
                violation_error_message=_("施行日期不能早于发文日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.issued_on and self.effective_on and self.effective_on < self.issued_on:
            errors["effective_on"] = _("施行日期不能早于发文日期。")
        if self.status in REPLACED_STATUSES:
            if self.replaced_by_id is None:
                errors["replaced_by"] = _("已修订或已废止的文件须注明替代它的文件。")
            elif self.pk and self.replaced_by_id == self.pk:
                errors["replaced_by"] = _("文件不能被自身替代。")
            elif self.replaced_by.center_id != self.center_id:
                errors["replaced_by"] = _("替代文件须是本中心的文件。")
        elif self.replaced_by_id is not None:
            errors["replaced_by"] = _("只有已修订或已废止的文件才有替代文件。")
        if self.kind == PolicyKind.INTERPRETATION:
            if self.explains_id is None:
                errors["explains"] = _("政策解读须注明所解读的文件。")
            elif self.pk and self.explains_id == self.pk:
                errors["explains"] = _("政策解读不能解读自身。")
            elif self.explains.kind == PolicyKind.INTERPRETATION:
                errors["explains"] = _("政策解读应解读政策文件，而不是另一篇解读。")
        elif self.explains_id is not None:
            errors["explains"] = _("只有政策解读才能注明所解读的文件。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.status == PolicyStatus.IN_FORCE


class PolicyAttachment(models.Model):
    """A file of a policy document, checked by content as item templates are."""

    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("政策文件"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=attachment_file_name, max_length=200)
    name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.name
