import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    NORMATIVE = "normative", _("规范性文件")
    INTERPRETATION = "interpretation", _("政策解读")
    NOTICE = "notice", _("工作通知")
    INNOVATION = "innovation", _("创新举措")
    OTHER = "other", _("其他")


class PolicyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    REVISED = "revised", _("已修订")
    REPEALED = "repealed", _("已废止")


# A revised or repealed document names the one that replaces it.
REPLACED_STATUSES = {PolicyStatus.REVISED, PolicyStatus.REPEALED}

TITLE_MAX = 200
BODY_MAX = 50_000
PAGE_SIZE = 20
FEED_SIZE = 50
HOME_SIZE = 5
GUIDE_SIZE = 10

# Attachments are checked as the catalogue checks item templates (same kinds, same limit).
ATTACHMENT_MAX = 10

# 文号: issuer abbreviation + 〔year〕 + number + 号. People type [] or 【】 (and
# full-width ［］) for the hexagonal brackets; they are stored as 〔〕.
DOC_NUMBER_RE = re.compile(
    r"^(?P<issuer>[\u4e00-\u9fff]{1,20})[〔\[【［](?P<year>(?:19|20)\d{2})[〕\]】］]"
    r"(?P<number>[1-9]\d{0,3})号$"
)
