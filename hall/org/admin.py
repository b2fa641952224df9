from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hall.core.admin import AuditedModelAdmin, ScopedChoicesMixin

from . import selectors
from .constants import DEPARTMENT_ROLE_KINDS
from .models import Center, Department, Role, Staff, User, Window

admin.site.unregister(Group)  # roles (org.Role) replace groups


class ScopedAdmin(AuditedModelAdmin):
    """Shows only what lies in the user's center or department (and, as every
    audited admin, offers only that)."""

    def scope(self, request, qs):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))


@admin.register(Center)
class CenterAdmin(ScopedAdmin):
    list_display = ["name", "region_code", "level", "parent", "phone"]
    search_fields = ["name", "region_code"]

    def scope(self, request, qs):
        return qs.filter(pk__in=selectors.centers_visible_to(request.user))

    def get_readonly_fields(self, request, obj=None):
        # The tree and the region code are set when the hall is installed.
        if request.user.is_superuser:
            return []
        return ["region_code", "level", "parent"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["name", "code", "center", "phone", "is_active"]
    list_filter = ["center", "is_active"]
    search_fields = ["name", "code"]
    inlines = [WindowInline]

    def scope(self, request, qs):
        return qs.filter(pk__in=selectors.departments_visible_to(request.user))


@admin.register(Window)
class WindowAdmin(ScopedAdmin):
    list_display = ["number", "name", "department", "location", "is_active"]
    list_filter = ["department__center"]
    search_fields = ["name", "number", "department__name"]

    def scope(self, request, qs):
        return qs.filter(pk__in=selectors.windows_visible_to(request.user))


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "kind"]
    filter_horizontal = ["permissions"]

    def has_change_permission(self, request, obj=None):
        # Rights are granted to roles by the system administrator only.
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class StaffForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["center", "department", "window", "roles", "title", "phone"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        center, department, window = data.get("center"), data.get("department"), data.get("window")
        roles = data.get("roles") or []
        if department is not None and center is not None and department.center_id != center.pk:
            raise ValidationError({"department": _("所选部门不属于所选中心。")})
        if window is not None and window.department_id != getattr(department, "pk", None):
            raise ValidationError({"window": _("所选窗口不属于所选部门。")})
        if department is None and any(r.kind in DEPARTMENT_ROLE_KINDS for r in roles):
            raise ValidationError({"department": _("部门管理员和窗口工作人员必须指定所属部门。")})
        user = self.request.user if self.request else None
        # A department admin may only hand out department roles, in their department.
        limited = user is not None and not user.has_perm("org.grant_center_roles")
        if limited and any(r.kind not in DEPARTMENT_ROLE_KINDS for r in roles):
            raise ValidationError({"roles": _("您只能授予部门管理员或窗口工作人员角色。")})
        return data


class StaffInline(ScopedChoicesMixin, admin.StackedInline):
    model = Staff
    form = StaffForm
    can_delete = False
    extra = 0
    filter_horizontal = ["roles"]

    def get_min_num(self, request, obj=None, **kwargs):
        # Every account a center or department manages is a staff member; only
        # the system administrator may create an account without a place.
        return 0 if request.user.is_superuser else 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class RequestFormSet(formset):
            def get_form_kwargs(self, index):
                kw = super().get_form_kwargs(index)
                kw["request"] = request
                return kw

        return RequestFormSet

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "roles" and not request.user.has_perm("org.grant_center_roles"):
            kwargs["queryset"] = Role.objects.filter(kind__in=DEPARTMENT_ROLE_KINDS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "staff_center", "staff_department", "is_active"]
    search_fields = ["username", "full_name"]
    list_filter = ["is_active", "staff__center"]
    inlines = [StaffInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email")}),
        (_("状态"), {"fields": ("is_active",)}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")},
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return selectors.users_visible_to(request.user).select_related(
            "staff__center", "staff__department"
        )

    @admin.display(description=_("所属中心"))
    def staff_center(self, obj):
        staff = getattr(obj, "staff", None)
        return staff.center if staff else "—"

    @admin.display(description=_("所属部门"))
    def staff_department(self, obj):
        staff = getattr(obj, "staff", None)
        return staff.department if staff and staff.department else "—"
