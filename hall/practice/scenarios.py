"""The scenario drills: how each sets up its practice case, and how its result
is scored, criterion by criterion, with feedback in the clerk's words."""

import random
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from hall.cases.constants import CaseStatus, Channel, MessageKind
from hall.cases.models import Case, CorrectionPoint
from hall.catalogue.constants import OriginalOrCopy
from hall.workdays.services import current_calendar

from . import generator
from .constants import Scenario


class DrillUnavailable(Exception):
    """The clerk's department has no item this drill can be set on."""


@dataclass
class Criterion:
    label: str
    points: int
    got: int
    feedback: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


# ---- a walk-in applicant lacks one original ---------------------------------------


def _needs_original(material) -> bool:
    return material.required and material.original_or_copy in (
        OriginalOrCopy.ORIGINAL,
        OriginalOrCopy.BOTH,
    )


def setup_missing_original(clerk, rng: random.Random) -> tuple[Case | None, dict]:
    items = [
        i for i in generator.department_items(clerk) if any(map(_needs_original, i.materials.all()))
    ]
    if not items:
        raise DrillUnavailable(_("本部门没有要求核验原件的事项，暂不能进行此项考核。"))
    item = rng.choice(items)
    missing = rng.choice([m for m in item.materials.all() if _needs_original(m)])
    applicant = generator.applicant_for(item, rng)
    # The walk-in form takes a mobile number; this one is only typed, never sent.
    applicant["phone"] = "13800000000"
    return None, {
        "item": item.pk,
        "item_code": item.code,
        "item_name": item.name,
        "material": missing.pk,
        "material_name": missing.name,
        "materials": [m.name for m in item.materials.all()],
        "applicant": applicant,
    }


def walk_in_case(attempt) -> Case | None:
    """The walk-in the clerk recorded for the drill's applicant since it started."""
    return (
        Case.all_objects.filter(
            practice_of=attempt.clerk_id,
            channel=Channel.WALK_IN,
            item_id=attempt.setup["item"],
            id_number=attempt.setup["applicant"]["id_number"],
            submitted_at__gte=attempt.started_at,
        )
        .order_by("-pk")
        .first()
    )


def check_missing_original(attempt, answer: str) -> tuple[Case | None, list[Criterion]]:
    name = attempt.setup["material_name"]
    case = walk_in_case(attempt)
    refused = Criterion(_("不予受理（材料不齐不能受理）"), 40, 0)
    named = Criterion(_("理由写明所缺原件"), 40, 0)
    ticked = Criterion(_("未勾选所缺材料的“已核验原件”"), 20, 0)
    if case is None:
        for c in (refused, named, ticked):
            c.feedback = _("没有找到您为该申请人录入的窗口收件：请先在窗口收件页面按情景录入。")
        return None, [refused, named, ticked]
    reason = (
        case.history.filter(to_status=case.status)
        .order_by("-at", "-id")
        .values_list("reason", flat=True)
        .first()
        or ""
    )
    if case.status == CaseStatus.NOT_ACCEPTED:
        refused.got = refused.points
    else:
        refused.feedback = _(
            "申请人缺少《%(m)s》原件，不能受理：应不予受理并一次性告知所缺材料。"
        ) % {"m": name}
    if case.status == CaseStatus.NOT_ACCEPTED and _mentions(reason, name):
        named.got = named.points
    else:
        named.feedback = _("不予受理的理由中应写明所缺材料：《%(m)s》原件。") % {"m": name}
    if name not in (case.form_data or {}).get("originals_checked", []):
        ticked.got = ticked.points
    else:
        ticked.feedback = _("申请人没有带《%(m)s》原件，不应勾选“已核验原件”。") % {"m": name}
    return case, [refused, named, ticked]


def _mentions(text: str, name: str) -> bool:
    """Whether `text` names the material: its name, or its name without brackets."""
    plain = re.sub(r"[（(].*?[)）]", "", name).strip()
    return name in text or (len(plain) >= 2 and plain in text)


# ---- a deadline that falls over 国庆 -------------------------------------------------


def national_day_year(calendar, today: date) -> int:
    """The first year from this one whose 国庆 the calendar lists, else this year
    (whose days off by law the calendar then uses provisionally)."""
    for year in sorted(calendar.known_years):
        if year >= today.year and not calendar.is_workday(date(year, 10, 1)):
            return year
    return today.year


def acceptance_day(calendar, year: int) -> date:
    """The second-to-last working day before 1 October: a period of a few working
    days from it runs over the holiday."""
    day, seen = date(year, 9, 30), 0
    while True:
        if calendar.is_workday(day):
            seen += 1
            if seen == 2:
                return day
        day -= timedelta(days=1)


def setup_national_day(clerk, rng: random.Random) -> tuple[Case | None, dict]:
    from django.utils import timezone

    items = [i for i in generator.department_items(clerk) if 3 <= i.promised_days <= 20]
    if not items:
        raise DrillUnavailable(
            _("本部门没有承诺时限为 3 至 20 个工作日的事项，暂不能进行此项考核。")
        )
    item = rng.choice(items)
    calendar = current_calendar()
    accepted = acceptance_day(calendar, national_day_year(calendar, timezone.localdate()))
    case = generator.make_case(clerk=clerk, item=item, rng=rng)
    return case, {
        "item": item.pk,
        "item_name": item.name,
        "promised_days": item.promised_days,
        "accepted_on": accepted.isoformat(),
    }


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str) -> date | None:
    m = _DATE.match(text or "")
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def national_day_expected(attempt) -> date:
    return (
        current_calendar()
        .deadline(date.fromisoformat(attempt.setup["accepted_on"]), attempt.setup["promised_days"])
        .due
    )


def check_national_day(attempt, answer: str) -> tuple[Case | None, list[Criterion]]:
    calendar = current_calendar()
    given = parse_date(answer)
    accepted = date.fromisoformat(attempt.setup["accepted_on"])
    days = attempt.setup["promised_days"]
    expected = calendar.deadline(accepted, days).due
    workday = Criterion(_("所答日期是工作日"), 20, 0)
    right = Criterion(_("承诺办结日期正确"), 80, 0)
    if given is not None and calendar.is_workday(given):
        workday.got = workday.points
    else:
        workday.feedback = _("办结期限的最后一天必须是工作日（节假日和周末不计，调休上班日计入）。")
    if given == expected:
        right.got = right.points
    else:
        off = [
            accepted + timedelta(days=n)
            for n in range(1, (expected - accepted).days + 1)
            if not calendar.is_workday(accepted + timedelta(days=n))
            and (accepted + timedelta(days=n)).weekday() < 5
        ]
        hint = _("正确答案是 %(due)s：从受理次日起算 %(n)d 个工作日。") % {
            "due": expected.isoformat(),
            "n": days,
        }
        if off:
            hint += _("期间 %(first)s 至 %(last)s 的法定节假日不计入。") % {
                "first": off[0].isoformat(),
                "last": off[-1].isoformat(),
            }
        if given is not None and given == _weekdays_only(accepted, days):
            hint += _("您的答案只扣除了周末，没有扣除国庆假期。")
        right.feedback = hint
    return attempt.case, [workday, right]


def _weekdays_only(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


# ---- a correction notice that must list everything -----------------------------------


def setup_full_correction(clerk, rng: random.Random) -> tuple[Case | None, dict]:
    items = [i for i in generator.department_items(clerk) if len(_online(i)) >= 3]
    if not items:
        raise DrillUnavailable(_("本部门没有三项以上网上提交材料的事项，暂不能进行此项考核。"))
    item = rng.choice(items)
    materials = _online(item)
    missing = rng.sample(materials, 3 if len(materials) >= 5 else 2)
    case = generator.make_case(clerk=clerk, item=item, rng=rng, skip_materials=missing)
    return case, {
        "item": item.pk,
        "item_name": item.name,
        "missing": [m.pk for m in missing],
        "missing_names": [m.name for m in missing],
    }


def _online(item) -> list:
    return [m for m in item.materials.all() if m.submission == "online"]


def check_full_correction(attempt, answer: str) -> tuple[Case | None, list[Criterion]]:
    case = attempt.case
    missing = dict(zip(attempt.setup["missing"], attempt.setup["missing_names"], strict=True))
    sent = Criterion(_("发出补正告知，未直接受理"), 20, 0)
    per = 80 // len(missing)
    listed_rows = [
        Criterion(_("补正告知列出《%(m)s》") % {"m": name}, per, 0) for name in missing.values()
    ]
    listed_rows[-1].points += 80 - per * len(missing)
    points = (
        list(
            CorrectionPoint.objects.filter(
                message__case=case,
                message__kind=MessageKind.CORRECTION,
                message__created_at__gte=attempt.started_at,
            )
        )
        if case is not None
        else []
    )
    if case is not None and points:
        sent.got = sent.points
    elif case is not None and case.status == CaseStatus.ACCEPTED:
        sent.feedback = _("材料不齐不能受理：应先一次性告知申请人补正。")
    else:
        sent.feedback = _("还没有发出补正告知：请在办件页面勾选需要补正的材料并发出告知。")
    listed = {p.material_id for p in points} | {
        pk for pk, name in missing.items() for p in points if _mentions(p.subject, name)
    }
    for (pk, name), row in zip(missing.items(), listed_rows, strict=True):
        if pk in listed:
            row.got = row.points
        else:
            row.feedback = _("补正告知漏列了《%(m)s》：一次性告知须列出全部缺少的材料。") % {
                "m": name
            }
    return case, [sent, *listed_rows]


@dataclass(frozen=True)
class Drill:
    code: str
    needs_answer: bool
    setup: object
    check: object


DRILLS = {
    Scenario.MISSING_ORIGINAL: Drill(
        Scenario.MISSING_ORIGINAL, False, setup_missing_original, check_missing_original
    ),
    Scenario.NATIONAL_DAY: Drill(
        Scenario.NATIONAL_DAY, True, setup_national_day, check_national_day
    ),
    Scenario.FULL_CORRECTION: Drill(
        Scenario.FULL_CORRECTION, False, setup_full_correction, check_full_correction
    ),
}
