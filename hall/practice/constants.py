from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.core.practice import RIGHT  # noqa: F401  (practice.use_practice)


class Scenario(models.TextChoices):
    """The scenario drills (情景考核): each sets up its practice case and scores the result."""

    MISSING_ORIGINAL = "missing_original", _("窗口收件：申请人缺少一项原件")
    NATIONAL_DAY = "national_day", _("承诺时限跨国庆假期")
    FULL_CORRECTION = "full_correction", _("补正告知须一次性列全")


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    SCORED = "scored", _("已评分")


# A drill's answer (a date) is short; anything longer is refused, not cut.
ANSWER_MAX_CHARS = 40
MAX_SCORE = 100
# Attempts listed on the practice page.
ATTEMPTS_SHOWN = 20
