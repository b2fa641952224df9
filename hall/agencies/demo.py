"""Demo data of the directory: 130 agencies of the city and its counties across
the categories, with valid credit codes, certificates (some expired) and links
to the demo items that need their service. Idempotent: an agency already there
(by center and credit code) is left as it is. `bulk(n)` adds n more quickly for
the speed benchmark."""

import random
from datetime import date

from django.db import transaction

from hall.catalogue.models import ServiceItem
from hall.core.services import log_action
from hall.core.validators import uscc_check
from hall.org.models import Center

from .constants import AgencyCategory as C
from .models import Agency, AgencyServiceCategory, Certificate, qualified_until
from .search import INDEX

CITY = "330800"
# centers and how many agencies each keeps
SHARE = {CITY: 70, "330802": 12, "330803": 10, "330825": 10, "330881": 10, "330822": 9, "330824": 9}
PLACES = {
    CITY: ("衢州市", "衢州市柯城区"),
    "330802": ("衢州市柯城区", "衢州市柯城区"),
    "330803": ("衢州市衢江区", "衢州市衢江区"),
    "330825": ("龙游县", "衢州市龙游县"),
    "330881": ("江山市", "江山市"),
    "330822": ("常山县", "衢州市常山县"),
    "330824": ("开化县", "衢州市开化县"),
}
WORDS = [
    "信安",
    "华测",
    "衢源",
    "正衡",
    "鼎诚",
    "天衡",
    "立信",
    "通达",
    "恒信",
    "博远",
    "明正",
    "中衢",
    "汇智",
    "弘泰",
    "嘉禾",
    "瑞丰",
    "远洋",
    "仁和",
    "九龙",
    "新安",
    "钱江",
    "南孔",
    "烂柯",
    "信诚",
    "浙西",
    "金衢",
    "衢江",
    "润泽",
    "致远",
    "求是",
]
STREETS = [
    "荷花中路",
    "西安路",
    "衢化路",
    "百汇路",
    "世纪大道",
    "九华北大道",
    "三衢路",
    "花园东大道",
]

# category: (name ending, certificate name prefix, levels, issuer, scope, item name keywords)
KINDS = {
    C.SUPERVISION: (
        "工程监理有限公司",
        "E",
        ["综合资质", "甲级", "乙级"],
        "浙江省住房和城乡建设厅",
        "房屋建筑工程、市政公用工程监理；项目管理与技术咨询",
        ["施工许可", "竣工验收"],
    ),
    C.EMPLOYMENT: (
        "人力资源服务有限公司",
        "RL",
        ["—"],
        "衢州市人力资源和社会保障局",
        "职业介绍、人才推荐、劳务派遣咨询",
        ["职业中介", "人力资源"],
    ),
    C.APPRAISAL: (
        "房地产土地评估有限公司",
        "FG",
        ["一级", "二级", "三级"],
        "浙江省住房和城乡建设厅",
        "房地产估价、土地估价、抵押评估、征收评估",
        ["转移登记", "抵押", "契税", "改变用途"],
    ),
    C.SURVEY: (
        "测绘有限公司",
        "乙测资字",
        ["甲级", "乙级", "丙级"],
        "浙江省自然资源厅",
        "工程测量、不动产测绘、地形图测绘、规划核实测量",
        ["规划许可", "不动产", "建设用地", "宅基地", "规划核实"],
    ),
    C.EIA: (
        "环境科技有限公司",
        "HP",
        ["—"],
        "生态环境部环境影响评价信用平台",
        "建设项目环境影响报告书（表）编制、竣工环保验收调查",
        ["环境影响", "危险废物", "辐射安全"],
    ),
    C.SAFETY: (
        "安全技术咨询有限公司",
        "APJ",
        ["甲级", "乙级"],
        "浙江省应急管理厅",
        "安全预评价、安全验收评价、安全现状评价",
        ["安全条件", "安全设施", "危险化学品", "群众性活动"],
    ),
    C.COST: (
        "工程造价咨询有限公司",
        "ZJ",
        ["甲级", "乙级"],
        "浙江省住房和城乡建设厅",
        "工程概预算、结算审核、招标控制价编制",
        ["施工许可", "初步设计", "招标"],
    ),
    C.DESIGN: (
        "建筑设计研究院有限公司",
        "A",
        ["甲级", "乙级"],
        "浙江省住房和城乡建设厅",
        "建筑工程设计、规划方案设计、施工图设计",
        ["初步设计", "消防设计", "工程规划许可", "防空地下室"],
    ),
    C.TESTING: (
        "检验检测有限公司",
        "CMA",
        ["—"],
        "浙江省市场监督管理局",
        "建设工程质量检测、环境监测、特种设备检验、水质检测",
        ["特种设备", "饮用水", "放射诊疗", "竣工验收"],
    ),
    C.BOOKKEEPING: (
        "财务咨询有限公司",
        "DJ",
        ["—"],
        "衢州市财政局",
        "代理记账、纳税申报、财务咨询",
        ["代理记账"],
    ),
    C.FIRE: (
        "消防技术服务有限公司",
        "XF",
        ["一级", "二级"],
        "浙江省消防救援总队",
        "消防设施维护保养检测、消防安全评估",
        ["消防"],
    ),
    C.LIGHTNING: (
        "防雷检测有限公司",
        "FL",
        ["甲级", "乙级"],
        "浙江省气象局",
        "雷电防护装置检测、防雷工程设计评价",
        ["防雷"],
    ),
    C.WATER: (
        "水利水电勘测设计有限公司",
        "ST",
        ["甲级", "乙级"],
        "浙江省水利厅",
        "水土保持方案编制、洪水影响评价、水资源论证",
        ["水土保持", "洪水影响", "取水许可"],
    ),
}
# Some agencies offer a second service.
SECOND = {C.SURVEY: C.DESIGN, C.COST: C.SUPERVISION, C.EIA: C.SAFETY, C.DESIGN: C.COST}


def make_uscc(region: str, serial: str) -> str:
    first17 = f"91{region}{serial}"
    return first17 + uscc_check(first17)


def _plan():
    rnd = random.Random(13)
    kinds = list(KINDS)
    n = 0
    for region, count in SHARE.items():
        place, address_place = PLACES[region]
        for _ in range(count):
            category = kinds[n % len(kinds)]
            word = WORDS[(n * 7) % len(WORDS)] + (
                WORDS[(n * 3 + 5) % len(WORDS)][0] if n >= len(WORDS) else ""
            )
            ending, prefix, levels, issuer, scope, _keys = KINDS[category]
            categories = [category]
            if n % 4 == 1 and category in SECOND:
                categories.append(SECOND[category])
            expired = n % 9 == 4
            certificates = []
            for m, cat in enumerate(categories):
                k = KINDS[cat]
                start = date(2019 + rnd.randrange(5), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
                end = (
                    date(2025, 3 + rnd.randrange(8), 1 + rnd.randrange(28))
                    if expired
                    else date(2028 + rnd.randrange(4), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
                )
                certificates.append(
                    {
                        "category": cat,
                        "number": f"{k[1]}{region}{n:04d}{m}",
                        "level": rnd.choice(k[2]) if k[2] != ["—"] else "",
                        "issuer": k[3],
                        "valid_from": start,
                        "valid_until": end,
                    }
                )
            yield {
                "region": region,
                "name": f"{place}{word}{ending}",
                "uscc": make_uscc(region, f"MA2{n:06d}"),
                "categories": categories,
                "scope": scope,
                "contact_person": rnd.choice("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
                + rnd.choice(["工", "经理", "女士", "先生"]),
                "phone": f"0570-{3000000 + rnd.randrange(6999999)}",
                "address": f"{address_place}{rnd.choice(STREETS)}{1 + rnd.randrange(300)}号",
                "fee_basis": "按市场调节价，收费标准在服务合同中约定并公示"
                if n % 3
                else "参照《浙江省中介服务收费管理办法》及行业指导价",
                "certificates": certificates,
            }
            n += 1


@transaction.atomic
def load() -> dict:
    centers = {c.region_code: c for c in Center.objects.filter(region_code__in=SHARE)}
    plan = [p for p in _plan() if p["region"] in centers]
    existing = set(
        Agency.objects.filter(uscc__in=[p["uscc"] for p in plan]).values_list("center_id", "uscc")
    )
    items_by_center: dict[int, list] = {}
    for item in ServiceItem.objects.filter(center__in=centers.values()).only("name", "center_id"):
        items_by_center.setdefault(item.center_id, []).append(item)
    made = 0
    for p in plan:
        center = centers[p["region"]]
        if (center.pk, p["uscc"]) in existing:
            continue
        certificates = [Certificate(**c) for c in p["certificates"]]
        agency = Agency.objects.create(
            center=center,
            name=p["name"],
            uscc=p["uscc"],
            scope=p["scope"],
            contact_person=p["contact_person"],
            phone=p["phone"],
            address=p["address"],
            fee_basis=p["fee_basis"],
            qualified_until=qualified_until(certificates),
        )
        AgencyServiceCategory.objects.bulk_create(
            [AgencyServiceCategory(agency=agency, category=c) for c in p["categories"]]
        )
        for cert in certificates:
            cert.agency = agency
        Certificate.objects.bulk_create(certificates)
        keys = [k for c in p["categories"] for k in KINDS[c][5]]
        agency.items.set(
            [i for i in items_by_center.get(center.pk, []) if any(k in i.name for k in keys)]
        )
        made += 1
    if made:
        log_action(None, "agencies.agency_load", None, {"agencies": made})
        transaction.on_commit(INDEX.changed)
    return {"agencies": Agency.objects.count(), "made": made}


@transaction.atomic
def bulk(n: int, *, region: str = CITY) -> int:
    """Add `n` agencies with one certificate each, in a few statements (the benchmark's volume)."""
    center = Center.objects.get(region_code=region)
    start = Agency.objects.filter(uscc__startswith=f"91{region}BK").count()
    kinds = list(KINDS)
    agencies = []
    for k in range(start, start + n):
        category = kinds[k % len(kinds)]
        agencies.append(
            Agency(
                center=center,
                name=f"衢州市{WORDS[k % len(WORDS)]}{WORDS[(k // len(WORDS)) % len(WORDS)]}{k}号{KINDS[category][0]}",
                uscc=make_uscc(region, f"BK{k:07d}"),
                scope=KINDS[category][4],
                phone="0570-3000000",
                address="衢州市柯城区荷花中路",
                qualified_until=date(2030, 12, 31),
            )
        )
    created = Agency.objects.bulk_create(agencies, batch_size=500)
    if not all(a.pk for a in created):  # backends that do not return ids
        created = list(Agency.objects.filter(uscc__in=[a.uscc for a in agencies]))
    by_uscc = {a.uscc: a for a in created}
    rows, certs = [], []
    for k, a in enumerate(agencies, start=start):
        agency = by_uscc[a.uscc]
        category = kinds[k % len(kinds)]
        rows.append(AgencyServiceCategory(agency=agency, category=category))
        certs.append(
            Certificate(
                agency=agency,
                category=category,
                number=f"BK{k:07d}",
                issuer=KINDS[category][3],
                valid_from=date(2025, 1, 1),
                valid_until=date(2030, 12, 31),
            )
        )
    AgencyServiceCategory.objects.bulk_create(rows, batch_size=1000)
    Certificate.objects.bulk_create(certs, batch_size=1000)
    transaction.on_commit(INDEX.changed)
    return n
