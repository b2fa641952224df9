"""好差评 — the ratings of finished cases, after 国办发〔2019〕51号."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The five levels; the number is the score (5 best)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# A bad rating (差评) opens a rectification task.
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
# The satisfaction rate counts these as satisfied.
SATISFIED_LEVELS = frozenset({Level.VERY_SATISFIED, Level.SATISFIED, Level.BASIC})

# The tags a rater may pick, per level: (code, label). The codes are stored.
_GOOD_TAGS = [
    ("quick", _("办事快捷")),
    ("one_visit", _("一次办好")),
    ("clear_guide", _("指南清楚")),
    ("friendly", _("热情周到")),
    ("online", _("网上可办")),
]
_BAD_TAGS = [
    ("unclear_materials", _("材料要求不清")),
    ("many_visits", _("多次跑动")),
    ("overdue", _("超时办理")),
    ("attitude", _("态度不好")),
    ("extra_requirements", _("要求额外材料")),
    ("hard_online", _("网上办理不便")),
]
TAGS: dict[int, list[tuple[str, object]]] = {
    Level.VERY_SATISFIED: _GOOD_TAGS,
    Level.SATISFIED: _GOOD_TAGS,
    Level.BASIC: [
        ("slow", _("等候时间较长")),
        ("unclear_materials", _("材料要求不清")),
        ("hard_online", _("网上办理不便")),
    ],
    Level.DISSATISFIED: _BAD_TAGS,
    Level.VERY_DISSATISFIED: _BAD_TAGS,
}
TAG_LABELS = {code: label for tags in TAGS.values() for code, label in tags}
TAGS_MAX = 6


class Kind(models.TextChoices):
    """What a rating rates. One rating per case and kind (一事一评)."""

    FINISHED = "finished", _("办结评价")
    # Asked at acceptance, for items that ask for it (ServiceItem setting).
    ACCEPTANCE = "acceptance", _("受理评价")
    # The applicant's second word after a bad rating was rectified (追评).
    FOLLOW_UP = "follow_up", _("追评")


class Channel(models.TextChoices):
    WEB = "web", _("网上办事大厅")
    SMS = "sms", _("短信链接")
    QR = "qr", _("办事窗口二维码")
    API = "api", _("接口")


COMMENT_MAX = 500
# A signed rating link (SMS, QR) is good for this many days after it is made.
TOKEN_MAX_AGE_DAYS = 60

RIGHT_VIEW = "ratings.view_rating"
