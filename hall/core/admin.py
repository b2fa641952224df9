from django.contrib import admin
from django.http import Http404

from .constants import AuditAction
from .services import log_action


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every add, change and delete writes one audit entry,
    and whose objects outside the user's queryset answer 404."""

    def log_addition(self, request, obj, message):
        log_action(request.user, AuditAction.ADMIN_ADD, obj, {"message": message}, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        log_action(
            request.user, AuditAction.ADMIN_CHANGE, obj, {"message": message}, request=request
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            log_action(request.user, AuditAction.ADMIN_DELETE, obj, request=request)
        return super().log_deletions(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect with "perhaps it was deleted"; an object
            # outside the user's scope must not even be hinted at.
            raise Http404
        return obj
