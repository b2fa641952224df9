from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "hall.ratings"
    label = "ratings"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)

        register_figures()  # figures: the staff figures' menu entry and supervision panel


# ---- figures: the staff figures' menu entry and the supervision panel ----
def register_figures() -> None:
    from hall.core import navigation

    from . import staff_views
    from .constants import RIGHT_VIEW

    navigation.register(
        "ratings:figures",
        RIGHT_VIEW,
        _("好差评统计"),
        _("参评率、满意率、差评率和按时整改率：按中心、部门、事项和经办人"),
        9,
    )
    navigation.register_panel(
        "supervision_dashboard",
        "ratings/staff/supervision_panel.html",
        staff_views.supervision_panel,
        order=30,
    )


# ---- end of the figures' part ----
