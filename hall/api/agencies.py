"""The intermediary-agency directory (中介服务) for other platforms."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hall.agencies import selectors
from hall.agencies.constants import AgencyCategory
from hall.agencies.views import find
from hall.catalogue.models import ServiceItem
from hall.core.forms import clean_search, parse_id

router = Router(tags=["中介服务 agencies"])

_LABELS = dict(AgencyCategory.choices)


class CategoryOut(Schema):
    code: str
    label: str


class AgencySummary(Schema):
    id: int
    name: str
    categories: list[CategoryOut]
    address: str
    phone: str
    qualified: bool = Field(..., description="资质有效（false：资质过期）")
    url: str


class AgencyList(Schema):
    count: int
    query: str
    results: list[AgencySummary]


class Problem(Schema):
    detail: str
    errors: list[dict] = []


def _categories(codes) -> list[dict]:
    return [{"code": c, "label": str(_LABELS.get(c, c))} for c in codes]


def _problem(field: str, message: str):
    return Status(
        422,
        {
            "detail": _("请求参数有误，请检查后重试。"),
            "errors": [{"field": field, "message": message}],
        },
    )


@router.get("", response={200: AgencyList, 422: Problem}, summary="中介服务机构名录 List agencies")
def list_agencies(
    request,
    q: str = "",
    category: str = "",
    item: str = "",
    expired: bool = False,
    limit: int = 20,
    offset: int = 0,
):
    """Active agencies, by name (pinyin, initials), category or service scope (`q`);
    `category` is a category code (e.g. `eia`), `item` the id of an item whose
    guide needs the service. Agencies whose qualification has lapsed are left
    out unless `expired=true`. Queries longer than 50 characters are cut."""
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    category = clean_search(category, 20)
    if category and category not in AgencyCategory.values:
        return _problem("category", _("服务类别无效，可选：") + "、".join(AgencyCategory.values))
    item_id = None
    if item:
        item_id = parse_id(item)
        if item_id is None:
            return _problem("item", _("事项编号无效。"))
    query = clean_search(q, 200)
    entries = find(q=query, category=category, item=item_id, expired=expired)
    today = timezone.localdate().toordinal()
    results = []
    for entry in entries[offset : offset + limit]:
        until = entry.data["until"]
        results.append(
            {
                "id": entry.pk,
                "name": entry.title,
                "categories": _categories(entry.data["categories"]),
                "address": entry.data["address"],
                "phone": entry.data["phone"],
                "qualified": until is None or until >= today,
                "url": entry.url,
            }
        )
    return {"count": len(entries), "query": query, "results": results}


class CertificateOut(Schema):
    category: CategoryOut
    number: str
    level: str
    issuer: str
    valid_from: str | None
    valid_until: str | None
    expired: bool


class ItemRef(Schema):
    code: str
    name: str
    url: str


class AgencyDetail(AgencySummary):
    uscc: str
    center: str
    scope: str
    contact_person: str
    fee_basis: str
    certificates: list[CertificateOut]
    items: list[ItemRef]


@router.get(
    "/{agency_id}", response={200: AgencyDetail, 404: Problem}, summary="中介服务机构详情 Agency"
)
def agency_detail(request, agency_id: str):
    """One active agency with its certificates (validity, expired ones marked) and linked items."""
    pk = parse_id(agency_id)
    agency = selectors.public_agency(pk) if pk else None
    if agency is None:
        return Status(404, {"detail": _("未找到该中介服务机构。")})
    today = timezone.localdate()
    items = ServiceItem.objects.published().filter(agencies=agency, center_id=agency.center_id)
    return {
        "id": agency.pk,
        "name": agency.name,
        "categories": _categories(sorted(agency.category_codes)),
        "address": agency.address,
        "phone": agency.phone,
        "qualified": not agency.is_expired(today),
        "url": f"/agencies/{agency.pk}/",
        "uscc": agency.uscc,
        "center": agency.center.name,
        "scope": agency.scope,
        "contact_person": agency.contact_person,
        "fee_basis": agency.fee_basis,
        "certificates": [
            {
                "category": _categories([c.category])[0],
                "number": c.number,
                "level": c.level,
                "issuer": c.issuer,
                "valid_from": c.valid_from.isoformat() if c.valid_from else None,
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                "expired": c.is_expired(today),
            }
            for c in agency.certificates.all()
        ],
        "items": [
            {"code": i.code, "name": i.name, "url": f"/items/{i.code}/"}
            for i in items.order_by("code").only("code", "name")
        ],
    }
