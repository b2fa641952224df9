"""Back office: the outbox read-only (the worker and the staff pages write it),
and the templates with the same checks as the staff page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hall.core.admin import AuditedModelAdmin
from hall.core.permissions import scoped, visible_center_ids

from . import rendering
from .constants import TEMPLATE_EVENTS, Channel
from .models import Notification, NotificationTemplate


@admin.register(Notification)
class NotificationAdmin(AuditedModelAdmin):
    list_display = ["created_at", "event", "channel", "masked_recipient", "status", "attempts"]
    list_filter = ["status", "event", "channel"]
    search_fields = ["idempotency_key", "provider_message_id"]
    exclude = ["recipient", "text"]
    readonly_fields = ["staff_text"]

    @admin.display(description=_("内容"))
    def staff_text(self, obj):
        return obj.text_for_staff

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TemplateAdminForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["center", "event", "channel", "text", "enabled"]

    def clean_text(self):
        try:
            return rendering.check(self.cleaned_data["text"])
        except rendering.TemplateError as exc:
            raise ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if data.get("event") not in TEMPLATE_EVENTS or data.get("channel") != Channel.SMS:
            raise ValidationError(_("没有这个通知模板。"))
        return data


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(AuditedModelAdmin):
    form = TemplateAdminForm
    list_display = ["center", "event", "channel", "enabled", "updated_at"]
    list_filter = ["event", "enabled"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = visible_center_ids(request.user)
        return qs if ids is None else qs.filter(center_id__in=ids)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
