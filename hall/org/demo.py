"""Demo organisation: the city center, its six county centers, departments,
windows and one account per role in the city and in 柯城区."""

import functools

from django.contrib.auth.hashers import make_password

from .constants import CITY_REGION_CODE, CenterLevel, RoleKind
from .models import Center
from .services import (
    center_ensure,
    department_ensure,
    role_ensure_defaults,
    staff_ensure,
    window_ensure,
)

# The one password of every demo account; accepted only in demo mode.
DEMO_PASSWORD = "Quzhou@2026"  # noqa: S105  (published in the README; demo mode only)


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed once per process: every demo account has the
    same published password, and hashing it a dozen times (argon2, about a
    second each on a busy machine) made every fresh demo organisation slow."""
    return make_password(DEMO_PASSWORD)


CITY = {
    "name": "衢州市行政服务中心",
    "short_name": "市中心",
    "address": "衢州市柯城区荷花中路 行政服务中心",
    "phone": "0570-3058123",
    "complaint_phone": "0570-3058100",
    "hours": "周一至周五 8:30—12:00，14:30—17:30（法定节假日除外）",
}

COUNTIES = [
    ("330802", "柯城区行政服务中心", "柯城区", "0570-3021234"),
    ("330803", "衢江区行政服务中心", "衢江区", "0570-3832123"),
    ("330825", "龙游县行政服务中心", "龙游县", "0570-7012345"),
    ("330881", "江山市行政服务中心", "江山市", "0570-4012345"),
    ("330822", "常山县行政服务中心", "常山县", "0570-5012345"),
    ("330824", "开化县行政服务中心", "开化县", "0570-6012345"),
]

# The 27 departments resident in the city center: (code, name, consultation phone).
CITY_DEPARTMENTS = [
    ("FGW", "衢州市发展和改革委员会", "0570-3058201"),
    ("JXJ", "衢州市经济和信息化局", "0570-3058202"),
    ("JYJ", "衢州市教育局", "0570-3058203"),
    ("KJJ", "衢州市科学技术局", "0570-3058204"),
    ("GAJ", "衢州市公安局", "0570-3058205"),
    ("MZJ", "衢州市民政局", "0570-3058206"),
    ("SFJ", "衢州市司法局", "0570-3058207"),
    ("CZJ", "衢州市财政局", "0570-3058208"),
    ("RSJ", "衢州市人力资源和社会保障局", "0570-3058209"),
    ("ZRZY", "衢州市自然资源和规划局", "0570-3058210"),
    ("STHJ", "衢州市生态环境局", "0570-3058211"),
    ("ZJJ", "衢州市住房和城乡建设局", "0570-3058212"),
    ("JTYS", "衢州市交通运输局", "0570-3058213"),
    ("SLJ", "衢州市水利局", "0570-3058214"),
    ("NYNC", "衢州市农业农村局", "0570-3058215"),
    ("SWJ", "衢州市商务局", "0570-3058216"),
    ("WGLJ", "衢州市文化广电旅游局", "0570-3058217"),
    ("WJW", "衢州市卫生健康委员会", "0570-3058218"),
    ("TYJR", "衢州市退役军人事务局", "0570-3058219"),
    ("YJGL", "衢州市应急管理局", "0570-3058220"),
    ("SCJG", "衢州市市场监督管理局", "0570-3058221"),
    ("YBJ", "衢州市医疗保障局", "0570-3058222"),
    ("LYJ", "衢州市林业局", "0570-3058223"),
    ("ZHZF", "衢州市综合行政执法局", "0570-3058224"),
    ("RFB", "衢州市人民防空办公室", "0570-3058225"),
    ("QXJ", "衢州市气象局", "0570-3058226"),
    ("SWU", "国家税务总局衢州市税务局", "0570-3058227"),
]

# Each county center hosts these departments (the name gets the county's prefix).
COUNTY_DEPARTMENTS = [
    ("SCJG", "市场监督管理局"),
    ("ZRZY", "自然资源和规划局"),
    ("ZJJ", "住房和城乡建设局"),
    ("RSJ", "人力资源和社会保障局"),
    ("GAJ", "公安局"),
    ("WJW", "卫生健康局"),
]

# (username, full name, center region code, department code or None, roles)
DEMO_ACCOUNTS = [
    ("city_admin", "周建国", CITY_REGION_CODE, None, [RoleKind.CENTER_ADMIN]),
    ("city_supervisor", "吴晓梅", CITY_REGION_CODE, None, [RoleKind.SUPERVISOR]),
    ("scjg_admin", "郑海峰", CITY_REGION_CODE, "SCJG", [RoleKind.DEPARTMENT_ADMIN]),
    ("scjg_clerk", "王丽娟", CITY_REGION_CODE, "SCJG", [RoleKind.CLERK]),
    ("zrzy_clerk", "徐志强", CITY_REGION_CODE, "ZRZY", [RoleKind.CLERK]),
    ("kc_admin", "毛建华", "330802", None, [RoleKind.CENTER_ADMIN]),
    ("kc_supervisor", "祝慧芳", "330802", None, [RoleKind.SUPERVISOR]),
    ("kc_scjg_admin", "方国平", "330802", "SCJG", [RoleKind.DEPARTMENT_ADMIN]),
    ("kc_scjg_clerk", "余静", "330802", "SCJG", [RoleKind.CLERK]),
]


# Every other window has its clerk too, so every demo case has the person who handled
# it. They are records, not demo logins: no password (the logins are DEMO_ACCOUNTS).
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = [
    "建军",
    "丽华",
    "晓燕",
    "志伟",
    "海燕",
    "国强",
    "文静",
    "俊杰",
    "秀英",
    "伟东",
    "春梅",
    "立新",
]


def _window_clerk_name(i: int) -> str:
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)]


def load(out=None) -> dict:
    role_ensure_defaults()
    city = center_ensure(
        region_code=CITY_REGION_CODE,
        defaults={**CITY, "level": CenterLevel.CITY, "sort_order": 0},
    )
    centers = {CITY_REGION_CODE: city}
    for i, (code, name, short, phone) in enumerate(COUNTIES, start=1):
        centers[code] = center_ensure(
            region_code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": CenterLevel.COUNTY,
                "parent": city,
                "phone": phone,
                "address": f"{short}行政服务中心大楼",
                "complaint_phone": phone[:-1] + "0",
                "hours": "周一至周五 8:30—12:00，14:00—17:30（法定节假日除外）",
                "sort_order": i,
            },
        )
    departments = {}
    for i, (code, name, phone) in enumerate(CITY_DEPARTMENTS, start=1):
        departments[(CITY_REGION_CODE, code)] = department_ensure(
            center=city,
            code=code,
            defaults={
                "name": name,
                "short_name": name.removeprefix("衢州市"),
                "phone": phone,
                "sort_order": i,
            },
        )
    for region, center in centers.items():
        if region == CITY_REGION_CODE:
            continue
        for i, (code, name) in enumerate(COUNTY_DEPARTMENTS, start=1):
            departments[(region, code)] = department_ensure(
                center=center,
                code=code,
                defaults={
                    "name": f"{center.short_name}{name}",
                    "short_name": name,
                    "sort_order": i,
                },
            )
    windows = {}
    for (region, code), department in departments.items():
        count = 3 if code in {"SCJG", "ZRZY", "GAJ"} else 1
        for n in range(1, count + 1):
            number = f"{department.sort_order:02d}{n}"
            windows[(region, code, n)] = window_ensure(
                department=department,
                number=number,
                defaults={
                    "name": f"{department.short_name or department.name}窗口",
                    "location": _floor(department.sort_order),
                },
            )
    for username, full_name, region, dept_code, roles in DEMO_ACCOUNTS:
        department = departments[(region, dept_code)] if dept_code else None
        window = windows.get((region, dept_code, 1)) if RoleKind.CLERK in roles else None
        staff_ensure(
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            password_hash=demo_password_hash(),
            center=centers[region],
            department=department,
            window=window,
            role_codes=[str(r) for r in roles],
            is_demo=True,
        )
    staffed = {
        (region, dept) for _u, _n, region, dept, roles in DEMO_ACCOUNTS if RoleKind.CLERK in roles
    }
    for i, ((region, code), department) in enumerate(sorted(departments.items())):
        if (region, code) in staffed:
            continue
        staff_ensure(
            username=f"clerk_{region}_{code.lower()}",
            full_name=_window_clerk_name(i),
            password=None,
            center=centers[region],
            department=department,
            window=windows[(region, code, 1)],
            role_codes=[str(RoleKind.CLERK)],
        )
    staff_ensure(
        username="sysadmin",
        full_name="系统管理员",
        password=DEMO_PASSWORD,
        password_hash=demo_password_hash(),
        center=city,
        role_codes=[],
        is_demo=True,
        is_superuser=True,
    )
    return {
        "centers": Center.objects.count(),
        "departments": len(departments),
        "windows": len(windows),
    }


def _floor(order: int) -> str:
    return f"{1 + (order - 1) // 10}楼 {order:02d} 号区"
