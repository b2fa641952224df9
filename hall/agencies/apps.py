from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "hall.agencies"
    label = "agencies"
    verbose_name = _("中介服务")

    def ready(self) -> None:
        from hall.core import navigation

        from . import audit_events, panels, search  # noqa: F401  (register)

        navigation.register(
            "agencies:staff_list",
            "agencies.view_agency",
            _("中介机构"),
            _("中介服务机构名录、资质证书与 Excel 导入导出"),
            60,
        )
        navigation.register_panel("item_guide", "agencies/_guide_panel.html", panels.guide, 60)
        navigation.register_panel("home", "agencies/_home_panel.html", panels.home, 60)
