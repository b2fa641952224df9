"""Demo complaints: 48 across the city and its counties, in every state — some
late and escalated to the center above, some answered and published
anonymised. Texts are paraphrased, not real complaints. Idempotent and fast:
rows are written in bulk (no SMS, no audit trail of their own)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hall.cases import querynumbers
from hall.org.constants import CITY_REGION_CODE
from hall.org.models import Department, Staff, User

from . import masking
from .constants import Category, NotAcceptedReason, TargetKind
from .constants import ComplaintStatus as S
from .models import Complaint
from .services import text_hash

# (category, description, findings, answer): paraphrased.
TEXTS = [
    (
        Category.ATTITUDE,
        "上午十点在窗口咨询营业执照变更，工作人员一直低头看手机，问了两遍才回答，语气很不耐烦。",
        "调取窗口监控核实，该工作人员接待时确有使用手机的情况，已批评教育。",
        "经调查，您反映的情况属实。中心已对窗口工作人员进行批评教育，并在全体窗口重申服务规范。感谢您的监督。",
    ),
    (
        Category.EFFICIENCY,
        "申请食品经营许可已经过了承诺时限三天，打电话问只说在审核，没有任何说明。",
        "该件因现场核查排期延误，未及时告知申请人，已督促部门当日办结。",
        "经核实，您的申请因现场核查安排延误，已于今日办结并短信通知。部门已改进超期提醒。",
    ),
    (
        Category.QUALITY,
        "办事指南上写的材料和窗口要求的不一样，窗口让我多交一份房屋租赁合同原件，跑了两趟。",
        "办事指南材料清单未及时更新，已由部门修订指南并报中心备案。",
        "经调查，办事指南确有未及时更新的情况，现已修订。给您带来不便，深表歉意。",
    ),
    (
        Category.ATTITUDE,
        "叫号后窗口人员离岗二十分钟没有回来，也没有人解释，后面排队的人都很着急。",
        "经核实，该工作人员临时离岗未放置暂停服务牌，已按考勤制度处理。",
        "您反映的情况属实，中心已按窗口考勤管理规定处理，并要求离岗时放置提示牌、安排补位。",
    ),
    (
        Category.INTEGRITY,
        "窗口人员暗示可以介绍中介代办，说自己办要等很久，找中介三天就能拿证。",
        "经调查谈话和调取记录，未发现工作人员与中介存在利益关系，但存在不当言论。",
        "经调查，未发现利益输送问题；对不当言论已进行诫勉谈话。所有事项均可自行办理，无需中介。",
    ),
    (
        Category.EFFICIENCY,
        "不动产登记预约要等两个星期，现场也不给取号，希望增加窗口。",
        "近期业务量激增，已协调增开两个临时窗口并开放周六延时服务。",
        "中心已增开两个临时窗口，并在周六上午提供预约服务，请您重新预约。",
    ),
    (
        Category.QUALITY,
        "网上申报后系统显示补正，但补正通知写得不清楚，不知道到底缺什么材料。",
        "补正通知未逐项列明缺少的材料，已要求部门按一次性告知要求重新出具。",
        "已重新向您发送补正通知，逐项列明需补充的材料。部门已按一次性告知制度整改。",
    ),
    (
        Category.OTHER,
        "大厅的自助打印机坏了一周了，问了导服说不知道什么时候修好。",
        "设备故障报修流程不畅，已更换设备并明确导服台报修责任人。",
        "自助打印机已更换，中心明确了设备报修和巡检责任，感谢您的反映。",
    ),
    (
        Category.ATTITUDE,
        "电话咨询社保转移，接电话的人说不归他们管就挂了，后来才知道就是这个窗口办。",
        "经核实接听人员对业务范围不熟悉，已组织首问负责制培训。",
        "经调查，接听人员未落实首问负责制，已组织培训。社保转移可在人社窗口或网上办理。",
    ),
    (
        Category.EFFICIENCY,
        "公司注销材料交了三次，每次都说格式不对，能不能一次说清楚。",
        "窗口未执行一次性告知，已对相关人员通报批评。",
        "您反映的问题属实，已对窗口通报批评，您的注销申请已于本周受理。",
    ),
    (
        Category.QUALITY,
        "领取的许可证上公司名称有错别字，要求更正又让我重新排队。",
        "证照印制核对环节缺失，已为申请人当场更正并增加复核环节。",
        "证照错误已免费更正并邮寄。部门已在发证前增加复核环节。",
    ),
    (
        Category.OTHER,
        "手机号 13957012345 的工作人员给我打电话推销保险，不知道是不是大厅泄露了信息。",
        "经排查未发现系统数据外泄，来电号码与大厅工作人员无关，已提醒群众注意防范。",
        "经排查，大厅未泄露您的信息，来电与大厅工作人员无关。请注意防范诈骗。",
    ),
]

# (status, days ago filed, escalated, published)
PLAN = (
    [(S.SUBMITTED, d, False, False) for d in (0, 1, 2, 9, 12)]
    + [(S.ACCEPTED, d, False, False) for d in (1, 3, 10, 14)]
    + [(S.INVESTIGATING, d, d > 8, False) for d in (2, 4, 11, 15, 20, 25)]
    + [(S.NOT_ACCEPTED, d, False, False) for d in (5, 8, 16, 30)]
    + [(S.ANSWERED, d, False, d % 2 == 0) for d in (6, 7, 9, 12, 18, 22)]
    + [(S.CLOSED, d, d > 40, d % 3 != 0) for d in range(24, 24 + 23)]
)

NAMES = ["陈先生", "李女士", "王建明", "赵小燕", "刘女士", "周先生", "孙丽", "钱先生"]


@transaction.atomic
def load() -> dict:
    if Complaint.objects.exists():
        return {}
    now = timezone.now()
    departments = list(
        Department.objects.filter(center__region_code__in=[CITY_REGION_CODE, "330802", "330803"])
        .select_related("center")
        .order_by("center__sort_order", "sort_order")
    )
    clerks = list(
        Staff.objects.filter(window__isnull=False, department__isnull=False)
        .select_related("department__center", "window", "user")
        .order_by("pk")[:40]
    )
    supervisor = User.objects.filter(username="kc_supervisor").first()
    rows = []
    for i, (status, days_ago, escalated, published) in enumerate(PLAN):
        category, description, findings, answer = TEXTS[i % len(TEXTS)]
        kind = [TargetKind.STAFF, TargetKind.DEPARTMENT, TargetKind.WINDOW][i % 3]
        if kind in (TargetKind.STAFF, TargetKind.WINDOW) and clerks:
            staff = clerks[i % len(clerks)]
            department = staff.department
        else:
            staff = None
            department = departments[i % len(departments)]
        filed = now - timedelta(days=days_ago, hours=i % 7)
        anonymous = i % 9 == 4
        name = "" if anonymous else NAMES[i % len(NAMES)]
        phone = "" if anonymous else f"139570{10000 + i * 37:05d}"
        text = description
        row = Complaint(
            center=department.center,
            target_kind=kind,
            department=department,
            staff=staff if kind == TargetKind.STAFF else None,
            window=staff.window if kind == TargetKind.WINDOW and staff else None,
            number=querynumbers.generate(),
            category=category,
            description=text,
            anonymous=anonymous,
            name=name,
            phone=phone,
            text_hash=text_hash(text),
            status=status,
            filed_at=filed,
            clock_from=timezone.localdate(filed),
        )
        if status != S.SUBMITTED:
            row.accepted_at = filed + timedelta(hours=20)
        if status == S.NOT_ACCEPTED:
            row.accepted_at = None
            row.not_accepted_reason = [
                NotAcceptedReason.NOT_A_COMPLAINT,
                NotAcceptedReason.DUPLICATE,
            ][i % 2]
            row.not_accepted_note = "属于政策咨询，已转网上答疑。" if i % 2 == 0 else ""
            row.closed_at = filed + timedelta(days=1)
        if status in (S.ANSWERED, S.CLOSED):
            row.findings = findings
            row.answer = answer
            row.answered_at = filed + timedelta(days=3)
            row.answered_by = supervisor
            row.shared_at = row.answered_at if i % 2 else None
        if status == S.CLOSED:
            row.closed_at = filed + timedelta(days=5)
        if escalated:
            row.escalated_at = filed + timedelta(days=8)
            row.escalated_to = department.center.parent or department.center
        if published:
            names = [name] if name else []
            if staff is not None and staff.user.full_name:
                names.append(staff.user.full_name)
            row.published_text = masking.mask(text, names=names)
            row.published_answer = masking.mask(answer, names=names)
            row.published_at = (row.closed_at or row.answered_at) + timedelta(hours=2)
        rows.append(row)
    Complaint.objects.bulk_create(rows)
    return {
        "complaints": len(rows),
        "published": sum(1 for r in rows if r.published_at),
        "escalated": sum(1 for r in rows if r.escalated_at),
    }
