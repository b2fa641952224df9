from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionStatus(models.TextChoices):
    ROUTING = "routing", _("待分派")
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    PUBLISHED = "published", _("已公开")
    PRIVATE = "private", _("不公开")


# The rights of the column (qa.Question's Meta permissions and Django's view right).
RIGHT_VIEW = "qa.view_question"
RIGHT_ANSWER = "qa.answer_question"
RIGHT_DISPATCH = "qa.dispatch_question"
RIGHT_PUBLISH = "qa.publish_question"

# Working days a center gives itself to answer, until it sets its own.
DEFAULT_ANSWER_DAYS = 5
# An open question is due soon this many working days before its due date.
DUE_SOON_DAYS = 2

SUBJECT_MAX = 60
QUESTION_MAX = 2000
ANSWER_MAX = 4000
NAME_MAX = 30
REASON_MAX = 500

PAGE_SIZE = 20
HOME_COUNT = 5
SUGGEST_COUNT = 5
# Departments offered to the dispatcher, from the best-matching items.
SUGGESTED_DEPARTMENTS = 3
