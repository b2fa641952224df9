import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Manager
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.catalogue.models import Material, ServiceItem
from hall.core import practice
from hall.org.models import Center, Department

from . import querynumbers
from .constants import (
    ApplicantKind,
    CaseStatus,
    Channel,
    Delivery,
    IdType,
    MessageKind,
    SuspensionKind,
)


class CaseManager(models.Manager):
    """The cases of the current work: real cases, or while a clerk works in
    practice mode (hall.core.practice) that clerk's practice cases only. As the
    default manager it is what every screen, selector, service, form, the admin
    and the reverse relations (item.cases …) read, so practice and real work never
    meet. Forward relations (history.case) use the plain base manager."""

    def get_queryset(self):
        owner = practice.current_owner()
        qs = super().get_queryset()
        return qs.filter(practice_of=owner) if owner is not None else qs.filter(practice_of=None)


class Case(models.Model):
    """One application (办件), online or brought to a window."""

    query_number = models.CharField(_("查询号"), max_length=14, unique=True, editable=False)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=12, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=18)
    phone = models.CharField(_("手机号码"), max_length=11)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    sms_opt_in = models.BooleanField(_("接收短信通知"), default=True)
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)
    # The form's one-time token: pressing submit twice or refreshing makes one case.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The two clocks, set on acceptance and recomputed on every event that
    # moves them (resume, extension, a change of the holiday table).
    promised_due = models.DateField(_("承诺办结日期"), null=True, blank=True, db_index=True)
    statutory_due = models.DateField(_("法定办结日期"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("时限为暂定"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("延期工作日"), default=0)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    certificate_number = models.CharField(_("证照编号"), max_length=60, blank=True)
    delivery = models.CharField(_("送达方式"), max_length=12, choices=Delivery.choices, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The clerk whose practice case this is (练习办件); empty for every real case.
    # A case made while its clerk works in practice mode is theirs by default.
    practice_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("练习办件所属"),
        null=True,
        blank=True,
        editable=False,
        default=practice.current_owner,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )

    objects = CaseManager()
    # Real and practice cases alike: for the few places that must see both
    # (removing a clerk's practice cases).
    all_objects = Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "-submitted_at"]),
            # The scope (center) and the clock of each case, and what the live
            # supervision counts group by: those counts read this index alone.
            models.Index(
                fields=[
                    "center",
                    "status",
                    "promised_due",
                    "department",
                    "item",
                    "handled_by",
                    "practice_of",
                ]
            ),
            models.Index(fields=["phone"]),
            models.Index(fields=["id_number"]),
            # cases with a running clock by deadline: the due-soon and overdue
            # tabs and lists, and the live counts of supervision (the period
            # figures come from supervision's day statistics)
            models.Index(fields=["status", "promised_due"]),
            # a clerk's practice cases (the reset); real cases have none
            models.Index(
                fields=["practice_of"],
                name="cases_case_practice_idx",
                condition=models.Q(practice_of__isnull=False),
            ),
        ]
        permissions = [
            ("approve_extension", _("批准延期")),
            ("view_supervision", _("查看实时监督")),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.item.name}"

    @property
    def practice(self) -> bool:
        """A practice case: never sent, counted, published, rated or looked up."""
        return self.practice_of_id is not None

    @property
    def display_number(self) -> str:
        return querynumbers.display(self.query_number)

    @property
    def phone_tail(self) -> str:
        return self.phone[-4:]


class StatusChange(models.Model):
    """One step of a case's history. Append-only: rows are never edited."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        _("原状态"), max_length=24, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=24, choices=CaseStatus.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_applicant = models.BooleanField(_("申请人操作"), default=False)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("状态记录")
        verbose_name_plural = _("状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("case history is append-only")
        super().save(*args, **kwargs)

    @property
    def reason_display(self) -> str:
        """The reason as written, or the hall's own note in the reader's language."""
        from django.utils.translation import gettext

        from .constants import SYSTEM_NOTES

        return gettext(self.reason) if self.reason in SYSTEM_NOTES else self.reason


class Round(models.Model):
    """One submission of the application: the first, and each resubmission."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    remarks = models.TextField(_("申请备注"), blank=True)
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("提交轮次")
        verbose_name_plural = _("提交轮次")
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="case_round_unique")]

    def __str__(self) -> str:
        return f"{self.case.display_number} #{self.number}"


def case_file_name(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class CaseFile(models.Model):
    """An uploaded file of a material, in the round it was sent. Never deleted:
    a replaced file stays on record with the round that replaced it."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="files"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="files"
    )
    material = models.ForeignKey(
        Material,
        verbose_name=_("材料"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    material_name = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=case_file_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("格式"), max_length=10)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    replaced_in_round = models.PositiveSmallIntegerField(_("被替换于轮次"), null=True, blank=True)

    class Meta:
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")
        ordering = ["case", "material_name", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.replaced_in_round is None

    @property
    def is_image(self) -> bool:
        return self.kind in ("png", "jpeg")


class ReviewMessage(models.Model):
    """A clerk's reply (审批人员回复) or correction notice (补正告知) to the applicant."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="messages"
    )
    round_number = models.PositiveSmallIntegerField(_("轮次"))
    kind = models.CharField(_("类型"), max_length=12, choices=MessageKind.choices)
    text = models.TextField(_("内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审批人员回复")
        verbose_name_plural = _("审批人员回复")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class CorrectionPoint(models.Model):
    """One thing to correct, of a correction notice: a material or a form field."""

    message = models.ForeignKey(
        ReviewMessage, verbose_name=_("补正告知"), on_delete=models.CASCADE, related_name="points"
    )
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("补正对象"), max_length=200)
    note = models.CharField(_("补正要求"), max_length=500)

    class Meta:
        verbose_name = _("补正要点")
        verbose_name_plural = _("补正要点")
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return f"{self.subject}：{self.note}"


class Suspension(models.Model):
    """A special procedure that stops the clock (特别程序), from start to end, both days excluded."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="suspensions"
    )
    kind = models.CharField(_("特别程序"), max_length=16, choices=SuspensionKind.choices)
    reason = models.TextField(_("理由"))
    expected_days = models.PositiveSmallIntegerField(_("预计工作日"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["case", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class Extension(models.Model):
    """An extension of the statutory limit (延期), approved by a department admin."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("理由"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return f"+{self.days}"


class InternalNote(models.Model):
    """A note among staff on a case; never shown to the applicant."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("内部备注")
        verbose_name_plural = _("内部备注")
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


def staged_file_name(instance, filename: str) -> str:
    return f"staged/{instance.token}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:8]}"


class StagedUpload(models.Model):
    """A file the applicant already sent with a form that came back with errors:
    kept under the form's one-time token so it need not be chosen again. Never
    served; used by the submission that carries the same token, or purged."""

    token = models.UUIDField(_("提交令牌"), db_index=True)
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("文件"), upload_to=staged_file_name, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小"))
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("暂存的申请材料")
        verbose_name_plural = _("暂存的申请材料")
        ordering = ["token", "material", "id"]

    def __str__(self) -> str:
        return self.original_name
