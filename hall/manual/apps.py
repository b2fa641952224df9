from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManualConfig(AppConfig):
    name = "hall.manual"
    label = "manual"
    verbose_name = _("操作手册")

    def ready(self) -> None:
        from hall.core import navigation

        # No right: the manual is for every staff member, a new clerk first of all.
        navigation.register(
            "manual:index",
            None,
            _("操作手册"),
            _("每个页面的用途、步骤和提示；可打印的培训手册"),
            95,
        )
