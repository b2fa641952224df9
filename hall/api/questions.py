"""The Q&A column over the API: the published Q&As, asking, the asker's answer."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from hall.core import ratelimit
from hall.core.textsearch import normalise_query
from hall.org.models import Center, Department
from hall.qa import selectors, services
from hall.qa.errors import AskLimited, QuestionError
from hall.qa.forms import AskForm, started_token
from hall.qa.search import INDEX

router = Router(tags=["网上答疑 questions"])


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


class QaSummary(Schema):
    id: int
    subject: str
    department: str
    published_at: str
    url: str


class QaList(Schema):
    count: int
    query: str
    results: list[QaSummary]


class AskIn(Schema):
    subject: str
    question: str
    phone: str
    department: int | None = None
    name: str = ""
    may_publish: bool = True
    center: int | None = None


class AskOut(Schema):
    number: str
    status: str
    due_on: str


class AnswerOut(Schema):
    number: str
    subject: str
    status: str
    answered: bool
    answer: str
    answered_at: str | None
    due_on: str


@router.get("", response=QaList, summary="已公开的答疑 Published Q&As")
def list_questions(
    request, q: str = "", department: int | None = None, limit: int = 20, offset: int = 0
):
    """Newest first; `q` searches subjects, departments, questions and answers;
    `department` narrows to a department id."""
    limit = max(1, min(limit, 100))
    offset = max(0, min(offset, 1_000_000))
    query = normalise_query(q[:200])
    if department is not None and not (0 < department < 2**63):
        department = None
    if query:
        where = (lambda e: e.data["department_id"] == department) if department else None
        found = INDEX.search(query, limit=None, where=where)
        rows = [
            {
                "id": h.entry.pk,
                "subject": h.entry.title,
                "department": h.entry.data["department"],
                "published_at": h.entry.data["date"],
                "url": h.entry.url,
            }
            for h in found.hits[offset : offset + limit]
        ]
        return {"count": found.total, "query": query, "results": rows}
    qs = selectors.published()
    if department:
        qs = qs.filter(department_id=department)
    return {
        "count": qs.count(),
        "query": query,
        "results": [
            {
                "id": x.pk,
                "subject": x.shown_subject,
                "department": x.department_name or x.center.name,
                "published_at": x.published_at.date().isoformat(),
                "url": f"/qa/{x.pk}/",
            }
            for x in qs[offset : offset + limit]
        ],
    }


@router.post(
    "", response={201: AskOut, 400: ErrorOut, 429: ErrorOut}, summary="提问 Ask a question"
)
def ask_question(request: HttpRequest, response: HttpResponse, payload: AskIn):
    """Ask a question; 201 with its number. The same checks as the page (and the
    same per-client limit); the same text twice is refused."""
    try:
        services.ask_limit_hit(ratelimit.client_ip(request))
    except AskLimited as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, {"detail": str(exc)})
    centers = Center.objects.order_by("sort_order")
    center = (
        centers.filter(pk=payload.center).first()
        if payload.center and 0 < payload.center < 2**63
        else None
    ) or centers.filter(parent__isnull=True).first()
    department = ""
    if payload.department is not None:
        if (
            not (0 < payload.department < 2**63)
            or not Department.objects.filter(pk=payload.department, center=center).exists()
        ):
            return Status(
                400,
                {
                    "detail": _("请求参数有误，请检查后重试。"),
                    "errors": [{"field": "department", "message": _("所选部门不属于该中心。")}],
                },
            )
        department = str(payload.department)
    form = AskForm(
        {
            "department": department,
            "subject": payload.subject,
            "question": payload.question,
            "name": payload.name,
            "phone": payload.phone,
            "may_publish": "on" if payload.may_publish else "",
            "started": started_token(),
        },
        center=center,
    )
    # The API has no page to fill: the least time to fill does not apply.
    form.api = True
    if not form.is_valid():
        errors = [
            {"field": f if f != "__all__" else "", "message": str(m)}
            for f, ms in form.errors.items()
            for m in ms
        ]
        return Status(400, {"detail": _("请求参数有误，请检查后重试。"), "errors": errors})
    d = form.cleaned_data
    try:
        question = services.question_ask(
            center=center,
            department=d["department"],
            subject=d["subject"],
            question=d["question"],
            name=d["name"],
            phone=d["phone"],
            may_publish=d["may_publish"],
        )
    except QuestionError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        201,
        {
            "number": question.display_number,
            "status": question.status,
            "due_on": question.due_on.isoformat(),
        },
    )


SAME_ANSWER = "没有找到与该编号和手机号匹配的问题，请核对后重试。"


@router.get(
    "/{number}",
    response={200: AnswerOut, 404: ErrorOut, 429: ErrorOut},
    summary="查看答复 The asker's answer",
)
def question_answer(request: HttpRequest, response: HttpResponse, number: str, phone: str = ""):
    """The asker's question and answer, by number and the whole phone number.
    A wrong phone and an unknown number get the same 404."""
    found = services.question_lookup(
        client=ratelimit.client_ip(request), number=number, phone=phone
    )
    if found.limited:
        response["Retry-After"] = str(found.retry_after)
        return Status(429, {"detail": _("查询过于频繁，请稍后再试。")})
    q = found.question
    if q is None:
        return Status(404, {"detail": _(SAME_ANSWER)})
    return {
        "number": q.display_number,
        "subject": q.subject,
        "status": q.status,
        "answered": bool(q.answer),
        "answer": q.answer,
        "answered_at": q.answered_at.isoformat() if q.answered_at else None,
        "due_on": q.due_on.isoformat(),
    }
