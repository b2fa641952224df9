from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hall.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from hall.core import navigation

        navigation.register(
            "org:departments",
            "org.view_department",
            _("部门与窗口"),
            _("职责范围内的部门、窗口与人员"),
            20,
        )
