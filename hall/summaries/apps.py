from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    name = "hall.summaries"
    label = "summaries"
    verbose_name = _("月度工作总结")

    def ready(self) -> None:
        from hall.core import measures, navigation

        from . import audit_events  # noqa: F401 (registers the events)
        from .measure import summaries_on_time

        navigation.register(
            "summaries:mine",
            "summaries.submit_summary",
            _("月度工作总结"),
            _("本窗口（部门）每月的工作总结：数据自动带入，只写总结内容"),
            20,
        )
        navigation.register(
            "summaries:center",
            "summaries.review_summary",
            _("月度总结审核"),
            _("各单位当月总结、逾期未交、审核通过或退回、导出 Excel"),
            21,
        )
        navigation.register(
            "summaries:settings",
            "summaries.change_summarysettings",
            _("月度总结设置"),
            _("总结模板、提交期限和提交单位"),
            61,
        )
        measures.register(
            "summaries_on_time", _("月度工作总结按时提交"), summaries_on_time, order=30
        )
