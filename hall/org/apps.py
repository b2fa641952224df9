from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hall.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from hall.core import navigation
        from hall.core.admin import register_choices_in_scope

        from . import receivers, selectors  # noqa: F401 (receivers connect on import)
        from .models import Center, Department, Window

        register_choices_in_scope(Center, selectors.centers_visible_to)
        register_choices_in_scope(Department, selectors.departments_visible_to)
        register_choices_in_scope(Window, selectors.windows_visible_to)

        navigation.register(
            "org:departments",
            "org.view_department",
            _("部门与窗口"),
            _("职责范围内的部门、窗口与人员"),
            20,
        )
