from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "hall.catalogue"
    label = "catalogue"
    verbose_name = _("事项目录")

    def ready(self) -> None:
        from hall.core import navigation

        navigation.register(
            "catalogue:filings",
            "catalogue.view_filing",
            _("内容备案"),
            _("部门发布和修改的内容，逐项查看变更"),
            30,
        )
        navigation.register(
            "catalogue:completeness",
            "catalogue.view_serviceitem",
            _("指南完整度"),
            _("各部门办事指南的完整度与缺项"),
            40,
        )
        navigation.register(
            "catalogue:import",
            "catalogue.add_serviceitem",
            _("事项导入导出"),
            _("用 Excel 批量维护事项"),
            50,
        )
