from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import audit_events


class DateRangeForm(forms.Form):
    """Filters of a log: two optional dates, the first not after the second.
    Subclasses list their own fields first (field_order)."""

    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class AuditFilterForm(DateRangeForm):
    field_order = ["actor", "action", "content_type", "date_from", "date_to"]

    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    # The registered events, by label (read when the form is made: every app has
    # filled the registry by then).
    action = forms.ChoiceField(
        label=_("动作"), required=False, choices=lambda: [("", _("全部"))] + audit_events.choices()
    )
    content_type = forms.ModelChoiceField(
        label=_("对象类型"),
        required=False,
        empty_label=_("全部"),
        queryset=ContentType.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The types of object that registered events point at.
        types = Q()
        for event in audit_events.events():
            if "." in event.object_type:
                app_label, model = event.object_type.split(".", 1)
                types |= Q(app_label=app_label, model=model)
        self.fields["content_type"].queryset = ContentType.objects.filter(types).order_by("model")
        self.fields["content_type"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct.model
        )
