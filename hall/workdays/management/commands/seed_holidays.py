from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.workdays.services import calendar_seed_from_chinesecalendar, unpublished_years


class Command(BaseCommand):
    help = _("从 chinesecalendar 导入国务院节假日安排（只补缺失的日期，可重复运行）。")

    def handle(self, *args, **options):

        result = calendar_seed_from_chinesecalendar()
        years = result["years"]
        span = f"{years[0]}–{years[-1]}" if years else "—"
        self.stdout.write(
            _("chinesecalendar 覆盖年份：%(span)s（%(n)d 年）") % {"span": span, "n": len(years)}
        )
        self.stdout.write(
            _("新增法定节假日 %(h)d 天，调休上班日 %(w)d 天；新标记为已发布的年份 %(y)d 个。")
            % {
                "h": result["holidays_added"],
                "w": result["workdays_added"],
                "y": len(result["years_published"]),
            }
        )
        if result["conflicts"]:
            self.stdout.write(
                self.style.WARNING(
                    _("以下日期已有不同类型的登记，未修改，请在后台核对：%(dates)s")
                    % {"dates": "、".join(result["conflicts"])}
                )
            )
        missing = unpublished_years(timezone.localdate())
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    _("以下年份尚无节假日安排，期限将按周末暂定计算：%(years)s")
                    % {"years": "、".join(str(y) for y in missing)}
                )
            )
