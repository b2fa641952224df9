"""Demo Q&As: published ones across the city's departments (non-window matters
among them, answered by the center with a referral), and open, due-soon and
overdue ones in the queues. Idempotent; `bulk(n)` for the speed benchmark."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hall.cases import querynumbers
from hall.org.constants import CITY_REGION_CODE
from hall.org.models import Center, Department
from hall.workdays.services import current_calendar

from . import matters
from .constants import QuestionStatus as S
from .models import Question
from .search import INDEX
from .services import text_hash

# (department code, subject, question, answer): paraphrased, not official texts.
ANSWERED = [
    (
        "SCJG",
        "个体工商户营业执照怎么办",
        "我想在小区门口开一家水果店，办个体户营业执照需要带什么材料？可以网上办吗？",
        "个体工商户登记可通过浙江政务服务网全程网办，需要经营者身份证、经营场所使用证明。材料齐全当场办结，营业执照可邮寄。",
    ),
    (
        "SCJG",
        "食品经营许可证延续",
        "食品经营许可证还有一个月到期，延续要提前多久申请？",
        "应在有效期届满 30 个工作日前提出延续申请。经营条件未变化的，可承诺后当场延续。",
    ),
    (
        "SCJG",
        "公司名称自主申报",
        "公司名称可以自己网上申报吗？有没有字数要求？",
        "企业名称实行自主申报，可在企业登记系统中查询比对后直接申报，字号一般为两个以上汉字。",
    ),
    (
        "SCJG",
        "公司变更法定代表人",
        "公司要换法定代表人，需要股东会决议原件吗？",
        "需要提交股东会决议、新任法定代表人身份证明及任职文件，可网上提交电子材料。",
    ),
    (
        "SCJG",
        "小餐饮备案",
        "夫妻两人开小吃店，面积二十平方，要办食品经营许可证吗？",
        "符合小餐饮条件的实行登记备案管理，请到所在地市场监管所或中心市场监管窗口办理。",
    ),
    (
        "ZRZY",
        "不动产权证书遗失补办",
        "房产证丢了，补办需要登报吗？要多长时间？",
        "不动产权证书遗失的，由登记机构在门户网站公告，不再要求登报。公告期满 15 个工作日后补发。",
    ),
    (
        "ZRZY",
        "二手房过户办理流程",
        "买二手房，过户要买卖双方都到场吗？",
        "买卖双方均需到场或委托代理人办理，可在中心不动产登记窗口一窗受理，税费同步缴纳。",
    ),
    (
        "ZRZY",
        "建设用地规划许可",
        "企业新建厂房，建设用地规划许可证需要哪些材料？",
        "需提交申请表、用地红线图、建设项目批准或备案文件等，详见办事指南。",
    ),
    (
        "ZRZY",
        "抵押登记注销",
        "房贷还清了，抵押怎么注销？",
        "可由抵押权人（银行）与抵押人共同申请，许多银行已实现线上注销，无需到场。",
    ),
    (
        "ZJJ",
        "建筑工程施工许可",
        "施工许可证办理时限是多久？",
        "材料齐全、符合法定条件的，自受理之日起 3 个工作日内办结。",
    ),
    (
        "ZJJ",
        "商品房预售许可",
        "开发项目什么时候可以申请预售许可？",
        "投入开发建设的资金达到工程建设总投资的 25% 以上并确定施工进度和竣工交付日期的，可申请预售许可。",
    ),
    (
        "ZJJ",
        "建筑业企业资质延续",
        "三级资质到期了怎么延续？",
        "请在有效期届满 3 个月前通过建设行业管理系统提出延续申请。",
    ),
    (
        "RSJ",
        "人力资源服务许可",
        "想开一家职业介绍公司，要办什么许可？",
        "从事职业中介活动应取得人力资源服务许可证，需有与开展业务相适应的场所和专职工作人员。",
    ),
    (
        "RSJ",
        "劳务派遣经营许可",
        "劳务派遣许可注册资本要求多少？",
        "注册资本不得少于人民币 200 万元，并有固定经营场所和设施。",
    ),
    (
        "GAJ",
        "户外广告与大型活动安全许可",
        "单位举办千人规模的展销会，需要公安审批吗？",
        "预计参加人数在 1000 人以上的大型群众性活动，应向公安机关申请安全许可，活动日 20 日前提出。",
    ),
    (
        "GAJ",
        "旅馆业特种行业许可",
        "开民宿需要办特种行业许可证吗？",
        "从事旅馆业经营的须取得特种行业许可证，民宿按当地规定执行，请携带消防、卫生等材料到窗口咨询。",
    ),
    (
        "WJW",
        "公共场所卫生许可",
        "开理发店需要卫生许可证吗？",
        "美容美发场所已实行告知承诺，请在开业前办理公共场所卫生许可告知承诺。",
    ),
    (
        "WJW",
        "医疗机构执业登记",
        "个人开诊所需要什么条件？",
        "诊所实行备案管理，需有符合条件的执业医师和场所，详见办事指南。",
    ),
    (
        "STHJ",
        "环境影响评价审批",
        "小型家具厂需要做环评报告书还是登记表？",
        "按照建设项目环境影响评价分类管理名录确定，一般家具制造需编制报告表，可委托有资质的机构编制。",
    ),
    (
        "STHJ",
        "排污许可登记",
        "企业排污许可证和登记管理怎么区分？",
        "按排污许可分类管理名录，实行重点管理、简化管理或登记管理，登记管理在全国排污许可证管理信息平台填报即可。",
    ),
    (
        "JTYS",
        "道路货物运输经营许可",
        "买了一辆货车跑运输，要办道路运输证吗？",
        "总质量 4.5 吨以下普通货运车辆无需办理道路运输证，超过的需办理经营许可和车辆营运证。",
    ),
    (
        "JTYS",
        "出租汽车驾驶员从业资格",
        "开网约车需要考从业资格证吗？",
        "需要取得网络预约出租汽车驾驶员证，可在交通运输部门报名参加考试。",
    ),
    (
        "SLJ",
        "取水许可",
        "企业打井取用地下水需要审批吗？",
        "取用地下水应申请取水许可，请提交取水许可申请书和水资源论证材料。",
    ),
    (
        "NYNC",
        "兽药经营许可",
        "开兽药店需要什么条件？",
        "应有与经营范围相适应的场所、设施和专业技术人员，详见兽药经营许可证核发办事指南。",
    ),
    (
        "WGLJ",
        "营业性演出许可",
        "酒吧请乐队演出要审批吗？",
        "在非演出场所举办营业性演出须报文化和旅游部门审批，请提前 3 个工作日提出申请。",
    ),
    (
        "WGLJ",
        "网吧设立",
        "现在还能新开网吧吗？",
        "上网服务营业场所按总量和布局要求审批，请向文化和旅游部门窗口咨询。",
    ),
    (
        "YJGL",
        "危险化学品经营许可",
        "加油站的危化品经营许可证由谁发？",
        "加油站危险化学品经营许可由应急管理部门核发，请在到期前 3 个月申请延续。",
    ),
    (
        "MZJ",
        "社会组织成立登记",
        "成立一个行业协会需要哪些步骤？",
        "需经业务主管单位审查同意后，向民政部门申请筹备和成立登记。",
    ),
    (
        "SWU",
        "新办纳税人套餐",
        "新办公司领营业执照后税务要怎么办？",
        "可通过电子税务局办理新办纳税人套餐，一次完成信息确认、发票申领等事项。",
    ),
    (
        "FGW",
        "企业投资项目备案",
        "企业投资项目备案要多长时间？",
        "备案实行网上告知性备案，信息齐全的当场备案。",
    ),
    (
        "JYJ",
        "民办培训机构审批",
        "开办文化艺术类培训机构怎么审批？",
        "非学科类培训机构按当地规定向主管部门申请，请携带场地、师资等材料到窗口咨询。",
    ),
    (
        "RFB",
        "人防工程易地建设审批",
        "项目不具备建人防条件，怎么办易地建设？",
        "符合条件的可申请易地建设并缴纳易地建设费，详见办事指南。",
    ),
]
OPEN = [
    ("SCJG", "个体户注销要多久", "个体户不做了，注销需要先去税务吗？"),
    ("ZRZY", "房屋继承登记", "父亲去世后房子继承，需要公证吗？我的电话 13857012345。"),
    ("ZJJ", "老旧小区加装电梯", "加装电梯要全体业主同意吗？"),
    (None, "孩子上户口", "孩子在外地出生，回来上户口在哪里办？"),
    (None, "开办超市要办哪些证", "准备开一家小超市，卖烟和食品，要办哪些证？"),
]


def _published_at(i: int):
    return timezone.now() - timedelta(days=2 + i * 3, hours=i % 7)


@transaction.atomic
def load() -> dict:
    city = Center.objects.filter(region_code=CITY_REGION_CODE).first()
    if city is None:
        return {}
    departments = {d.code: d for d in Department.objects.filter(center=city)}
    existing = set(Question.objects.values_list("text_hash", flat=True))
    calendar = current_calendar()
    today = timezone.localdate()
    rows = []

    def add(**fields):
        h = text_hash(fields["subject"], fields["question"])
        if h in existing:
            return
        existing.add(h)
        rows.append(Question(number=querynumbers.generate(), center=city, text_hash=h, **fields))

    for i, (code, subject, question, answer) in enumerate(ANSWERED):
        at = _published_at(i)
        add(
            department=departments.get(code),
            subject=subject,
            question=question,
            phone="13800000000",
            may_publish=True,
            status=S.PUBLISHED,
            asked_at=at - timedelta(days=3),
            due_on=(at - timedelta(days=3)).date() + timedelta(days=7),
            answer=answer,
            answered_at=at - timedelta(hours=5),
            published_subject=subject,
            published_question=question,
            published_at=at,
        )
    for j, m in enumerate(matters.matters()):
        at = _published_at(j + 1) - timedelta(hours=3)
        subject = f"{m['matter']}在哪里办"
        question = f"请问{m['matter']}是在行政服务中心办理吗？需要准备什么？"
        add(
            department=None,
            subject=subject,
            question=question,
            phone="13800000001",
            may_publish=True,
            status=S.PUBLISHED,
            asked_at=at - timedelta(days=2),
            due_on=(at - timedelta(days=2)).date() + timedelta(days=7),
            answer=m["referral"],
            answered_at=at - timedelta(hours=2),
            referral=m["matter"],
            published_subject=subject,
            published_question=question,
            published_at=at,
        )
    # Open ones: one overdue, one due soon, the rest running, two unrouted.
    for k, (code, subject, question) in enumerate(OPEN):
        asked = today - timedelta(days=(10, 6, 1, 2, 0)[k])
        due = calendar.add_working_days(asked, 5)
        add(
            department=departments.get(code) if code else None,
            subject=subject,
            question=question,
            name="李明" if k == 1 else "",
            phone="13857012345",
            may_publish=True,
            status=S.OPEN if code else S.ROUTING,
            asked_at=timezone.now() - timedelta(days=(10, 6, 1, 2, 0)[k]),
            due_on=due,
        )
    Question.objects.bulk_create(rows)
    transaction.on_commit(INDEX.changed)
    return {
        "new": len(rows),
        "published": Question.objects.published().count(),
    }


def bulk(n: int, *, batch: int = 2000) -> int:
    """n published Q&As spread over the city's departments, quickly (benchmarks)."""
    city = Center.objects.filter(region_code=CITY_REGION_CODE).first()
    departments = list(Department.objects.filter(center=city))
    now = timezone.now()
    made = 0
    while made < n:
        rows = []
        for i in range(made, min(n, made + batch)):
            d = departments[i % len(departments)]
            code, subject, question, answer = ANSWERED[i % len(ANSWERED)]
            subject = f"{subject}（{i}）"
            rows.append(
                Question(
                    number=querynumbers.generate(),
                    center=city,
                    department=d,
                    subject=subject,
                    question=question,
                    phone="13800000002",
                    may_publish=True,
                    text_hash=text_hash(subject, f"{question}{i}"),
                    status=S.PUBLISHED,
                    asked_at=now,
                    due_on=now.date(),
                    answer=answer,
                    answered_at=now,
                    published_subject=subject,
                    published_question=question,
                    published_at=now - timedelta(minutes=i),
                )
            )
        Question.objects.bulk_create(rows)
        made += len(rows)
    INDEX.changed()
    return made
