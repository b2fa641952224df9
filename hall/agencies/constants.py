from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyCategory(models.TextChoices):
    """The kinds of intermediary service an item may need (中介服务事项类别)."""

    SUPERVISION = "supervision", _("工程监理")
    EMPLOYMENT = "employment", _("职业介绍")
    APPRAISAL = "appraisal", _("房地产评估")
    SURVEY = "survey", _("测绘")
    EIA = "eia", _("环境影响评价")
    SAFETY = "safety", _("安全评价")
    COST = "cost", _("工程造价咨询")
    DESIGN = "design", _("建筑设计")
    TESTING = "testing", _("检验检测")
    BOOKKEEPING = "bookkeeping", _("代理记账")
    FIRE = "fire", _("消防技术服务")
    LIGHTNING = "lightning", _("防雷检测")
    WATER = "water", _("水土保持方案编制")


# Page sizes of the public and staff lists.
PUBLIC_PAGE_SIZE = 20
STAFF_PAGE_SIZE = 30
# How many qualified agencies a guide lists before linking to the whole list.
GUIDE_PANEL_LIMIT = 8
