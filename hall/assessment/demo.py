"""Demo data of the annual assessment: the city center's scheme for last year,
published (with every unit's external figure and one adjustment), and this
year's, still a draft to dry-run. Idempotent: a year that has a scheme is left
alone."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hall.org.constants import CITY_REGION_CODE
from hall.org.models import Center, User

from . import selectors, services
from .models import Scheme

INDICATORS = [
    ("办事指南完整度", "guide_completeness", "15", "95"),
    ("内容变更备案合格率", "filing_timeliness", "10", "95"),
    ("三级以上网办事项占比", "online_share", "10", "80"),
    ("网办件一次补正内受理率", "online_first_pass", "10", "95"),
    ("网办件按时预审率", "prereview_on_time", "10", "95"),
    ("按时办结率", "on_time_rate", "20", "98"),
    ("好差评满意率", "satisfaction", "10", "98"),
    ("有效投诉件数", "complaints", "10", "2"),
    ("系统使用率", "usage", "5", "90"),
]


def _scheme(actor, center, year) -> Scheme:
    scheme = services.scheme_create(actor=actor, center=center, year=year)
    for name, formula, weight, target in INDICATORS:
        services.indicator_add(
            actor=actor, scheme=scheme, name=name, formula=formula, weight=weight, target=target
        )
    return scheme


@transaction.atomic
def load() -> dict:
    center = Center.objects.filter(region_code=CITY_REGION_CODE).first()
    actor = User.objects.filter(username="city_admin").first()
    if center is None or actor is None:
        return {}
    year = timezone.localdate().year
    made = {}
    if not Scheme.objects.filter(center=center, year=year - 1).exists():
        scheme = _scheme(actor, center, year - 1)
        units = selectors.units_of(scheme)
        for n, unit in enumerate(units):
            value = Decimal(78) + Decimal((n * 7) % 19) + Decimal("0.5") * (n % 2)
            services.external_set(actor=actor, scheme=scheme, unit=unit, value=value)
        if units:
            services.adjustment_add(
                actor=actor,
                scheme=scheme,
                unit=units[0],
                points="2",
                reason="获评省级“人民满意窗口”，按考核办法加 2 分",
            )
        services.scheme_publish(actor=actor, scheme=scheme)
        made["published"] = year - 1
    if not Scheme.objects.filter(center=center, year=year).exists():
        _scheme(actor, center, year)
        made["draft"] = year
    return made
