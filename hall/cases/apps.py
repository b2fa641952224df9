from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hall.cases"
    label = "cases"
    verbose_name = _("办件")

    def ready(self) -> None:
        from hall.core import navigation

        from . import receivers  # noqa: F401  (recompute deadlines when holidays change, in the worker)

        navigation.register(
            "cases:queue",
            "cases.view_case",
            _("网上预审"),
            _("本部门网上申报的办件：预审、补正、受理"),
            5,
        )
        navigation.register(
            "cases:walk_in_start",
            "cases.change_case",
            _("窗口收件"),
            _("申请人到窗口递交材料：登记、核验原件、当场受理或不予受理"),
            4,
        )
