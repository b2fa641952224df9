from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    # A Saturday or Sunday that is worked in exchange for a longer holiday (调休).
    WORKDAY = "workday", _("调休上班日")


class HolidaySource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("国务院安排（chinesecalendar 数据）")
    MANUAL = "manual", _("手工录入")


# Years the seed tries; chinesecalendar's data starts in 2004.
SEED_FIRST_YEAR = 2004

# Audit action codes of this app.
AUDIT_SEED = "workdays.seed"
AUDIT_SCHEDULE = "workdays.schedule_entered"

# The cache key of the calendar's generation token (see signals.calendar_touched).
GENERATION_KEY = "workdays:generation"
