"""Demo notices and tasks: a year of the city center's and 柯城区's notices and
tasks to their departments, windows and county centers, with read receipts and
feedback (about one in ten late), one task overdue now (two units have not
fed back), one due soon, and this week's notices still unread. The past ones
are written as they ended (their dates in the past); the recent ones go
through the services. Idempotent: a notice is known by its center and title."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from hall.org.models import Center, Department, Staff, User, Window
from hall.workdays.services import current_calendar

from . import services
from .constants import Kind, ReceiptStatus, UnitKind
from .models import Feedback, Notice, Recipient

_NOTICE_TOPICS = [
    "关于做好元旦期间窗口值班工作的通知",
    "关于开展窗口服务礼仪培训的通知",
    "关于调整午间延时服务时间的通知",
    "关于做好春节前后办件高峰应对的通知",
    "关于规范一次性告知单使用的通知",
    "关于开展“好差评”数据核查的通知",
    "关于做好防汛期间安全保障的通知",
    "关于启用新版办事指南模板的通知",
    "关于组织政务服务技能比武的通知",
    "关于国庆节假日期间窗口安排的通知",
    "关于加强窗口纪律作风建设的通知",
    "关于做好年度工作总结报送的通知",
]
_TASK_TOPICS = [
    "报送本部门进驻事项清单",
    "核对办事指南材料清单",
    "报送窗口人员花名册",
    "自查超期办件原因",
    "报送“一件事”改革进展",
    "报送网上办件深度自评",
    "排查窗口设施安全隐患",
    "报送差评整改台账",
    "报送证照电子化进展",
    "报送政务服务满意度提升措施",
    "报送窗口排班表",
    "报送年度考核自评材料",
]
_FEEDBACK = [
    "已按要求完成，清单见附件说明。",
    "已组织自查，发现问题 2 处，均已整改。",
    "已报送，联系人：窗口负责人。",
    "已完成核对，无需调整。",
]


def _staff_user(recipient: Recipient, cache: dict):
    """A staff member of the unit, to stand as its reader."""
    key = recipient.unit_key
    if key not in cache:
        qs = Staff.objects.select_related("user")
        if recipient.unit_kind == UnitKind.WINDOW:
            qs = qs.filter(window_id=recipient.window_id)
        elif recipient.unit_kind == UnitKind.DEPARTMENT:
            qs = qs.filter(department_id=recipient.department_id)
        else:
            qs = qs.filter(center_id=recipient.center_id, department__isnull=True)
        staff = qs.order_by("id").first()
        cache[key] = staff.user if staff else None
    return cache[key]


def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _units(center: Center):
    if center.parent_id is None:
        departments = list(
            Department.objects.filter(center=center, code__in=["SCJG", "ZRZY", "GAJ", "RSJ", "ZJJ"])
        )
        windows = list(
            Window.objects.filter(department__center=center, department__code="SCJG").order_by(
                "number"
            )
        )
        centers = list(Center.objects.filter(parent=center).order_by("sort_order")[:3])
    else:
        departments = list(Department.objects.filter(center=center).order_by("sort_order")[:4])
        windows = []
        centers = []
    return departments, windows, centers


def _send(sender, center, kind, title, days, units):
    departments, windows, centers = units
    return services.notice_send(
        actor=sender,
        center=center,
        kind=kind,
        title=title,
        body=f"{title}。\n请各单位认真落实，{'按期反馈' if kind == Kind.TASK else '知悉'}。",
        due_days=days,
        departments=departments,
        windows=windows,
        centers=centers,
    )


def _settle_past(notice: Notice, sent_on, rng, cache, calendar) -> None:
    """Move a notice back to `sent_on` and record how its units read and fed back."""
    sent_at = _at(sent_on, 9, 30)
    due_on = calendar.add_working_days(sent_on, notice.due_days) if notice.due_days else None
    Notice.objects.filter(pk=notice.pk).update(sent_at=sent_at, due_on=due_on)
    for r in notice.recipients.all():
        reader = _staff_user(r, cache)
        late_read = rng.random() < 0.12
        read_on = calendar.add_working_days(
            sent_on, rng.choice([3, 4]) if late_read else rng.choice([0, 1, 1, 2])
        )
        fields = {"status": ReceiptStatus.READ, "read_at": _at(read_on, 10), "read_by": reader}
        if notice.kind == Kind.TASK:
            late = rng.random() < 0.1
            done_on = (
                calendar.add_working_days(due_on, rng.choice([1, 2]))
                if late
                else rng.choice([read_on, due_on])
            )
            done_on = max(done_on, read_on)
            on_time = done_on <= due_on
            Feedback.objects.create(
                recipient=r,
                text=rng.choice(_FEEDBACK),
                at=_at(done_on, 15),
                by=reader,
                late=not on_time,
            )
            fields.update(
                status=ReceiptStatus.FED_BACK,
                fed_back_at=_at(done_on, 15),
                fed_back_on_time=on_time,
            )
        Recipient.objects.filter(pk=r.pk).update(**fields)


@transaction.atomic
def load(out=None) -> dict:
    calendar = current_calendar()
    today = timezone.localdate()
    rng = random.Random(15)
    sysadmin = User.objects.filter(username="sysadmin").first()
    if sysadmin is None:
        return {"notices": 0, "tasks": 0, "new": 0}
    cache: dict = {}
    made = 0
    for center in Center.objects.filter(region_code__in=["330800", "330802"]).order_by(
        "sort_order"
    ):
        units = _units(center)
        city = center.parent_id is None
        for months_ago in range(12, 0, -1):
            if not city and months_ago % 2:
                continue
            i = 12 - months_ago
            month_start = (today.replace(day=1) - timedelta(days=30 * months_ago)).replace(day=1)
            for kind, topics, day in (
                (Kind.NOTICE, _NOTICE_TOPICS, 3),
                (Kind.TASK, _TASK_TOPICS, 10),
            ):
                if not city and kind == Kind.NOTICE:
                    continue
                title = f"{month_start:%Y年%-m月}：{topics[i]}"
                if Notice.objects.filter(center=center, title=title).exists():
                    continue
                sent_on = month_start + timedelta(days=day)
                while not calendar.is_workday(sent_on):
                    sent_on += timedelta(days=1)
                notice = _send(
                    sysadmin, center, kind, title, 5 if kind == Kind.TASK else None, units
                )
                _settle_past(notice, sent_on, rng, cache, calendar)
                made += 1
        # Now: one task overdue (sent 8 working days ago, due in 5), one due soon, one notice unread.
        if city:
            recent = [
                ("近期：报送窗口服务问题整改情况", Kind.TASK, 5, 8),
                ("近期：报送下月窗口排班表", Kind.TASK, 3, 1),
                ("近期：关于做好年底窗口服务保障的通知", Kind.NOTICE, None, 0),
            ]
            for title, kind, days, ago in recent:
                if Notice.objects.filter(center=center, title=title).exists():
                    continue
                notice = _send(sysadmin, center, kind, title, days, units)
                sent_on = today
                for _n in range(ago):
                    sent_on -= timedelta(days=1)
                    while not calendar.is_workday(sent_on):
                        sent_on -= timedelta(days=1)
                if ago:
                    due_on = calendar.add_working_days(sent_on, days) if days else None
                    Notice.objects.filter(pk=notice.pk).update(
                        sent_at=_at(sent_on, 9), due_on=due_on
                    )
                    notice.refresh_from_db()
                recipients = list(notice.recipients.order_by("id"))
                if kind == Kind.TASK and ago:
                    # All read; all but the last two fed back (the overdue ones); a due-soon task half.
                    keep = 2 if days == 5 else len(recipients) // 2
                    for r in recipients:
                        reader = _staff_user(r, cache)
                        if reader is None:
                            continue
                        Recipient.objects.filter(pk=r.pk).update(
                            status=ReceiptStatus.READ, read_at=_at(sent_on, 11), read_by=reader
                        )
                    for r in recipients[:-keep] if keep else recipients:
                        reader = _staff_user(r, cache)
                        if reader is None or not reader.has_perm("notices.feedback_task"):
                            continue
                        r.refresh_from_db()
                        services.task_feedback(
                            recipient=r, actor=reader, text=rng.choice(_FEEDBACK)
                        )
                made += 1
    return {
        "notices": Notice.objects.filter(kind=Kind.NOTICE).count(),
        "tasks": Notice.objects.filter(kind=Kind.TASK).count(),
        "new": made,
    }
