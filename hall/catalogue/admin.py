from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hall.core.admin import AuditedModelAdmin

from . import selectors, services
from .constants import FilingAction, FilingStatus
from .forms import ArticleForm, FAQForm, MaterialForm, ServiceItemForm
from .models import (
    ApplicationField,
    ItemBasis,
    ItemFAQ,
    Material,
    Regulation,
    RegulationArticle,
    ServiceItem,
    SpecialProcedure,
    Theme,
)


class MaterialInline(admin.StackedInline):
    model = Material
    form = MaterialForm
    extra = 0


class ApplicationFieldInline(admin.TabularInline):
    model = ApplicationField
    extra = 0
    verbose_name_plural = _("网上申请表字段（网上办理深度三级及以上时使用）")


class FAQInline(admin.TabularInline):
    model = ItemFAQ
    form = FAQForm
    extra = 0


class SpecialProcedureInline(admin.TabularInline):
    model = SpecialProcedure
    extra = 0


class BasisInline(admin.TabularInline):
    model = ItemBasis
    extra = 0
    raw_id_fields = ["article"]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    form = ServiceItemForm
    audited_by_services = True  # item_create, item_update and item_delete write the entry
    list_display = [
        "code",
        "name",
        "department",
        "item_type",
        "online_depth",
        "promised_days",
        "is_published",
    ]
    list_filter = ["is_published", "online_depth", "item_type", "department__center"]
    search_fields = ["code", "name", "aliases"]
    filter_horizontal = ["themes"]
    inlines = [
        MaterialInline,
        ApplicationFieldInline,
        BasisInline,
        SpecialProcedureInline,
        FAQInline,
    ]
    exclude = ["center"]
    list_select_related = ["department"]

    def get_queryset(self, request):
        return selectors.items_editable_by(request.user).prefetch_related("materials", "bases")

    @admin.display(description=_("完整度"))
    def completeness_score(self, obj):
        return f"{selectors.completeness(obj).score}%"

    @admin.display(description=_("指南状态"))
    def guide_status(self, obj):
        if obj.pk is None:
            return "—"
        c = selectors.completeness(obj)
        gaps = format_html_join("", "<li>{}</li>", ((g,) for g in c.gaps))
        return format_html(
            '{}：{}%　<a href="{}">{}</a>　<a href="{}">{}</a><ul>{}</ul>',
            _("完整度"),
            c.score,
            reverse("catalogue:versions", args=[obj.code]),
            _("版本历史（第 %(n)d 版）") % {"n": obj.version},
            reverse("catalogue:item", args=[obj.code]),
            _("查看公开页面"),
            gaps,
        )

    def save_model(self, request, obj, form, change):
        """Nothing yet: the item is written in `save_related`, with its inlines."""

    def save_related(self, request, form, formsets, change):
        # Django saves the inline rows (materials, bases, FAQs…) and the themes
        # after `save_model`, so a version recorded there would miss them, and the
        # guide as it was would have to wait on the request until here. The whole
        # write is done here instead, inside the service: it reads the guide as it
        # was, saves the item, lets Django save the rest, and records the version,
        # the filing and the audit entry of the final state, once.
        def write_related(item):
            super(ServiceItemAdmin, self).save_related(request, form, formsets, change)

        service = services.item_update if change else services.item_create
        filing = service(actor=request.user, item=form.instance, write_related=write_related)
        if filing is not None and filing.status == FilingStatus.PENDING:
            messages.info(request, _("修改已发布，并已报中心备案。"))

    def delete_model(self, request, obj):
        services.item_delete(actor=request.user, item=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.item_delete(actor=request.user, item=obj)


class ArticleInline(admin.TabularInline):
    model = RegulationArticle
    form = ArticleForm
    extra = 0


@admin.register(Regulation)
class RegulationAdmin(AuditedModelAdmin):
    audited_by_services = True  # regulation_record_change writes the entry
    list_display = ["title", "level", "issuer", "doc_number", "in_force"]
    list_filter = ["level", "in_force"]
    search_fields = ["title", "doc_number", "issuer"]
    inlines = [ArticleInline]

    def get_queryset(self, request):
        return selectors.regulations_editable_by(request.user)

    def get_exclude(self, request, obj=None):
        # A department's documents are always its own.
        staff = getattr(request.user, "staff", None)
        return ["center", "department"] if staff and staff.department_id else []

    def save_model(self, request, obj, form, change):
        request._reg_before = (
            services.regulation_snapshot(Regulation.objects.get(pk=obj.pk)) if change else None
        )
        staff = getattr(request.user, "staff", None)
        if staff is not None and staff.department_id is not None:
            obj.department_id = staff.department_id
            obj.center_id = staff.center_id
        elif obj.department_id:
            obj.center_id = obj.department.center_id
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.regulation_record_change(
            actor=request.user,
            regulation=form.instance,
            before=getattr(request, "_reg_before", None),
            action=FilingAction.UPDATE if change else FilingAction.CREATE,
        )

    def delete_model(self, request, obj):
        services.regulation_record_change(
            actor=request.user,
            regulation=obj,
            before=services.regulation_snapshot(obj),
            action=FilingAction.DELETE,
        )
        super().delete_model(request, obj)


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "audience", "sort_order"]
