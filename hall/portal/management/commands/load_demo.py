from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hall.agencies import demo as agencies_demo
from hall.cases import demo as cases_demo
from hall.catalogue import demo as catalogue_demo
from hall.org import demo as org_demo
from hall.org.models import Center
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
