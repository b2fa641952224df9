"""The audit events of 好差评 (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

RATING = "ratings.rating"

register(
    "ratings.rate",
    _("申请人评价"),
    object_type=RATING,
    data={"case": "case id", "kind": "rating kind", "level": "1–5", "channel": "how it came"},
)
register(
    "ratings.open_follow_up",
    _("开放追评"),
    object_type=RATING,
    data={"case": "case id"},
)
