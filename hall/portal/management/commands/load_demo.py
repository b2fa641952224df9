from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hall.agencies import demo as agencies_demo
from hall.announcements import demo as announcements_demo
from hall.cases import demo as cases_demo
from hall.catalogue import demo as catalogue_demo
from hall.feedback import demo as feedback_demo  # complaints hall
from hall.messaging import demo as messaging_demo  # 信息互动
from hall.org import demo as org_demo
from hall.org.models import Center
from hall.policies import demo as policies_demo
from hall.qa import demo as qa_demo
from hall.ratings import demo as ratings_demo  # ratings figures: the demo ratings
from hall.rectification import demo as rectification_demo  # 差评整改
from hall.summaries import demo as summaries_demo  # monthly work summaries
from hall.workdays.services import calendar_seed_from_chinesecalendar


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="only when the database has no center yet"
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Center.objects.exists():
            self.stdout.write(_("数据库已有数据，跳过演示数据。"))
            return
        calendar_seed_from_chinesecalendar()
        figures = org_demo.load()
        self.stdout.write(
            _("演示数据已就绪：%(centers)d 个中心，%(departments)d 个部门，%(windows)d 个窗口。")
            % figures
        )
        figures = catalogue_demo.load()
        self.stdout.write(
            _(
                "事项目录：%(items)d 个事项（市本级 %(city_items)d 个），%(regulations)d 件法规，%(templates)d 份表格。"
            )
            % figures
        )
        figures = agencies_demo.load()
        self.stdout.write(_("中介服务：%(agencies)d 家中介机构。") % figures)
        figures = cases_demo.load()
        self.stdout.write(_("办件：%(cases)d 件（其中历史办件 %(generated)d 件）。") % figures)
        if figures["example"]:
            number, phone = figures["example"]
            self.stdout.write(_("试查办件：查询号 %(n)s，手机号 %(p)s") % {"n": number, "p": phone})
        figures = policies_demo.load()
        self.stdout.write(
            _(
                "政策文件：%(policies)d 份（已发布 %(published)d 份，政策解读 %(interpretations)d 份，已修订或废止 %(replaced)d 份），附件 %(attachments)d 个。"
            )
            % figures
        )
        figures = qa_demo.load()
        if figures:
            self.stdout.write(_("网上答疑：新增 %(new)d 条，已公开 %(published)d 条。") % figures)
        figures = announcements_demo.load()
        self.stdout.write(
            _(
                "中心公告：%(announcements)d 条公告，%(flagged)d 个公示事项，%(results)d 条许可结果公示。"
            )
            % figures
        )
        # complaints hall (投诉大厅)
        figures = feedback_demo.load()
        if figures:
            self.stdout.write(
                _(
                    "投诉大厅：%(complaints)d 件投诉（已公开 %(published)d 件，已报督办 %(escalated)d 件）。"
                )
                % figures
            )
        # ---- ratings figures: ratings on most finished demo cases ----
        figures = ratings_demo.load()
        self.stdout.write(
            _("好差评：新增评价 %(new)d 条，共 %(ratings)d 条（差评 %(bad)d 条）。") % figures
        )
        # ---- end of the ratings figures' part ----
        # 差评整改: after the ratings, so that their bad ones get their tasks.
        figures = rectification_demo.load()
        self.stdout.write(
            _(
                "差评整改：%(tasks)d 个任务（新增 %(opened)d 个，演示各办理阶段 %(walked)d 个，"
                "往月已整改办结 %(settled)d 个）。"
            )
            % figures
        )
        # monthly work summaries (月度工作总结): after the cases, ratings and complaints
        # whose figures they carry
        figures = summaries_demo.load()
        if figures:
            self.stdout.write(
                _(
                    "月度工作总结：%(summaries)d 份（已通过 %(accepted)d 份，其中退回后重新提交 "
                    "%(returned_then_resubmitted)d 份；逾期 %(overdue)d 份）。"
                )
                % figures
            )
        # ---- 中心布置工作: a year of notices and tasks with receipts and feedback ----
        from hall.notices import demo as notices_demo

        figures = notices_demo.load()
        self.stdout.write(
            _("通知与任务：通知 %(notices)d 条，工作任务 %(tasks)d 条（新增 %(new)d 条）。")
            % figures
        )
        # ---- annual assessment (年度考核): last year published, this year a draft ----
        from hall.assessment import demo as assessment_demo

        figures = assessment_demo.load()
        if figures:
            self.stdout.write(_("年度考核：已载入演示考核方案。"))
        # ---- end of the annual assessment's part ----
        # 信息互动: threads between the demo windows and departments
        figures = messaging_demo.load()
        self.stdout.write(
            _("信息互动：%(threads)d 个会话（新增 %(new)d 个，附件 %(files)d 个）。") % figures
        )
        # ---- usage sheets: the demo staff's sign-ins (the rest is computed) ----
        from hall.usage import demo as usage_demo

        figures = usage_demo.load()
        self.stdout.write(_("使用情况考核：新增演示登录记录 %(sessions)d 条。") % figures)
        # ---- end of the usage sheets' part ----
