"""The annual assessment (年度考核, R-9.3): what the center scores each unit on."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

RIGHT_VIEW = "assessment.view_assessment"
RIGHT_RUN = "assessment.run_assessment"
RIGHT_PUBLISH = "assessment.publish_assessment"

# The hall's figures make this share of the annual score; the rest (80 %) is
# the one figure per unit the center enters from outside the hall.
HALL_SHARE = Decimal("0.20")
EXTERNAL_SHARE = Decimal("0.80")
# The weights of a scheme's indicators add up to exactly this (the hall part's 100 %).
WEIGHT_TOTAL = Decimal("100")

NAME_MAX = 100
REASON_MAX = 500
# An adjustment moves a unit's annual score by at most this many points either way.
ADJUSTMENT_MAX = Decimal("20")
YEAR_MIN = 2000
YEAR_MAX = 2099
# The cases, items or complaints behind a figure are listed up to this many per page.
BEHIND_PAGE = 50


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("试算中")
    PUBLISHED = "published", _("已发布")


class UnitKind(models.TextChoices):
    """What is assessed: a department of the assessing center, or a county center's hall."""

    DEPARTMENT = "department", _("部门")
    CENTER = "center", _("县（市、区）中心")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")
