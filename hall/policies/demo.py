"""Demo policy documents: 150-odd across the city's departments and the county
centers', with paraphrased titles (not official texts), document numbers,
interpretations of what they explain, revised and repealed documents with
their replacements, related items and regulations, and two PDF attachments
made at load time. Idempotent: a document is known by its department and title.

`bulk(n)` adds n synthetic published documents at once, for the benchmarks.
"""

import hashlib
import io
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hall.catalogue.models import Regulation, ServiceItem
from hall.core.services import log_action
from hall.org.models import Center, Department

from .constants import PolicyKind, PolicyStatus
from .models import PolicyAttachment, PolicyDocument
from .search import INDEX

# Department code → (文号 code, [(topic, regulation keyword)]).
TOPICS = {
    "SCJG": (
        "市监",
        [
            ("食品经营许可", "食品安全法"),
            ("个体工商户登记", "个体工商户"),
            ("企业开办", "市场主体登记"),
        ],
    ),
    "ZRZY": ("自然资规", [("不动产登记", "不动产登记"), ("建设用地规划许可", "城乡规划法")]),
    "ZJJ": ("建", [("建筑工程施工许可", "建筑法"), ("商品房预售资金监管", "城市房地产")]),
    "RSJ": ("人社", [("就业创业补贴", "就业促进法"), ("职业技能提升补贴", "劳动法")]),
    "GAJ": ("公", [("户籍迁移", "户口登记"), ("居住证办理", "居民身份证")]),
    "WJW": ("卫健", [("医疗机构执业登记", "医疗机构"), ("母婴保健技术服务", "母婴保健法")]),
    "FGW": ("发改", [("企业投资项目核准和备案", "企业投资项目")]),
    "JXJ": ("经信", [("中小企业数字化改造", "中小企业")]),
    "JYJ": ("教", [("民办学校设立审批", "民办教育促进法")]),
    "KJJ": ("科", [("科技型中小企业认定", "科学技术进步法")]),
    "MZJ": ("民", [("社会组织登记", "社会团体"), ("最低生活保障", "社会救助")]),
    "SFJ": ("司", [("公共法律服务", "法律援助法")]),
    "CZJ": ("财", [("政府采购", "政府采购法")]),
    "STHJ": ("环", [("建设项目环境影响评价审批", "环境影响评价法")]),
    "JTYS": ("交", [("道路运输经营许可", "道路运输")]),
    "SLJ": ("水", [("取水许可", "水法")]),
    "NYNC": ("农", [("农药经营许可", "农药")]),
    "SWJ": ("商", [("外商投资企业服务", "外商投资")]),
    "WGLJ": ("文旅", [("娱乐场所经营许可", "娱乐场所")]),
    "TYJR": ("退役", [("退役军人优待", "退役军人保障法")]),
    "YJGL": ("应急", [("危险化学品经营许可", "危险化学品")]),
    "YBJ": ("医保", [("异地就医备案", "社会保险法")]),
    "LYJ": ("林", [("林木采伐许可", "森林法")]),
    "ZHZF": ("综执", [("城市道路占用挖掘", "城市道路")]),
    "RFB": ("人防", [("人防工程建设", "人民防空法")]),
    "QXJ": ("气", [("防雷装置设计审核", "气象法")]),
    "SWU": ("税", [("纳税缴费便利化", "税收征收管理法")]),
}
CITY_ISSUER = "衢州市"
COUNTY_ABBR = {
    "330802": "柯",
    "330803": "衢江",
    "330825": "龙",
    "330881": "江",
    "330822": "常",
    "330824": "开",
}

NORMATIVE_TITLES = [
    "关于印发《{place}{topic}管理办法》的通知",
    "{place}{topic}实施细则",
    "关于进一步规范{topic}工作的若干意见",
]
NOTICE_TITLES = [
    "关于做好{year}年度{topic}工作的通知",
    "关于开展{topic}专项检查的通知",
    "关于调整{topic}办理流程的通知",
]
INNOVATION_TITLES = [
    "关于推行{topic}“一件事”集成改革的实施方案",
    "关于深化{topic}“最多跑一次”改革的实施意见",
    "关于试行{topic}告知承诺制的通知",
]

BODY = (
    "第一条 为进一步规范{topic}工作，优化营商环境，方便群众和企业办事，"
    "结合本地实际，制定本{genre}。\n"
    "第二条 本{genre}适用于{place}行政区域内{topic}的申请、受理、审查和决定等活动。\n"
    "第三条 {issuer}负责{topic}的组织实施和监督管理工作，各相关部门按照职责分工做好协同配合。\n"
    "第四条 申请人可以通过网上办事大厅在线提交申请材料，也可以到行政服务中心对应窗口现场办理。"
    "能够通过部门间共享获取的材料，不再要求申请人提交。\n"
    "第五条 承办窗口应当在承诺时限内办结；材料不齐全的，一次性告知需要补正的全部内容。\n"
    "第六条 本{genre}自{effective}起施行，由{issuer}负责解释。"
)
INTERPRETATION_BODY = (
    "一、制定背景\n为落实“放管服”改革要求，回应群众和企业关切，{issuer}制定了《{title}》。\n"
    "二、主要内容\n文件明确了{topic}的适用范围、办理流程、材料要求和办理时限，"
    "推行网上办理和材料共享，减少群众跑腿次数。\n"
    "三、适用对象\n在{place}办理{topic}的个人、企业和其他组织。\n"
    "四、咨询方式\n可拨打行政服务中心咨询电话或在网上答疑栏目留言。"
)

DRAFTS = 3  # the last few city documents stay unpublished: what staff see before publishing


def _day(year: int, month: int, day: int) -> date:
    """A date of the demo, never in the future: a later one moves back a year."""
    found = date(year, month, day)
    today = timezone.localdate()
    while found > today:
        found = found.replace(year=found.year - 1)
    return found


def _stable(text: str, modulo: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def _pdf_bytes(title: str, issuer: str) -> bytes:
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
    c.drawCentredString(width / 2, height - 104, issuer)
    c.drawString(56, height - 150, "附件：办理流程图及申请材料清单（演示文件）")
    c.showPage()
    c.save()
    return buf.getvalue()


class _Maker:
    """Builds the demo documents of one run, keyed by (department, title)."""

    def __init__(self):
        self.existing = {
            (d, t): pk
            for pk, d, t in PolicyDocument.objects.values_list("pk", "department_id", "title")
        }
        self.created = 0

    def make(self, department, *, title, number, kind, issued, body, status, **links):
        key = (department.pk, title)
        if key in self.existing:
            return PolicyDocument.objects.get(pk=self.existing[key])
        document = PolicyDocument(
            center=department.center,
            department=department,
            title=title,
            doc_number=number,
            issuer=links.pop("issuer"),
            kind=kind,
            issued_on=issued,
            effective_on=issued + timedelta(days=30 if kind == PolicyKind.NORMATIVE else 0),
            status=status,
            body=body,
            is_published=links.pop("published", True),
            replaced_by=links.pop("replaced_by", None),
            explains=links.pop("explains", None),
        )
        if document.is_published:
            document.published_at = timezone.make_aware(datetime.combine(issued, time(9)))
        document.full_clean()
        document.save()
        items, regulations = links.pop("items", []), links.pop("regulations", [])
        if items:
            document.related_items.set(items)
        if regulations:
            document.related_regulations.set(regulations)
        log_action(None, "policies.policy_load", document, {"source": "hall.policies.demo"})
        self.existing[key] = document.pk
        self.created += 1
        return document


def _issuer(department: Department) -> str:
    return department.name


def _dept_items(department, topic):
    qs = ServiceItem.objects.filter(department=department, is_published=True)
    word = topic[:2]
    return list(qs.filter(name__contains=word).order_by("code")[:2])


def _regulations(keyword):
    return list(Regulation.objects.filter(title__contains=keyword)[:2])


def _load_department(maker, department, place, abbr, topics, base_year, counter):
    """A department's documents: per topic a normative document (with an older
    revised version for some, and an interpretation), a work notice and, for the
    first topic, an innovation."""
    issuer = _issuer(department)
    made = []
    for t, (topic, reg_word) in enumerate(topics):
        seed = f"{department.center.region_code}{department.code}{topic}"
        year = base_year - _stable(seed, 6)
        issued = _day(year, 1 + _stable(seed + "m", 12), 1 + _stable(seed + "d", 27))
        year = issued.year
        counter[0] += 1
        items, regulations = _dept_items(department, topic), _regulations(reg_word)
        fmt = {"place": place, "topic": topic, "year": year, "issuer": issuer}
        title = NORMATIVE_TITLES[_stable(seed, 3)].format(**fmt)
        genre = "办法" if "办法" in title else "细则" if "细则" in title else "意见"
        body = BODY.format(
            **fmt, genre=genre, effective=f"{issued.year}年{issued.month}月{issued.day}日"
        )
        current = maker.make(
            department,
            title=title,
            number=f"{abbr}规〔{year}〕{1 + _stable(seed + 'n', 30)}号",
            kind=PolicyKind.NORMATIVE,
            issued=issued,
            body=body,
            status=PolicyStatus.IN_FORCE,
            issuer=issuer,
            items=items,
            regulations=regulations,
        )
        made.append(current)
        # Some documents replaced an older one: revised (or, now and then, repealed).
        if _stable(seed + "old", 3) == 0 and year > 2014:
            old_day = _day(year - 3 - _stable(seed + "oy", 3), issued.month, issued.day)
            old_year = old_day.year
            old_status = (
                PolicyStatus.REPEALED if _stable(seed + "rep", 3) == 0 else PolicyStatus.REVISED
            )
            maker.make(
                department,
                title=f"{title}（{old_year}年版）",
                number=f"{abbr}规〔{old_year}〕{1 + _stable(seed + 'on', 30)}号",
                kind=PolicyKind.NORMATIVE,
                issued=old_day,
                body=body,
                status=old_status,
                issuer=issuer,
                replaced_by=current,
                items=items,
            )
        # Interpretations of about a third of them.
        if _stable(seed + "int", 3) == 0:
            maker.make(
                department,
                title=f"《{place}{topic}》相关政策解读",
                number="",
                kind=PolicyKind.INTERPRETATION,
                issued=min(issued + timedelta(days=3), timezone.localdate()),
                body=INTERPRETATION_BODY.format(**fmt, title=title),
                status=PolicyStatus.IN_FORCE,
                issuer=issuer,
                explains=current,
                items=items,
            )
        notice_day = _day(
            min(base_year, year + 1 + _stable(seed + "ny", 3)),
            1 + _stable(seed + "nm", 12),
            1 + _stable(seed + "nd", 27),
        )
        notice_year = notice_day.year
        fmt_notice = {**fmt, "year": notice_year}
        maker.make(
            department,
            title=NOTICE_TITLES[_stable(seed + "nt", 3)].format(**fmt_notice),
            number=f"{abbr}发〔{notice_year}〕{1 + _stable(seed + 'nn', 60)}号",
            kind=PolicyKind.NOTICE,
            issued=notice_day,
            body=BODY.format(**fmt_notice, genre="通知", effective="印发之日"),
            status=PolicyStatus.IN_FORCE,
            issuer=issuer,
            items=items,
        )
        if t == 0 and place == CITY_ISSUER:
            inno_day = _day(
                base_year - _stable(seed + "iy", 3),
                1 + _stable(seed + "im", 12),
                1 + _stable(seed + "id", 27),
            )
            inno_year = inno_day.year
            maker.make(
                department,
                title=INNOVATION_TITLES[_stable(seed + "it", 3)].format(**fmt),
                number=f"{abbr}办〔{inno_year}〕{1 + _stable(seed + 'in', 40)}号",
                kind=PolicyKind.INNOVATION,
                issued=inno_day,
                body=BODY.format(**fmt, genre="方案", effective="印发之日"),
                status=PolicyStatus.IN_FORCE,
                issuer=issuer,
                items=items,
            )
    return made


@transaction.atomic
def load(out=None) -> dict:
    maker = _Maker()
    city = Center.objects.get(parent__isnull=True)
    base_year = min(timezone.localdate().year, 2026)
    counter = [0]
    firsts = []
    for code, (abbr, topics) in TOPICS.items():
        department = Department.objects.filter(center=city, code=code).first()
        if department is None:
            continue
        made = _load_department(
            maker, department, CITY_ISSUER, f"衢{abbr}", topics, base_year, counter
        )
        firsts.extend(made[:1])
    for county in city.children.order_by("sort_order"):
        short = COUNTY_ABBR.get(county.region_code, county.short_name[:1])
        for department in county.departments.filter(code__in=TOPICS):
            abbr, topics = TOPICS[department.code]
            _load_department(
                maker,
                department,
                county.short_name,
                f"{short}{abbr}",
                topics[:1],
                base_year,
                counter,
            )
    # Drafts: a few city documents of a department with a demo login, not yet published.
    scjg = Department.objects.get(center=city, code="SCJG")
    for i, topic in enumerate(
        ["网络餐饮服务监管", "小微企业质量提升", "知识产权质押融资"][:DRAFTS]
    ):
        maker.make(
            scjg,
            title=f"关于加强{topic}工作的通知（征求意见稿）",
            number="",
            kind=PolicyKind.NOTICE,
            issued=_day(base_year, 11, 10 + i),
            body=BODY.format(
                place=CITY_ISSUER, topic=topic, issuer=scjg.name, genre="通知", effective="印发之日"
            ),
            status=PolicyStatus.IN_FORCE,
            issuer=scjg.name,
            published=False,
        )
    attachments = _attach(firsts[:2])
    if maker.created:
        transaction.on_commit(INDEX.changed)
    return {
        "policies": PolicyDocument.objects.count(),
        "published": PolicyDocument.objects.published().count(),
        "interpretations": PolicyDocument.objects.filter(kind=PolicyKind.INTERPRETATION).count(),
        "replaced": PolicyDocument.objects.exclude(status=PolicyStatus.IN_FORCE).count(),
        "attachments": attachments,
        "created": maker.created,
    }


def _attach(documents) -> int:
    for document in documents:
        if document.attachments.exists():
            continue
        data = _pdf_bytes(document.title, document.issuer)
        attachment = PolicyAttachment(
            document=document,
            name=f"{document.title[:40]}（附件）.pdf",
            kind="pdf",
            size=len(data),
        )
        attachment.file.save("a.pdf", ContentFile(data), save=False)
        attachment.save()
    return PolicyAttachment.objects.count()


@transaction.atomic
def bulk(n: int) -> int:
    """Add `n` synthetic published documents (bulk_create), for the speed benchmark."""
    city = Center.objects.get(parent__isnull=True)
    departments = list(Department.objects.filter(center__in=[city, *city.children.all()]))
    start = PolicyDocument.objects.count()
    kinds = [PolicyKind.NORMATIVE, PolicyKind.NOTICE, PolicyKind.INNOVATION, PolicyKind.OTHER]
    now = timezone.now()
    rows = []
    for i in range(n):
        department = departments[i % len(departments)]
        abbr = TOPICS.get(department.code, ("办", []))[0]
        topic_list = TOPICS.get(department.code, ("", [("政务服务", "")]))[1]
        topic = topic_list[i % len(topic_list)][0]
        year = 2010 + i % 17
        issued = date(year, 1 + i % 12, 1 + i % 28)
        rows.append(
            PolicyDocument(
                center_id=department.center_id,
                department=department,
                title=f"关于{topic}工作的第{start + i + 1}号批量文件",
                doc_number=f"衢{abbr}发〔{year}〕{1 + (start + i) % 9999}号",
                issuer=department.name,
                kind=kinds[i % len(kinds)],
                issued_on=issued,
                effective_on=issued,
                status=PolicyStatus.IN_FORCE,
                body=f"{topic}相关事项的批量演示文件。",
                is_published=True,
                published_at=now,
            )
        )
    PolicyDocument.objects.bulk_create(rows, batch_size=500)
    transaction.on_commit(INDEX.changed)
    return n
