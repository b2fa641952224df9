from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "hall.workdays"
    label = "workdays"
    verbose_name = _("工作日与节假日")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
