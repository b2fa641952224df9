from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "hall.policies"
    label = "policies"
    verbose_name = _("政策文件")

    def ready(self) -> None:
        from hall.core import navigation

        from . import panels, search  # noqa: F401  (search registers the column's index)

        navigation.register(
            "policies:staff_list",
            "policies.view_policydocument",
            _("政策文件"),
            _("本部门的政策文件：起草、发布、附件，变更报中心备案"),
            35,
        )
        navigation.register_panel("item_guide", "policies/_guide_panel.html", panels.guide_panel)
        navigation.register_panel("home", "policies/_home_panel.html", panels.home_panel, 20)
        navigation.register_panel(
            "regulations", "policies/_regulations_panel.html", panels.regulations_panel
        )
        navigation.register_panel("filing", "policies/_filing_panel.html", panels.filing_panel)
