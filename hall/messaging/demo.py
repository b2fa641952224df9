"""Demo threads between the demo windows, departments and centers over the past
year: questions about a shared case, hand-overs, a county asking the city, some
with a PDF attached, and a few the demo clerks have not read yet. Idempotent:
a thread already there (by subject and starter) is left alone. Rows are
written directly, dated in the past, without audit entries of their own."""

import hashlib
import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hall.org.models import Department, Staff, Window

from . import selectors
from .constants import ParticipantKind
from .models import Message, MessageFile, Participant, ReadMark, Thread

CITY = "330800"
KC = "330802"

# (days ago, subject, starter, parties, [(author, hours after the start, text)],
#  attachment name or "", demo logins who have not read the last message)
THREADS = [
    (
        330,
        "食品经营许可现场核查排期",
        "scjg_clerk",
        [("dept", CITY, "ZRZY")],
        [
            (
                "scjg_clerk",
                0,
                "一件食品经营许可申请的经营场所涉及不动产登记信息，请帮忙核对房屋用途。",
            ),
            ("zrzy_clerk", 3, "已核对，房屋规划用途为商业，可以用于食品经营。"),
            ("scjg_clerk", 4, "收到，谢谢！"),
        ],
        "",
        set(),
    ),
    (
        300,
        "企业开办一件事：社保登记衔接",
        "scjg_clerk",
        [("win", CITY, "RSJ", 1)],
        [
            ("scjg_clerk", 0, "本周企业开办的营业执照已发放 36 件，请社保窗口按名单办理参保登记。"),
            ("clerk_330800_rsj", 5, "名单已收到，已全部完成参保登记。"),
        ],
        "企业开办名单.pdf",
        set(),
    ),
    (
        260,
        "柯城区营业执照变更咨询",
        "kc_scjg_clerk",
        [("dept", CITY, "SCJG")],
        [
            ("kc_scjg_clerk", 0, "有企业从市本级迁入柯城区，变更登记时原登记机关的档案如何调取？"),
            ("scjg_admin", 6, "请通过档案调转申请发函，市局三个工作日内移交。"),
            ("kc_scjg_clerk", 7, "明白，按此办理。"),
        ],
        "",
        set(),
    ),
    (
        220,
        "不动产登记与户籍信息共享",
        "zrzy_clerk",
        [("win", CITY, "GAJ", 1)],
        [
            ("zrzy_clerk", 0, "继承登记需要核验被继承人的户籍注销信息，能否通过共享接口查询？"),
            ("clerk_330800_gaj", 2, "可以，请在共享平台提交核验申请，当天可反馈结果。"),
        ],
        "",
        set(),
    ),
    (
        180,
        "国庆期间窗口值班安排",
        "city_admin",
        [("dept", CITY, "SCJG"), ("dept", CITY, "ZRZY"), ("dept", CITY, "GAJ")],
        [
            ("city_admin", 0, "国庆假期中心安排延时服务，请各部门报送值班人员名单。"),
            ("scjg_admin", 20, "市场监管局值班人员：王丽娟（10 月 1 日）、郑海峰（10 月 4 日）。"),
            ("zrzy_clerk", 26, "自然资源和规划局值班人员已报中心办公室。"),
        ],
        "值班安排表.pdf",
        set(),
    ),
    (
        150,
        "柯城区窗口业务培训材料",
        "kc_admin",
        [("staff", "city_admin")],
        [
            ("kc_admin", 0, "柯城区中心计划组织窗口业务培训，能否提供市中心的培训材料？"),
            ("city_admin", 8, "已附上市中心本年度的窗口服务规范培训材料，请参考。"),
        ],
        "窗口服务规范培训材料.pdf",
        set(),
    ),
    (
        120,
        "个体工商户登记材料清单",
        "kc_scjg_clerk",
        [("win", KC, "ZRZY", 1)],
        [
            ("kc_scjg_clerk", 0, "个体工商户经营场所使用自建房的，需要哪些产权证明？"),
            ("clerk_330802_zrzy", 4, "提供不动产权证书；没有证书的，由村委会出具房屋权属证明。"),
        ],
        "",
        set(),
    ),
    (
        90,
        "二手房交易税费联办",
        "zrzy_clerk",
        [("dept", CITY, "SCJG"), ("win", CITY, "GAJ", 1)],
        [
            ("zrzy_clerk", 0, "二手房交易联办窗口下月起增加户籍迁移，请公安窗口安排人员进驻。"),
            ("clerk_330800_gaj", 24, "已安排一名民警每周二、周四进驻联办窗口。"),
        ],
        "",
        set(),
    ),
    (
        60,
        "差评整改回访口径",
        "city_supervisor",
        [("dept", CITY, "SCJG"), ("dept", KC, "SCJG")],
        [
            (
                "city_supervisor",
                0,
                "近期差评整改回访中发现答复口径不一，请两级市场监管窗口统一使用中心的回访模板。",
            ),
            ("kc_scjg_admin", 6, "柯城区已按模板修改回访记录。"),
            ("scjg_admin", 8, "市本级已组织窗口学习回访模板。"),
        ],
        "差评回访模板.pdf",
        set(),
    ),
    (
        30,
        "食品经营许可证到期提醒",
        "scjg_clerk",
        [("win", KC, "SCJG", 1)],
        [
            (
                "scjg_clerk",
                0,
                "有一批柯城区企业的食品经营许可证下月到期，名单附后，请柯城区窗口提醒延续。",
            ),
            ("kc_scjg_clerk", 5, "已逐一电话提醒，其中 3 家已提交延续申请。"),
            ("scjg_clerk", 30, "好的，剩余企业请继续跟进，月底前反馈。"),
        ],
        "到期企业名单.pdf",
        {"kc_scjg_clerk"},
    ),
    (
        12,
        "测绘成果共享",
        "zrzy_clerk",
        [("staff", "scjg_clerk")],
        [
            (
                "zrzy_clerk",
                0,
                "工业项目的测绘成果已共享到平台，市场监管窗口办理登记时可以直接调用。",
            ),
        ],
        "",
        {"scjg_clerk"},
    ),
    (
        5,
        "延时服务登记表",
        "city_admin",
        [("win", CITY, "SCJG", 1), ("win", CITY, "ZRZY", 1)],
        [
            ("city_admin", 0, "本周起延时服务请在登记表上记录办件情况，每周五下班前报送中心。"),
            ("scjg_clerk", 3, "收到，市场监管窗口本周五报送。"),
            ("city_admin", 30, "附件是更新后的登记表，请使用新表。"),
        ],
        "延时服务登记表.pdf",
        {"scjg_clerk", "zrzy_clerk"},
    ),
    (
        2,
        "柯城区不动产抵押登记咨询",
        "kc_scjg_clerk",
        [("dept", CITY, "ZRZY")],
        [
            ("kc_scjg_clerk", 0, "企业动产和不动产一并抵押的，登记能否一窗受理？请市局给予指导。"),
        ],
        "",
        {"zrzy_clerk"},
    ),
]


def _pdf(title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    width, height = A4
    c.setFont(font, 16)
    c.drawCentredString(width / 2, height - 80, title[:30])
    c.setFont(font, 11)
    c.drawString(56, height - 130, "演示文件")
    c.showPage()
    c.save()
    return buf.getvalue()


def _party(spec):
    kind = spec[0]
    if kind == "dept":
        d = Department.objects.select_related("center").get(
            center__region_code=spec[1], code=spec[2]
        )
        return ParticipantKind.DEPARTMENT, d, d.center_id, selectors.department_label(d)
    if kind == "win":
        w = Window.objects.select_related("department").get(
            department__center__region_code=spec[1],
            department__code=spec[2],
            number=f"{Department.objects.get(center__region_code=spec[1], code=spec[2]).sort_order:02d}{spec[3]}",
        )
        return ParticipantKind.WINDOW, w, w.department.center_id, selectors.window_label(w)
    username = spec[-1]
    s = Staff.objects.select_related("user", "center", "department", "window").get(
        user__username=username
    )
    return ParticipantKind.STAFF, s, s.center_id, selectors.staff_label(s)


@transaction.atomic
def load() -> dict:
    staff = {
        s.user.username: s
        for s in Staff.objects.select_related("user", "center", "department", "window")
    }
    now = timezone.now()
    made = files = 0
    for days, subject, starter, parties, items, attachment, unread in THREADS:
        me = staff.get(starter)
        if me is None or Thread.objects.filter(subject=subject, started_by=me.user).exists():
            continue
        start = now - timedelta(days=days)
        thread = Thread.objects.create(
            subject=subject, center=me.center, started_by=me.user, started_at=start
        )
        rows = [
            Participant(
                thread=thread,
                kind=ParticipantKind.STAFF,
                staff=me,
                center_id=me.center_id,
                label=selectors.staff_label(me),
                key=f"staff:{me.pk}",
            )
        ]
        for spec in parties:
            kind, obj, center_id, label = _party(spec)
            rows.append(
                Participant(
                    thread=thread,
                    kind=kind,
                    center_id=center_id,
                    label=label,
                    key=f"{kind}:{obj.pk}",
                    **{str(kind): obj},
                )
            )
        Participant.objects.bulk_create(rows)
        last = None
        for author, hours, body in items:
            who = staff[author]
            at = min(start + timedelta(hours=hours), now)
            last = Message.objects.create(
                thread=thread,
                author=who.user,
                author_name=selectors.staff_label(who),
                body=body,
                sent_at=at,
            )
        if attachment:
            record = MessageFile(
                message=last, original_name=attachment, kind="pdf", size=0, sha256=""
            )
            data = _pdf(attachment.rsplit(".", 1)[0])
            record.size = len(data)
            record.sha256 = hashlib.sha256(data).hexdigest()
            record.file.save("m.pdf", ContentFile(data), save=False)
            record.save()
            files += 1
        Thread.objects.filter(pk=thread.pk).update(
            last_message_id=last.pk, last_message_at=last.sent_at, message_count=len(items)
        )
        # Every demo login among the parties has read it all, but those listed as not yet.
        readers = {
            s.user_id
            for s in staff.values()
            if (s.is_demo or s.user.username in {a for a, _h, _b in items})
            and selectors.threads_of(s.user).filter(pk=thread.pk).exists()
        }
        messages = list(thread.messages.order_by("id"))
        for user_id in readers:
            username = next(u for u, s in staff.items() if s.user_id == user_id)
            if username in unread:
                own = [m.pk for m in messages if m.author_id == user_id]
                upto = max(own) if own else 0
            else:
                upto = last.pk
            if upto:
                ReadMark.objects.create(
                    thread=thread, user_id=user_id, last_read_id=upto, read_at=last.sent_at
                )
        made += 1
    return {"threads": Thread.objects.count(), "new": made, "files": files}
