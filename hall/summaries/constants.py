from django.db import models
from django.utils.translation import gettext_lazy as _

RIGHT_VIEW = "summaries.view_summary"
RIGHT_SUBMIT = "summaries.submit_summary"
RIGHT_REVIEW = "summaries.review_summary"
RIGHT_SETTINGS = "summaries.change_summarysettings"

DEFAULT_DUE_DAY = 5  # the 5th working day of the next month
DUE_DAY_MAX = 20
SECTIONS_MAX = 12
SECTION_TITLE_MAX = 40
SECTION_HINT_MAX = 200
SECTION_TEXT_MAX = 3000
COMMENT_MAX = 1000
# How many months back the center's screens look for overdue summaries.
OVERDUE_MONTHS = 12

# The template a center starts with; the center edits it on the settings screen.
DEFAULT_SECTIONS = [
    {"key": "s1", "title": "本月工作开展情况", "hint": "受理办理情况、重点工作推进情况。"},
    {"key": "s2", "title": "存在的问题和困难", "hint": "群众反映集中的问题、办理中遇到的难点。"},
    {"key": "s3", "title": "下月工作计划", "hint": ""},
]


class UnitKind(models.TextChoices):
    WINDOW = "window", _("每个窗口")
    DEPARTMENT = "department", _("每个部门")


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("通过")
    RETURNED = "returned", _("退回修改")
