"""Every write of the column: a question asked, routed, answered, reviewed,
published or kept private, promoted to an item's FAQ. Each staff move checks
its actor's right and scope here, where the write happens."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.cases import querynumbers
from hall.core import ratelimit
from hall.core.services import log_action
from hall.workdays.services import current_calendar

from . import deadlines, masking, matters, selectors, workflow
from .constants import QuestionStatus as S
from .errors import AskLimited, QuestionError, QuestionForbidden
from .models import Question
from .search import INDEX

# ---- asking ----------------------------------------------------------------------


def text_hash(subject: str, question: str) -> str:
    """The same words, however spaced or in whichever width, give the same digest."""
    text = unicodedata.normalize("NFKC", f"{subject}\n{question}").lower()
    text = re.sub(r"\s+", "", text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ask_limit_hit(client: str) -> None:
    """Count one try to ask from `client` (page and API alike, before the form is
    read); AskLimited once over QA_ASK_LIMIT_PER_CLIENT."""
    limit, window = settings.QA_ASK_LIMIT_PER_CLIENT
    if not ratelimit.hit("qa-ask", client, limit=limit, window=window):
        raise AskLimited(
            _("提问过于频繁，请稍后再试。如有急事，请拨打中心咨询电话。"),
            retry_after=ratelimit.retry_after(window),
        )


def is_duplicate(subject: str, question: str) -> bool:
    since = timezone.now() - timedelta(days=settings.QA_DUPLICATE_DAYS)
    return Question.objects.filter(
        text_hash=text_hash(subject, question), asked_at__gte=since
    ).exists()


DUPLICATE = _("相同内容的问题已经提交过，请勿重复提交。可凭问题编号和手机号查看答复。")


@transaction.atomic
def question_ask(
    *, center, department, subject: str, question: str, name: str, phone: str, may_publish: bool
) -> Question:
    """File a question (values checked by AskForm): its number and its due date."""
    if department is not None and department.center_id != center.pk:
        raise QuestionError(_("所选部门不属于该中心。"))
    if is_duplicate(subject, question):
        raise QuestionError(DUPLICATE)
    now = timezone.now()
    due = deadlines.due_on(
        current_calendar(), timezone.localdate(now), selectors.answer_days(center)
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                row = Question.objects.create(
                    center=center,
                    department=department,
                    number=querynumbers.generate(),
                    subject=subject,
                    question=question,
                    name=name,
                    phone=phone,
                    may_publish=may_publish,
                    text_hash=text_hash(subject, question),
                    status=S.OPEN if department is not None else S.ROUTING,
                    asked_at=now,
                    due_on=due.due,
                )
            break
        except IntegrityError:  # a number drawn twice: draw again
            continue
    else:  # pragma: no cover
        raise QuestionError(_("系统繁忙，请稍后再试。"))
    log_action(
        None,
        "qa.ask",
        row,
        {"department": department.pk if department else None},
        actor_name=_("提问人"),
    )
    return row


# ---- the asker's lookup ----------------------------------------------------------


@dataclass
class Lookup:
    question: Question | None = None
    limited: bool = False
    retry_after: int = 0


def question_lookup(*, client: str, number: str, phone: str) -> Lookup:
    """Number + whole phone, held to the limits of the cases' lookup: every
    lookup counts against the client (the same budget as the case lookup), every
    miss against the client and the pair (client, number). A wrong phone and an
    unknown number are the same miss."""
    number = querynumbers.normalise(number)
    per_client, window = settings.LOOKUP_LIMIT_PER_CLIENT
    if not ratelimit.hit("lookup-ip", client, limit=per_client, window=window):
        return Lookup(limited=True, retry_after=ratelimit.retry_after(window))
    misses = [
        ("lookup-miss-ip", client, settings.LOOKUP_MISSES_PER_CLIENT),
        ("qa-miss-pair", f"{client}|{number[:20]}", settings.LOOKUP_MISSES_PER_CLIENT_NUMBER),
    ]
    for scope, ident, (limit, win) in misses:
        if ratelimit.exceeded(scope, ident, limit=limit, window=win):
            return Lookup(limited=True, retry_after=ratelimit.retry_after(win))
    phone = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", phone or ""))[:20]
    found = None
    if querynumbers.is_valid(number) and phone:
        found = (
            Question.objects.select_related("department", "center")
            .filter(number=number, phone=phone)
            .first()
        )
    if found is None:
        for scope, ident, (limit, win) in misses:
            ratelimit.hit(scope, ident, limit=limit, window=win)
    return Lookup(question=found)


# ---- staff moves ------------------------------------------------------------------


def check_actor(actor, question: Question | None, right: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise QuestionForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise QuestionForbidden(_("您没有办理网上答疑的该项权限。"))
    if (
        question is not None
        and not selectors.questions_visible_to(actor).filter(pk=question.pk).exists()
    ):
        raise QuestionForbidden(_("该问题不在您的办理范围内。"))


def _move(*, question: Question, to: str, actor, reason: str = "", sources=None, **fields):
    """Lock the row, check the move against the table and the actor's right and
    scope, write the fields and the audit entry."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    src = locked.status
    right = workflow.right_for(src, to)
    if right is None or (sources is not None and src not in sources):
        raise QuestionError(
            _("问题当前状态为“%(src)s”，不能变更为“%(dst)s”。页面可能已过期，请刷新后再试。")
            % {"src": S(src).label, "dst": S(to).label}
        )
    check_actor(actor, locked, right)
    reason = (reason or "").strip()
    if (src, to) in workflow.REASON_REQUIRED and not reason:
        raise QuestionError(_("请填写理由。"))
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    log_action(
        actor,
        f"qa.{to}",
        locked,
        {"from": src, "to": to, "reason": reason[:500], "department": locked.department_id},
    )
    if S.PUBLISHED in (src, to):
        transaction.on_commit(INDEX.changed)
    question.__dict__.update({f: getattr(locked, f) for f in ["status", *fields]})
    return question


def _clean_text(value: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise QuestionError(_("请填写%(label)s。") % {"label": label})
    if len(value) > max_length:
        raise QuestionError(
            _("%(label)s不能超过 %(max)d 个字。") % {"label": label, "max": max_length}
        )
    return value


@transaction.atomic
def question_route(*, question: Question, actor, department) -> Question:
    """Route an unrouted question, or re-route a misplaced one, to `department`."""
    if department.center_id != question.center_id:
        raise QuestionError(_("只能分派给本中心的部门。"))
    if department.pk == question.department_id and question.status == S.OPEN:
        raise QuestionError(_("该问题已在这个部门。"))
    return _move(
        question=question,
        to=S.OPEN,
        actor=actor,
        sources={S.ROUTING, S.OPEN},
        department=department,
    )


@transaction.atomic
def question_send_back(*, question: Question, actor, reason: str) -> Question:
    """The department says the question is not theirs: back to the dispatcher."""
    return _move(question=question, to=S.ROUTING, actor=actor, reason=reason, department=None)


def _answered(question: Question) -> None:
    from hall.notifications.services import notification_for_question

    notification_for_question(question=question)


@transaction.atomic
def question_answer(*, question: Question, actor, text: str) -> Question:
    from .constants import ANSWER_MAX

    text = _clean_text(text, _("答复内容"), ANSWER_MAX)
    _move(
        question=question,
        to=S.ANSWERED,
        actor=actor,
        sources={S.OPEN},
        answer=text,
        answered_by=actor,
        answered_at=timezone.now(),
    )
    _answered(question)
    return question


@transaction.atomic
def question_refer(*, question: Question, actor, code: str, note: str = "") -> Question:
    """A matter no window handles: the center answers with where to turn."""
    from .constants import ANSWER_MAX

    found = matters.matter(code)
    if found is None:
        raise QuestionError(_("请从列表中选择非窗口事项。"))
    text = found["referral"]
    note = (note or "").strip()
    if note:
        text = f"{text}\n{note}"
    _move(
        question=question,
        to=S.ANSWERED,
        actor=actor,
        sources={S.ROUTING},
        answer=text[:ANSWER_MAX],
        answered_by=actor,
        answered_at=timezone.now(),
        referral=found["matter"],
    )
    _answered(question)
    return question


def masked_draft(question: Question) -> tuple[str, str]:
    """The wording the review starts from: personal data masked."""
    names = [question.name] if question.name else []
    return (
        masking.mask(question.subject, names=names),
        masking.mask(question.question, names=names),
    )


@transaction.atomic
def question_publish(*, question: Question, actor, subject: str, text: str) -> Question:
    """Publish the reviewed wording; the asker's original stays as it was. What
    the reviewer left unmasked is masked again: the column never shows an ID
    number or a phone."""
    from .constants import QUESTION_MAX, SUBJECT_MAX

    if not question.may_publish:
        raise QuestionError(_("提问人未同意公开，该问题只能不公开。"))
    names = [question.name] if question.name else []
    subject = masking.mask(_clean_text(subject, _("公开主题"), SUBJECT_MAX), names=names)
    text = masking.mask(_clean_text(text, _("公开问题"), QUESTION_MAX), names=names)
    return _move(
        question=question,
        to=S.PUBLISHED,
        actor=actor,
        published_subject=subject[:SUBJECT_MAX],
        published_question=text,
        published_at=timezone.now(),
        reviewed_by=actor,
        private_reason="",
    )


@transaction.atomic
def question_keep_private(*, question: Question, actor, reason: str) -> Question:
    from .constants import REASON_MAX

    reason = _clean_text(reason, _("不公开理由"), REASON_MAX)
    return _move(
        question=question,
        to=S.PRIVATE,
        actor=actor,
        reason=reason,
        private_reason=reason,
        reviewed_by=actor,
    )


@transaction.atomic
def question_promote_faq(*, question: Question, actor, item):
    """Add the published question and its answer to an item's FAQ, through the
    catalogue's item update: a new version of the guide, filed with the center."""
    from hall.catalogue.models import ItemFAQ
    from hall.catalogue.services import CatalogueForbidden, item_update

    from .constants import RIGHT_PUBLISH

    check_actor(actor, question, RIGHT_PUBLISH)
    if question.status != S.PUBLISHED:
        raise QuestionError(_("只有已公开的问答可以加入事项的常见问题。"))
    if item.faqs.filter(question=question.published_subject[:200]).exists():
        raise QuestionError(_("该事项的常见问题中已有这一条。"))

    def write_related(item):
        last = item.faqs.order_by("-sort_order").values_list("sort_order", flat=True).first()
        ItemFAQ.objects.create(
            item=item,
            question=question.published_subject[:200],
            answer=question.answer,
            sort_order=(last or 0) + 1,
        )

    try:
        filing = item_update(
            actor=actor,
            item=item,
            write_related=write_related,
            note=_("由网上答疑 %(n)s 加入常见问题") % {"n": question.display_number},
        )
    except CatalogueForbidden as exc:
        raise QuestionForbidden(str(exc)) from exc
    log_action(actor, "qa.promote_faq", question, {"item": item.code})
    return filing
