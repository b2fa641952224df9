"""差评整改 — the rectification of a bad rating (国办发〔2019〕51号): call-back,
verification or appeal, rectification, reply, follow-up rating."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    CALLBACK = "callback", _("待回访")
    VERIFY = "verify", _("待核实")
    APPEAL = "appeal", _("申诉待定")
    RECTIFY = "rectify", _("整改中")
    REPLY = "reply", _("待答复")
    FOLLOW_UP = "follow_up", _("待追评")
    CLOSED = "closed", _("已办结")
    UPHELD = "upheld", _("申诉成立")


# The rights of the tasks (rectification.Task's view right and Meta permissions;
# the settings' change right).
RIGHT_VIEW = "rectification.view_task"
RIGHT_HANDLE = "rectification.handle_task"
RIGHT_DECIDE = "rectification.decide_appeal"
RIGHT_SETTINGS = "rectification.change_rectificationsettings"

# The call-back is due this many working days after the rating.
CALLBACK_DAYS = 1
# Working days a center gives its departments to rectify, until it sets its own.
DEFAULT_RECTIFY_DAYS = 15
MIN_RECTIFY_DAYS, MAX_RECTIFY_DAYS = 1, 60
# A running task is due soon this many working days before its due date.
DUE_SOON_DAYS = 2

NOTE_MAX = 2000
EVIDENCE_PER_APPEAL = 5
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = {"pdf", "png", "jpeg"}

PAGE_SIZE = 20
# The public panel lists at most this many bad ratings of a month.
DISCLOSURE_COUNT = 20
