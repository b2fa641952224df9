"""Outbox rows for the worker's tests, written as the service writes them."""

from hall.notifications.constants import Channel, Event
from hall.notifications.models import Notification


def queue_messages(department, count: int, prefix: str = "t") -> list[str]:
    rows = [
        Notification(
            center_id=department.center_id,
            department=department,
            channel=Channel.SMS,
            event=Event.ACCEPTED,
            recipient=f"138{i:08d}",
            text=f"【衢州市行政服务中心】测试短信 {i}",
            idempotency_key=f"{prefix}:{i}",
        )
        for i in range(count)
    ]
    Notification.objects.bulk_create(rows)
    return [r.idempotency_key for r in rows]
