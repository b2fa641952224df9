from collections.abc import Callable

from django.contrib import admin
from django.db import models
from django.http import Http404

from .admin_site import ValidatedListMixin
from .constants import AuditAction
from .services import log_action

# The rows of a model a user may pick in the back office, by model. The app that
# owns a model registers its rule (org: centers, departments, windows), so that
# every admin and inline offers the same choices and core imports no app.
_CHOICES_IN_SCOPE: dict[type[models.Model], Callable[..., models.QuerySet]] = {}


def register_choices_in_scope(
    model: type[models.Model], visible_to: Callable[..., models.QuerySet]
) -> None:
    """`visible_to(user)` gives the rows of `model` that `user` may choose."""
    _CHOICES_IN_SCOPE[model] = visible_to


def choices_in_scope(model: type[models.Model], user) -> models.QuerySet | None:
    """The rows of `model` the user may choose, or None when the model has no rule."""
    visible_to = _CHOICES_IN_SCOPE.get(model)
    return visible_to(user) if visible_to is not None else None


class ScopedChoicesMixin:
    """For admins and inlines: a foreign key to a scoped model (a center, a
    department, a window…) offers only what the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            visible = choices_in_scope(db_field.related_model, request.user)
            if visible is not None:
                kwargs["queryset"] = visible
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AuditedModelAdmin(ValidatedListMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose every add, change and delete writes one audit entry,
    whose choices stay in the user's scope, whose list checks every filter
    value, and whose objects outside the user's queryset answer 404.

    An admin whose writes go through services that write the audit entry
    themselves (with the change's own action code and data) sets
    `audited_by_services`, so that one change is one entry.
    """

    audited_by_services = False

    def log_addition(self, request, obj, message):
        if not self.audited_by_services:
            log_action(
                request.user, AuditAction.ADMIN_ADD, obj, {"message": message}, request=request
            )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if not self.audited_by_services:
            log_action(
                request.user, AuditAction.ADMIN_CHANGE, obj, {"message": message}, request=request
            )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        if not self.audited_by_services:
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
