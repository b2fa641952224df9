"""Agencies for tests, written through the services like any other change."""

from datetime import date, timedelta

from django.utils import timezone

from hall.agencies import services
from hall.agencies.models import Agency
from hall.agencies.search import INDEX
from hall.core.validators import uscc_check
from hall.org.models import Center, User

_serial = [0]


def uscc(region: str = "330800") -> str:
    _serial[0] += 1
    first17 = f"91{region}TK{_serial[0]:07d}"
    return first17 + uscc_check(first17)


def cert(category: str, *, days: int = 365, number: str = "") -> services.CertificateData:
    """A certificate of `category` ending `days` from today (negative: expired)."""
    today = timezone.localdate()
    return services.CertificateData(
        category=category,
        number=number or f"C-{category}-{days}",
        level="甲级",
        issuer="浙江省住房和城乡建设厅",
        valid_from=today - timedelta(days=1000),
        valid_until=today + timedelta(days=days),
    )


def make_agency(
    name: str,
    *,
    region: str = "330800",
    categories=("survey",),
    certificates=None,
    items=(),
    active: bool = True,
    scope: str = "",
    actor: User | None = None,
) -> Agency:
    center = Center.objects.get(region_code=region)
    agency = Agency(
        center=center,
        name=name,
        uscc=uscc(region),
        scope=scope,
        phone="0570-3000001",
        address="衢州市柯城区荷花中路 1 号",
        is_active=active,
    )
    services.agency_save(
        actor=actor or User.objects.get(username="sysadmin"),
        agency=agency,
        categories=list(categories),
        items=list(items),
        certificates=list(certificates) if certificates is not None else [cert(categories[0])],
    )
    INDEX.changed()  # the test's transaction never commits
    return agency


def today() -> date:
    return timezone.localdate()
