"""Demo online applications in every pre-review state, with files, so the
workbench and the status page have something real to show."""

import random
import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hall.catalogue.models import ServiceItem
from hall.org.models import User

from .history import COMPANIES, FIRMS, GIVEN, SURNAMES, USCC_ALPHABET
from .models import Case
from .services import (
    RIGHT_HANDLE,
    Applicant,
    case_accept,
    case_refuse,
    case_reply,
    case_request_correction,
    case_resubmit,
    case_submit,
    case_withdraw,
)
from .validators import resident_id_check, uscc_check

# Scenario per status: how many, and what happened.
PLAN = [
    ("submitted", 12),
    ("correction", 6),
    ("resubmitted", 4),
    ("accepted", 6),
    ("not_accepted", 3),
    ("withdrawn", 2),
]


def _pdf(title: str) -> bytes:
    from hall.catalogue.demo import _pdf_bytes

    return _pdf_bytes(title, "网上申报材料", True)


def _png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), (245, 248, 252))
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 300, 180), outline=(10, 74, 143), width=3)
    draw.line((20, 100, 300, 100), fill=(10, 74, 143), width=2)
    draw.line((160, 20, 160, 180), fill=(10, 74, 143), width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _person(rng) -> Applicant:
    born = timezone.localdate() - timedelta(days=rng.randint(20 * 365, 65 * 365))
    first17 = f"3308{rng.randint(0, 2):02d}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return Applicant(
        kind="person",
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        id_type="resident_id",
        id_number=first17 + resident_id_check(first17),
        phone=f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}",
        address=f"衢州市柯城区示范路 {rng.randint(1, 300)} 号",
    )


def _company(rng) -> Applicant:
    first17 = "913308" + "".join(rng.choice(USCC_ALPHABET) for _ in range(11))
    return Applicant(
        kind="company",
        name=rng.choice(COMPANIES).format(rng.choice(FIRMS)),
        id_type="uscc",
        id_number=first17 + uscc_check(first17),
        phone=f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}",
        address=f"衢州市智慧新城 {rng.randint(1, 99)} 号",
    )


HISTORY_CASES = 20_000


def load(out=None) -> dict:
    existing = Case.objects.filter(channel="online").order_by("id").first()
    if existing is None:
        _load_online()
    if Case.objects.filter(channel="walk_in").count() < 1000:
        from .history import generate_history

        generate_history(count=HISTORY_CASES, months=12, seed=20261127)
    example = Case.objects.filter(channel="online").exclude(form_data__has_key="generated")
    example = example.order_by("id").first() or existing
    return {
        "cases": Case.objects.count(),
        "generated": Case.objects.filter(form_data__has_key="generated").count(),
        "example": (example.display_number, example.phone) if example else None,
    }


def _handler(item: ServiceItem) -> User | None:
    """The department's first clerk (or other staff member) holding the right to
    handle its cases: the named services refuse anyone else."""
    staff = User.objects.filter(is_active=True, staff__department=item.department)
    for user in staff.order_by("staff__roles__kind", "pk").distinct():
        if user.has_perm(RIGHT_HANDLE):
            return user
    return None


def _load_online() -> None:
    rng = random.Random(20261127)
    items = list(
        ServiceItem.objects.published()
        .filter(center__parent__isnull=True, online_depth__gte=3, materials__submission="online")
        .distinct()
        .order_by("-application_count")[:40]
    )
    handlers = {item.pk: _handler(item) for item in items}
    # Only a department with staff who may handle cases can answer an application.
    handled = [item for item in items if handlers[item.pk] is not None]
    png = _png()
    for scenario, count in PLAN:
        for _ in range(count):
            pool = items if scenario == "submitted" else handled
            if not pool:
                continue
            item = rng.choice(pool)
            applicant = _company(rng) if item.applicant_type == "company" else _person(rng)
            clerk = handlers[item.pk]
            files = {}
            for m in item.materials.filter(submission="online"):
                data = png if "图" in m.name or "照片" in m.name else _pdf(m.name)
                ext = ".png" if data is png else ".pdf"
                files[m.pk] = [SimpleUploadedFile(f"{m.name}{ext}", data)]
            case, _ = case_submit(
                item=item,
                applicant=applicant,
                form_data={},
                files=files,
                submission_token=uuid.uuid4(),
            )
            if scenario == "submitted":
                continue
            if scenario in ("correction", "resubmitted"):
                first = item.materials.filter(submission="online").first()
                case_reply(case=case, actor=clerk, text="材料已收到，正在预审，请保持电话畅通。")
                case_request_correction(
                    case=case,
                    actor=clerk,
                    text="请按以下要求一次性补正后重新提交。",
                    points=[(first, first.name, "缺少申请人签字（盖章），请签字后重新扫描上传。")],
                )
                if scenario == "resubmitted":
                    old = case.files.filter(material=first).first()
                    case_resubmit(
                        case=case,
                        remarks="已按要求补签字，重新上传申请书。",
                        form_data=None,
                        files={
                            first.pk: [
                                SimpleUploadedFile(f"{first.name}（已签字）.pdf", _pdf(first.name))
                            ]
                        },
                        replace={old.pk} if old else set(),
                    )
            elif scenario == "accepted":
                case_accept(case=case, actor=clerk)
            elif scenario == "not_accepted":
                case_refuse(
                    case=case,
                    actor=clerk,
                    reason="申请事项不属于本部门职权范围，请向属地县（市、区）行政服务中心申请。",
                )
            elif scenario == "withdrawn":
                case_withdraw(case=case, by_applicant=True, reason="申请人主动撤回")
