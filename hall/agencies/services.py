"""Every write to the agency directory. Each checks the actor's right and that
the agency's center is one the actor keeps; each writes an audit entry and
tells the public search after the commit."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hall.core.services import log_action
from hall.org.models import Center, User

from . import selectors
from .models import Agency, AgencyServiceCategory, Certificate, qualified_until
from .search import INDEX

FIELDS = ["name", "uscc", "scope", "contact_person", "phone", "address", "fee_basis", "is_active"]


class AgencyForbidden(PermissionDenied):
    """The actor lacks the right, or the agency's center is not theirs to keep."""


def check_actor(actor: User, right: str, center: Center | int | None = None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AgencyForbidden(_("请先登录后再维护中介机构。"))
    if not actor.has_perm(right):
        raise AgencyForbidden(_("您没有维护中介机构的权限。"))
    if center is not None:
        center_id = center if isinstance(center, int) else center.pk
        if not selectors.centers_managed_by(actor).filter(pk=center_id).exists():
            raise AgencyForbidden(_("该中心不在您的管理范围内。"))


@dataclass
class CertificateData:
    category: str
    number: str
    level: str = ""
    issuer: str = ""
    valid_from: date | None = None
    valid_until: date | None = None


def _changed():
    transaction.on_commit(INDEX.changed)


def _snapshot(agency: Agency) -> dict:
    if agency.pk is None:
        return {}
    return {
        **{f: getattr(agency, f) for f in FIELDS},
        "center": agency.center_id,
        "categories": sorted(agency.category_rows.values_list("category", flat=True)),
        "items": sorted(agency.items.values_list("pk", flat=True)),
        "certificates": sorted(
            (c.category, c.number, c.level, c.issuer, str(c.valid_from), str(c.valid_until))
            for c in agency.certificates.all()
        ),
    }


@transaction.atomic
def agency_save(
    *,
    actor: User,
    agency: Agency,
    categories: list[str],
    items=None,
    certificates: list[CertificateData] | None = None,
    audit: bool = True,
) -> Agency:
    """Create or update `agency` (its values set, checked by a form or the import)
    with its categories, linked items (only items of its center are kept) and,
    when given, its certificates (replacing the stored ones)."""
    creating = agency.pk is None
    check_actor(
        actor, "agencies.add_agency" if creating else "agencies.change_agency", agency.center_id
    )
    before = {}
    if not creating:
        stored = (
            selectors.agencies_managed_by(actor)
            .select_for_update(of=("self",))
            .filter(pk=agency.pk)
            .first()
        )
        if stored is None:
            raise AgencyForbidden(_("该中介机构不在您的管理范围内。"))
        before = _snapshot(stored)
    agency.save()
    AgencyServiceCategory.objects.filter(agency=agency).exclude(category__in=categories).delete()
    have = set(agency.category_rows.values_list("category", flat=True))
    AgencyServiceCategory.objects.bulk_create(
        [
            AgencyServiceCategory(agency=agency, category=c)
            for c in dict.fromkeys(categories)
            if c not in have
        ]
    )
    if items is not None:
        agency.items.set([i for i in items if i.center_id == agency.center_id])
    if certificates is not None:
        agency.certificates.all().delete()
        Certificate.objects.bulk_create(
            [Certificate(agency=agency, **vars(c)) for c in certificates]
        )
    until = qualified_until(agency.certificates.all())
    if until != agency.qualified_until:
        agency.qualified_until = until
        Agency.objects.filter(pk=agency.pk).update(qualified_until=until)
    after = _snapshot(agency)
    fields = sorted(k for k in after if after.get(k) != before.get(k))
    if audit and creating:
        log_action(actor, "agencies.agency_create", agency, {"fields": fields})
    elif audit and fields:
        log_action(actor, "agencies.agency_update", agency, {"fields": fields})
    _changed()
    return agency


@transaction.atomic
def agency_set_active(*, actor: User, agency: Agency, active: bool) -> Agency:
    check_actor(actor, "agencies.change_agency", agency.center_id)
    if agency.is_active != active:
        agency.is_active = active
        agency.save(update_fields=["is_active", "updated_at"])
        if active:
            log_action(actor, "agencies.agency_activate", agency)
        else:
            log_action(actor, "agencies.agency_deactivate", agency)
        _changed()
    return agency


@transaction.atomic
def agency_delete(*, actor: User, agency: Agency) -> None:
    check_actor(actor, "agencies.delete_agency", agency.center_id)
    log_action(actor, "agencies.agency_delete", agency, {"name": agency.name, "uscc": agency.uscc})
    agency.delete()
    _changed()
