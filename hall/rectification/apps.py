from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "hall.rectification"
    label = "rectification"
    verbose_name = _("差评整改")

    def ready(self) -> None:
        from hall.core import navigation
        from hall.ratings import stats

        from . import panels, receivers, services  # noqa: F401  (receivers connect themselves)
        from .constants import RIGHT_DECIDE, RIGHT_SETTINGS, RIGHT_VIEW

        navigation.register(
            "rectification:list",
            RIGHT_VIEW,
            _("差评整改"),
            _("差评回访、核实、整改、答复和追评"),
            8,
        )
        navigation.register(
            "rectification:appeals",
            RIGHT_DECIDE,
            _("差评申诉审核"),
            _("部门对差评的申诉，由中心审核"),
            9,
        )
        navigation.register(
            "rectification:settings",
            RIGHT_SETTINGS,
            _("差评整改时限"),
            _("本中心差评整改的工作日时限"),
            90,
        )
        navigation.register_panel(
            "supervision_dashboard",
            "rectification/supervision_panel.html",
            panels.supervision_panel,
            order=45,
        )
        navigation.register_panel(
            "ratings_disclosure",
            "rectification/disclosure_panel.html",
            panels.disclosure_panel,
            order=50,
        )
        stats.register_source(services.recount_source)
