from django.db import models
from django.utils.translation import gettext_lazy as _

# Every staff role holds it (granted by migration 0002 to existing halls).
RIGHT_USE = "messaging.use_messages"

SUBJECT_MAX = 100
BODY_MAX = 5000
FILES_MAX = 5
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_KINDS = {"pdf", "png", "jpeg", "docx", "xlsx"}
# Addressees chosen at the start of a thread, besides the sender.
ADDRESSEES_MAX = 20
PAGE_SIZE = 20
# Unread threads listed on the landing page.
LANDING_LIMIT = 5


class ParticipantKind(models.TextChoices):
    STAFF = "staff", _("工作人员")
    WINDOW = "window", _("窗口")
    DEPARTMENT = "department", _("部门")
