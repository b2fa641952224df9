from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    LICENCE_RESULTS = "licence_results", _("许可结果公示")
    GUIDE_CHANGE = "guide_change", _("办事指南变更")
    OTHER = "other", _("其他")


# 双公示: a decision is public at the latest this many working days after it.
PUBLICATION_LIMIT_DAYS = 7
# A center's hold may not exceed the limit: a longer one would publish every
# result late (the form refuses it; entries queued under an older, longer
# setting show as late in supervision).
MAX_HOLD_DAYS = PUBLICATION_LIMIT_DAYS

TITLE_MAX = 200
BODY_MAX = 20_000
WITHDRAW_REASON_MAX = 500
ATTACHMENTS_PER_ANNOUNCEMENT = 5
ATTACHMENT_KINDS = {"pdf", "docx", "xlsx", "png", "jpeg"}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

PAGE_SIZE = 20
FEED_SIZE = 30
EXPORT_MAX_ROWS = 20_000
HOME_SIZE = 5
