from django.contrib.auth.models import AbstractUser, Permission
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import DEPARTMENT_ROLE_KINDS, CenterLevel, RoleKind

region_code_validator = RegexValidator(r"^\d{6}$", _("行政区划代码应为 6 位数字。"))
phone_validator = RegexValidator(
    r"^[0-9\-+ ()]{5,20}$", _("请输入有效的电话号码，例如 0570-3058123。")
)


class User(AbstractUser):
    """An account. Staff members also have a Staff profile; the public do not log in."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username


class CenterQuerySet(models.QuerySet):
    def visible_from(self, center: "Center"):
        """The center itself and every center below it."""
        return self.filter(pk__in=center.subtree_ids())


class Center(models.Model):
    """An administrative service center (行政服务中心). The city's is the root;
    county centers sit under it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    region_code = models.CharField(
        _("行政区划代码"), max_length=6, unique=True, validators=[region_code_validator]
    )
    level = models.CharField(_("级别"), max_length=10, choices=CenterLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True, validators=[phone_validator])
    complaint_phone = models.CharField(
        _("投诉电话"), max_length=30, blank=True, validators=[phone_validator]
    )
    hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = CenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政服务中心")
        verbose_name_plural = _("行政服务中心")
        ordering = ["sort_order", "region_code"]

    def __str__(self) -> str:
        return self.name

    def subtree_ids(self) -> set[int]:
        """Ids of this center and all below it (the tree is two or three levels deep)."""
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(
                Center.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids


class Department(models.Model):
    """A department resident in a center (进驻部门)."""

    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    code = models.CharField(
        _("部门代码"),
        max_length=10,
        validators=[RegexValidator(r"^[A-Z]{2,10}$", _("部门代码应为 2—10 个大写字母。"))],
        help_text=_("用于事项编码，例如 SCJG。"),
    )
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True, validators=[phone_validator])
    description = models.TextField(_("职能简介"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["center__sort_order", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "code"], name="department_code_unique_in_center"
            ),
            models.UniqueConstraint(
                fields=["center", "name"], name="department_name_unique_in_center"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A service counter (窗口) of a department."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField(_("窗口号"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    phone = models.CharField(_("窗口电话"), max_length=30, blank=True, validators=[phone_validator])
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["department", "number"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="window_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.name}"

    @property
    def center_id(self) -> int:
        return self.department.center_id


class Role(models.Model):
    """A role (中心管理员, 部门管理员, 窗口工作人员, 监察人员…) and the rights it grants."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类别"), max_length=20, choices=RoleKind.choices)
    description = models.TextField(_("说明"), blank=True)
    permissions = models.ManyToManyField(
        Permission, verbose_name=_("权限"), blank=True, related_name="hall_roles"
    )

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["kind", "code"]
        permissions = [
            ("grant_center_roles", _("可授予中心级角色")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_department(self) -> bool:
        return self.kind in DEPARTMENT_ROLE_KINDS


class Staff(models.Model):
    """A staff member's place in the organisation: center, department, window, roles."""

    user = models.OneToOneField(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="staff"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("所属中心"), on_delete=models.PROTECT, related_name="staff"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="staff")
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[phone_validator])
    # Accounts made by `load_demo`; they can log in only in demo mode.
    is_demo = models.BooleanField(_("演示账号"), default=False, editable=False)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["center", "department", "user__username"]

    def __str__(self) -> str:
        return str(self.user)

    def visible_center_ids(self) -> set[int]:
        cached = getattr(self, "_visible_center_ids", None)
        if cached is None:
            cached = self._visible_center_ids = self.center.subtree_ids()
        return cached

    def role_kinds(self) -> set[str]:
        return set(self.roles.values_list("kind", flat=True))


class StaffSession(models.Model):
    """One signed-in session of an account, so its owner can see and end it.

    The session key is kept only as its SHA-256 digest: this table lists sessions,
    it cannot be used to take one over.
    """

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="staff_sessions"
    )
    key_hash = models.CharField(_("会话标识摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("登录时间"))
    last_seen = models.DateTimeField(_("最近活动"))
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "ended_at"], name="staffsession_user_open")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
