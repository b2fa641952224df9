import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.org.models import Center, Department, Window, phone_validator

from .constants import (
    LEVEL_RANK,
    ApplicantType,
    FieldKind,
    FilingAction,
    FilingStatus,
    ItemType,
    OnlineDepth,
    OriginalOrCopy,
    RegulationLevel,
    Submission,
    ThemeAudience,
)


def stored_file_name(instance, filename: str) -> str:
    """Files are named by us: a random name under the model's folder. The
    extension was set from the content by the validating form, not the upload."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"catalogue/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


class Theme(models.Model):
    """A theme or life event (主题/生活事件) that groups items the way people think."""

    slug = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=30)
    audience = models.CharField(_("面向"), max_length=10, choices=ThemeAudience.choices)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["audience", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Regulation(models.Model):
    """A law, regulation or policy document, with its articles."""

    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="regulations"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("维护部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulations",
    )
    title = models.CharField(_("标题"), max_length=200, unique=True)
    issuer = models.CharField(_("制定机关"), max_length=100)
    level = models.CharField(_("效力层级"), max_length=20, choices=RegulationLevel.choices)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    in_force = models.BooleanField(_("现行有效"), default=True)
    summary = models.TextField(_("摘要"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["level", "-promulgated_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK.get(self.level, 99)


class RegulationArticle(models.Model):
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("法规"), on_delete=models.CASCADE, related_name="articles"
    )
    number = models.CharField(_("条号"), max_length=20)
    text = models.TextField(_("条文"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["regulation", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "number"], name="article_number_unique"),
        ]

    def __str__(self) -> str:
        return f"《{self.regulation.title}》{self.number}"

    @property
    def anchor(self) -> str:
        return f"a{self.pk}"


item_code_validator = RegexValidator(
    r"^\d{6}-[A-Z]{2,10}-[A-Z]{2}-\d{4}$",
    _("事项编码格式应为 行政区划-部门-类型-序号，例如 330800-SCJG-XK-0001。"),
)


class ServiceItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class ServiceItem(models.Model):
    """A service item (事项) and its full guide (七公开)."""

    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(
        _("事项编码"), max_length=40, unique=True, blank=True, validators=[item_code_validator]
    )
    name = models.CharField(_("事项名称"), max_length=100)
    aliases = models.CharField(
        _("别名"), max_length=200, blank=True, help_text=_("群众常用的叫法，用顿号或逗号分隔。")
    )
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices)
    applicant_type = models.CharField(_("服务对象"), max_length=10, choices=ApplicantType.choices)
    themes = models.ManyToManyField(Theme, verbose_name=_("主题"), blank=True, related_name="items")
    online_depth = models.PositiveSmallIntegerField(
        _("网上办理深度"), choices=OnlineDepth.choices, default=OnlineDepth.GUIDE
    )
    legal_basis_text = models.TextField(_("设定依据（文字）"), blank=True)
    conditions = models.TextField(_("受理条件"), blank=True, help_text=_("每行一条。"))
    procedure = models.TextField(_("办理程序"), blank=True, help_text=_("每行一个步骤。"))
    statutory_days = models.PositiveSmallIntegerField(
        _("法定时限（工作日）"), default=20, validators=[MaxValueValidator(365)]
    )
    promised_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"),
        default=10,
        validators=[MaxValueValidator(365)],
        help_text=_("0 表示即办件，当场办结。"),
    )
    is_free = models.BooleanField(_("不收费"), default=True)
    fee_standard = models.CharField(_("收费标准"), max_length=200, blank=True)
    fee_basis = models.CharField(_("收费依据"), max_length=200, blank=True)
    result_name = models.CharField(_("办理结果"), max_length=100, blank=True)
    result_sample = models.FileField(
        _("结果样本"), upload_to=stored_file_name, blank=True, max_length=200
    )
    onsite_visits = models.PositiveSmallIntegerField(
        _("到现场次数"), default=1, validators=[MaxValueValidator(10)]
    )
    window = models.ForeignKey(
        Window, verbose_name=_("办理窗口"), null=True, blank=True, on_delete=models.SET_NULL
    )
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    contact_phone = models.CharField(
        _("咨询电话"), max_length=30, blank=True, validators=[phone_validator]
    )
    complaint_phone = models.CharField(
        _("投诉电话"), max_length=30, blank=True, validators=[phone_validator]
    )
    is_published = models.BooleanField(_("已发布"), default=True)
    # 好差评: besides the rating of the finished case, ask for one at acceptance.
    rating_at_acceptance = models.BooleanField(
        _("受理时邀请评价"),
        default=False,
        help_text=_("勾选后，本事项受理时也请申请人评价受理服务（办结后仍另行评价）。"),
    )
    # 双公示: the decisions of this item publish themselves in the 中心公告 column.
    publish_decisions = models.BooleanField(
        _("公示许可决定"),
        default=False,
        help_text=_("勾选后，本事项的准予许可和办结决定将自动在“中心公告”栏目公示。"),
    )
    result_fields = models.JSONField(
        _("公示字段"),
        default=list,
        blank=True,
        help_text=_("公示结果显示的字段；自然人姓名自动脱敏，身份证号和手机号从不公示。"),
    )
    # Demand, for "most requested": page views and applications (the case app adds to it).
    view_count = models.PositiveIntegerField(_("浏览次数"), default=0, editable=False)
    application_count = models.PositiveIntegerField(_("申请次数"), default=0, editable=False)
    # Name, aliases, department and their pinyin, lower case: what search matches.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["department__sort_order", "code"]
        indexes = [
            models.Index(fields=["is_published", "department"]),
            models.Index(fields=["is_published", "-application_count", "-view_count"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")),
                name="promised_within_statutory",
                violation_error_message=_("承诺时限不能超过法定时限。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_same_day(self) -> bool:
        return self.promised_days == 0

    @property
    def can_apply_online(self) -> bool:
        from .constants import ONLINE_APPLY_MIN_DEPTH

        return self.online_depth >= ONLINE_APPLY_MIN_DEPTH

    @property
    def alias_list(self) -> list[str]:
        import re

        return [a for a in re.split(r"[、,，;；\s]+", self.aliases) if a]

    @property
    def condition_list(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]

    @property
    def procedure_list(self) -> list[str]:
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]

    @property
    def demand(self) -> int:
        return self.view_count + 10 * self.application_count


class ItemBasis(models.Model):
    """A legal basis of an item: one article of a regulation."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="bases"
    )
    article = models.ForeignKey(
        RegulationArticle, verbose_name=_("条款"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("设定依据")
        verbose_name_plural = _("设定依据")
        constraints = [
            models.UniqueConstraint(fields=["item", "article"], name="item_basis_unique"),
        ]

    def __str__(self) -> str:
        return str(self.article)


class SpecialProcedure(models.Model):
    """听证, 检验, 检测, 专家评审…: its time and whether it counts toward the limit."""

    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="special_procedures",
    )
    kind = models.CharField(_("特别程序"), max_length=30)
    days = models.PositiveSmallIntegerField(
        _("时限（工作日）"), validators=[MaxValueValidator(365)]
    )
    counts_toward_limit = models.BooleanField(_("计入办理时限"), default=False)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")

    def __str__(self) -> str:
        return self.kind


class ItemFAQ(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="faqs"
    )
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("解答"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.question


class Material(models.Model):
    """An application material (申报材料), submitted online or on site."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("材料名称"), max_length=200)
    submission = models.CharField(
        _("提交方式"), max_length=10, choices=Submission.choices, default=Submission.ONSITE
    )
    required = models.BooleanField(_("必要"), default=True)
    original_or_copy = models.CharField(
        _("原件/复印件"),
        max_length=10,
        choices=OriginalOrCopy.choices,
        default=OriginalOrCopy.ORIGINAL,
    )
    copies = models.PositiveSmallIntegerField(
        _("份数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    source = models.CharField(_("来源渠道"), max_length=100, blank=True)
    notes = models.TextField(_("填报须知"), blank=True)
    template = models.FileField(
        _("空白表格"), upload_to=stored_file_name, blank=True, max_length=200
    )
    template_name = models.CharField(_("表格文件名"), max_length=120, blank=True, editable=False)
    example = models.FileField(
        _("填写范例"), upload_to=stored_file_name, blank=True, max_length=200
    )
    example_name = models.CharField(_("范例文件名"), max_length=120, blank=True, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["item", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_online(self) -> bool:
        return self.submission == Submission.ONLINE


class ItemVersion(models.Model):
    """A snapshot of an item's whole guide after each change; any can be restored."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"


class Filing(models.Model):
    """A content change filed with the center (报中心备案): what, who, when, the diff."""

    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="filings"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="filings"
    )
    action = models.CharField(_("变更"), max_length=10, choices=FilingAction.choices)
    object_type = models.CharField(_("内容类型"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("内容编号"))
    object_repr = models.CharField(_("内容"), max_length=200)
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filings",
    )
    version = models.ForeignKey(
        ItemVersion, verbose_name=_("版本"), null=True, blank=True, on_delete=models.SET_NULL
    )
    diff = models.JSONField(_("变更明细"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("变更人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("审阅状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    review_comment = models.TextField(_("审阅意见"), blank=True)

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        ordering = ["-changed_at", "-id"]
        permissions = [("review_filing", _("审阅备案"))]
        indexes = [models.Index(fields=["center", "status", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class ApplicationField(models.Model):
    """One field of an item's online application form, configured in the back office."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="form_fields"
    )
    key = models.SlugField(
        _("字段代码"),
        max_length=40,
        help_text=_("小写字母、数字和下划线，用于保存数据，例如 shop_name。"),
    )
    label = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(
        _("类型"), max_length=12, choices=FieldKind.choices, default=FieldKind.TEXT
    )
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    required = models.BooleanField(_("必填"), default=True)
    max_length = models.PositiveIntegerField(
        _("最多字数"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    min_value = models.DecimalField(
        _("最小值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    choices = models.TextField(_("选项"), blank=True, help_text=_("类型为“选项”时填写，每行一个。"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请表字段")
        verbose_name_plural = _("申请表字段")
        ordering = ["item", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="form_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == FieldKind.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("“选项”类型的字段至少需要一个选项。")})
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValidationError({"min_value": _("最小值不能大于最大值。")})
