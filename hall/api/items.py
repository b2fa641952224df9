from django.http import Http404
from ninja import Field, Router, Schema

from hall.catalogue import selectors
from hall.catalogue.constants import SEARCH_MAX_QUERY, ItemType, OnlineDepth
from hall.catalogue.models import ServiceItem
from hall.catalogue.search import normalise_query, search_items
from hall.core.forms import clean_search

router = Router(tags=["事项目录 catalogue"])


class ItemSummary(Schema):
    code: str
    name: str
    department: str
    department_code: str
    online_depth: int = Field(..., description="1 办事指南 · 2 表格下载 · 3 网上预审 · 4 全程网办")
    promised_days: int = Field(..., description="承诺时限（工作日），0 为即办")
    statutory_days: int = Field(..., description="法定时限（工作日）")
    url: str


class ItemList(Schema):
    count: int
    query: str
    results: list[ItemSummary]


def _summary(item: ServiceItem) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "department": item.department.name,
        "department_code": item.department.code,
        "online_depth": item.online_depth,
        "promised_days": item.promised_days,
        "statutory_days": item.statutory_days,
        "url": f"/items/{item.code}/",
    }


@router.get("", response=ItemList, summary="搜索事项 Search items")
def list_items(request, q: str = "", department: str = "", limit: int = 20, offset: int = 0):
    """Search published items by any part of the name, pinyin, initials, aliases
    or department; `department` narrows to a department code (e.g. `SCJG`).
    Queries longer than 50 characters are cut."""
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    department = clean_search(department, 10).upper()  # a code: no NUL reaches the database
    query = normalise_query(q[: SEARCH_MAX_QUERY * 4])
    if query:
        items = [h.item for h in search_items(query, department_code=department).hits]
    else:
        base = ServiceItem.objects.published().select_related("department")
        if department:
            base = base.filter(department__code=department)
        items = list(base.order_by("department__sort_order", "code"))
    return {
        "count": len(items),
        "query": query,
        "results": [_summary(i) for i in items[offset : offset + limit]],
    }


class MaterialOut(Schema):
    name: str
    submission: str = Field(..., description='"online" 在线提交 or "onsite" 现场提交')
    required: bool
    original_or_copy: str
    copies: int
    source: str
    notes: str
    template_url: str | None
    example_url: str | None


class BasisOut(Schema):
    regulation: str
    level: str
    article: str
    text: str


class ItemDetail(ItemSummary):
    type: str
    type_label: str
    depth_label: str
    applicant_type: str
    aliases: list[str]
    themes: list[str]
    legal_basis: list[BasisOut]
    legal_basis_text: str
    conditions: list[str]
    procedure: list[str]
    special_procedures: list[dict]
    fee: dict
    result: str
    onsite_visits: int
    place: str
    window: str
    hours: str
    contact_phone: str
    complaint_phone: str
    materials: list[MaterialOut]
    faq: list[dict]


@router.get("/{code}", response=ItemDetail, summary="事项办事指南 Item guide")
def item_detail(request, code: str):
    """The whole guide (七公开) of one published item."""
    item = selectors.item_for_guide(code[:40])
    if item is None:
        raise Http404
    base = f"/items/{item.code}/materials"
    return {
        **_summary(item),
        "type": item.item_type,
        "type_label": str(ItemType(item.item_type).label),
        "depth_label": str(OnlineDepth(item.online_depth).label),
        "applicant_type": item.applicant_type,
        "aliases": item.alias_list,
        "themes": [t.name for t in item.themes.all()],
        "legal_basis": [
            {
                "regulation": b.article.regulation.title,
                "level": b.article.regulation.get_level_display(),
                "article": b.article.number,
                "text": b.article.text,
            }
            for b in selectors.sorted_bases(item)
        ],
        "legal_basis_text": item.legal_basis_text,
        "conditions": item.condition_list,
        "procedure": item.procedure_list,
        "special_procedures": [
            {"kind": s.kind, "days": s.days, "counts_toward_limit": s.counts_toward_limit}
            for s in item.special_procedures.all()
        ],
        "fee": {"free": item.is_free, "standard": item.fee_standard, "basis": item.fee_basis},
        "result": item.result_name,
        "onsite_visits": item.onsite_visits,
        "place": item.place,
        "window": str(item.window) if item.window else "",
        "hours": item.hours,
        "contact_phone": item.contact_phone,
        "complaint_phone": item.complaint_phone,
        "materials": [
            {
                "name": m.name,
                "submission": m.submission,
                "required": m.required,
                "original_or_copy": m.original_or_copy,
                "copies": m.copies,
                "source": m.source,
                "notes": m.notes,
                "template_url": f"{base}/{m.pk}/template/" if m.template else None,
                "example_url": f"{base}/{m.pk}/example/" if m.example else None,
            }
            for m in item.materials.all()
        ],
        "faq": [{"question": f.question, "answer": f.answer} for f in item.faqs.all()],
    }
