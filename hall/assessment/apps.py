from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "hall.assessment"
    label = "assessment"
    verbose_name = _("年度考核")

    def ready(self) -> None:
        from hall.core import navigation

        navigation.register(
            "assessment:list",
            "assessment.view_assessment",
            _("年度考核"),
            _("各部门和县（市、区）中心的年度考核：指标、试算、调整、发布和排名"),
            70,
        )
