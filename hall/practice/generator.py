"""Practice cases of a clerk's own department (练习办件), in every state a
window meets: online applications waiting for pre-review, one waiting for
correction, walk-ins, accepted cases with running clocks, a special procedure,
an approval and a completed case. Applicants are made up: Chinese names, valid
but invented ID numbers, and phone numbers in a 100 segment that no mainland
mobile uses (practice never sends anything anyway)."""

import functools
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from hall.cases import services as case_services
from hall.cases.constants import CaseStatus, Channel, SuspensionKind
from hall.cases.history import COMPANIES, FIRMS, GIVEN, SURNAMES, USCC_ALPHABET
from hall.cases.models import Case, CaseFile, Round, StatusChange
from hall.cases.validators import resident_id_check, uscc_check
from hall.catalogue.models import ServiceItem
from hall.core import practice


def department_items(user):
    """The published items of the clerk's department, the ones with materials first."""
    staff = getattr(user, "staff", None)
    if staff is None or staff.department_id is None:
        return ServiceItem.objects.none()
    return (
        ServiceItem.objects.published()
        .filter(department_id=staff.department_id)
        .prefetch_related("materials")
        .order_by("code")
    )


@functools.cache
def _pdf() -> bytes:
    from hall.catalogue.demo import _pdf_bytes

    return _pdf_bytes("练习材料", "练习模式", True)


def person(rng: random.Random) -> dict:
    born = timezone.localdate() - timedelta(days=rng.randint(22 * 365, 60 * 365))
    first17 = f"3308{rng.randint(0, 2):02d}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return {
        "applicant_kind": "person",
        "applicant_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "id_type": "resident_id",
        "id_number": first17 + resident_id_check(first17),
        "phone": practice_phone(rng),
        "address": f"衢州市柯城区练习路 {rng.randint(1, 300)} 号",
    }


def company(rng: random.Random) -> dict:
    first17 = "913308" + "".join(rng.choice(USCC_ALPHABET) for _ in range(11))
    return {
        "applicant_kind": "company",
        "applicant_name": rng.choice(COMPANIES).format(rng.choice(FIRMS)),
        "id_type": "uscc",
        "id_number": first17 + uscc_check(first17),
        "phone": practice_phone(rng),
        "address": f"衢州市智慧新城练习园区 {rng.randint(1, 99)} 号",
    }


def practice_phone(rng: random.Random) -> str:
    # 100…: eleven digits, but no mainland mobile segment starts with 10.
    return f"100{rng.randint(0, 99_999_999):08d}"


def applicant_for(item: ServiceItem, rng: random.Random) -> dict:
    return company(rng) if item.applicant_type == "company" else person(rng)


def make_case(
    *,
    clerk,
    item: ServiceItem,
    rng: random.Random,
    channel: str = Channel.ONLINE,
    with_files: bool = True,
    skip_materials=(),
    applicant: dict | None = None,
    days_ago: int = 0,
) -> Case:
    """A submitted practice case of `clerk` with a file for each material
    to send online (but those in `skip_materials`), as an applicant would have sent it."""
    now = timezone.now() - timedelta(days=days_ago)
    case = Case.objects.create(
        query_number=case_services._new_query_number(),
        item=item,
        center_id=item.center_id,
        department_id=item.department_id,
        channel=channel,
        status=CaseStatus.SUBMITTED,
        **(applicant or applicant_for(item, rng)),
        form_data={},
        submitted_at=now,
        practice_of=clerk,
    )
    round_ = Round.objects.create(case=case, number=1, submitted_at=now)
    if with_files:
        skip = {m.pk for m in skip_materials}
        for material in item.materials.all():
            if material.submission != "online" or material.pk in skip:
                continue
            record = CaseFile(
                case=case,
                round=round_,
                material=material,
                material_name=material.name,
                original_name=f"{material.name[:100]}.pdf",
                kind="pdf",
                size=len(_pdf()),
                sha256="",
                uploaded_at=now,
            )
            record.file.save("f.pdf", ContentFile(_pdf()), save=False)
            record.save()
    StatusChange.objects.create(
        case=case, from_status="", to_status=CaseStatus.SUBMITTED, by_applicant=True, at=now
    )
    return case


# The set every reset makes: (what happens to it, how many).
PLAN = [
    ("submitted", 3),
    ("correction", 1),
    ("accepted", 2),
    ("suspended", 1),
    ("approved", 1),
    ("completed", 1),
    ("walk_in", 1),
]


def generate(*, clerk, seed: int | None = None) -> int:
    """Make the clerk's practice set through the hall's own services (so every
    rule of the real screens holds for it); returns the number of cases made.
    Runs as the clerk's practice, whatever the caller's mode."""
    items = [i for i in department_items(clerk) if i.materials.all()]
    if not items or not clerk.has_perm(case_services.RIGHT_HANDLE):
        return 0
    rng = random.Random(seed)
    made = 0
    with practice.acting_for(clerk.pk):
        for scenario, count in PLAN:
            for n in range(count):
                item = items[(made + n) % len(items)]
                _make(scenario, clerk=clerk, item=item, rng=rng, days_ago=count - n)
            made += count
    return made


def _make(scenario: str, *, clerk, item, rng, days_ago: int) -> Case:
    channel = Channel.WALK_IN if scenario == "walk_in" else Channel.ONLINE
    case = make_case(clerk=clerk, item=item, rng=rng, channel=channel, days_ago=days_ago)
    if scenario == "submitted":
        return case
    if scenario == "correction":
        first = item.materials.all()[0]
        case_services.case_request_correction(
            case=case,
            actor=clerk,
            text="请按以下要求一次性补正后重新提交。",
            points=[(first, first.name, "缺少申请人签字（盖章），请签字后重新扫描上传。")],
        )
        return case
    case_services.case_accept(case=case, actor=clerk)
    if scenario == "suspended":
        case_services.case_suspend(
            case=case,
            actor=clerk,
            kind=SuspensionKind.SITE_SURVEY,
            reason="需现场勘验经营场所，已约定勘验时间。",
            expected_days=5,
        )
    elif scenario in ("approved", "completed"):
        case_services.case_approve(
            case=case, actor=clerk, opinion="材料齐全，符合法定条件，准予许可。"
        )
        if scenario == "completed":
            case_services.case_complete(
                case=case,
                actor=clerk,
                certificate_number=f"练习-{rng.randint(100000, 999999)}",
                delivery="on_site",
            )
    return case
