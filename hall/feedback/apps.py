from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "hall.feedback"
    label = "feedback"
    verbose_name = _("投诉大厅")

    def ready(self) -> None:
        from hall.core import navigation

        from . import panels

        navigation.register(
            "feedback:staff_list",
            "feedback.view_complaint",
            _("投诉处理"),
            _("群众投诉：受理、调查、答复、督办和公开"),
            8,
        )
        navigation.register(
            "feedback:shared_list",
            "feedback.view_shared_complaint",
            _("投诉调查通报"),
            _("中心通报本部门的投诉调查结论"),
            9,
        )
        navigation.register(
            "feedback:settings",
            "feedback.change_feedbacksettings",
            _("投诉大厅设置"),
            _("投诉答复时限（超期报上级督办）"),
            60,
        )
        navigation.register_panel(
            "supervision_dashboard",
            "feedback/supervision_panel.html",
            panels.supervision_panel,
            order=45,
        )
