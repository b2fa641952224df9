"""GET /api/v1/policies and /api/v1/policies/{id}: the published policy documents."""

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from hall.core.forms import parse_id
from hall.policies import selectors
from hall.policies.constants import PolicyKind, PolicyStatus
from hall.policies.forms import PublicFilterForm
from hall.policies.search import INDEX
from hall.policies.views import filtered, search_where

router = Router(tags=["政策文件 policies"])


class ErrorOut(Schema):
    detail: str


class PolicySummary(Schema):
    id: int
    title: str
    doc_number: str
    issuer: str
    department: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    issued_on: str
    url: str


class PolicyList(Schema):
    count: int
    query: str
    results: list[PolicySummary]


class LinkOut(Schema):
    id: int
    title: str
    url: str


class AttachmentOut(Schema):
    name: str
    size: int
    url: str


class PolicyDetail(PolicySummary):
    effective_on: str
    body: str
    published_at: str | None
    replaced_by: LinkOut | None
    explains: LinkOut | None
    interpretations: list[LinkOut]
    related_items: list[dict]
    related_regulations: list[dict]
    attachments: list[AttachmentOut]


def _url(pk: int) -> str:
    return f"/policies/{pk}/"


def _summary(d) -> dict:
    return {
        "id": d.pk,
        "title": d.title,
        "doc_number": d.doc_number,
        "issuer": d.issuer,
        "department": d.department.name,
        "kind": d.kind,
        "kind_label": str(PolicyKind(d.kind).label),
        "status": d.status,
        "status_label": str(PolicyStatus(d.status).label),
        "issued_on": d.issued_on.isoformat(),
        "url": _url(d.pk),
    }


def _link(d):
    return {"id": d.pk, "title": d.title, "url": _url(d.pk)} if d and d.is_published else None


@router.get("", response=PolicyList, summary="政策文件列表 Policy documents")
def list_policies(
    request,
    q: str = "",
    department: str = "",
    kind: str = "",
    year: str = "",
    status: str = "",
    limit: int = 20,
    offset: int = 0,
):
    """Published documents, newest first (issue date). `q` searches titles (pinyin
    and initials too), issuing bodies and document numbers; `department` is a
    department id, `kind` and `status` the codes of the lists' choices, `year`
    the year of issue. Unknown filter values are ignored."""
    limit = max(1, min(limit, 100))
    offset = max(0, min(offset, 10**9))
    form = PublicFilterForm(
        {"q": q, "department": department, "kind": kind, "year": year, "status": status}
    )
    query = form.value("q") or ""
    if query:
        found = INDEX.search(query, limit=offset + limit, where=search_where(form))
        ids = [h.entry.pk for h in found.hits[offset : offset + limit]]
        by_id = {d.pk: d for d in selectors.published_policies().filter(pk__in=ids)}
        docs = [by_id[i] for i in ids if i in by_id]
        return {"count": found.total, "query": found.query, "results": [_summary(d) for d in docs]}
    qs = filtered(selectors.published_policies(), form).order_by("-issued_on", "-id")
    count = qs.count()
    offset = min(offset, count)  # past the end is empty (and never an overflowing OFFSET)
    return {
        "count": count,
        "query": "",
        "results": [_summary(d) for d in qs[offset : offset + limit]],
    }


@router.get(
    "/{policy_id}",
    response={200: PolicyDetail, 404: ErrorOut},
    summary="政策文件详情 Policy document",
)
def policy_detail(request, policy_id: str):
    """One published document with its links and attachments."""
    pk = parse_id(policy_id)
    document = selectors.policy_for_public(pk) if pk else None
    if document is None:
        return Status(404, {"detail": _("没有找到该政策文件，它可能尚未发布或已被删除。")})
    return Status(
        200,
        {
            **_summary(document),
            "effective_on": document.effective_on.isoformat(),
            "body": document.body,
            "published_at": document.published_at.isoformat() if document.published_at else None,
            "replaced_by": _link(document.replaced_by),
            "explains": _link(document.explains),
            "interpretations": [
                _link(d) for d in document.interpretations.filter(is_published=True)
            ],
            "related_items": [
                {"code": i.code, "name": i.name, "url": f"/items/{i.code}/"}
                for i in document.related_items.filter(is_published=True)
            ],
            "related_regulations": [
                {"id": r.pk, "title": r.title, "url": f"/regulations/{r.pk}/"}
                for r in document.related_regulations.all()
            ],
            "attachments": [
                {
                    "name": a.name,
                    "size": a.size,
                    "url": f"/policies/{document.pk}/attachments/{a.pk}/",
                }
                for a in document.attachments.all()
            ],
        },
    )
