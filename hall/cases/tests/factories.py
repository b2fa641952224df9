"""Cases in any lifecycle state, reached the way real cases reach it.

`CaseFactory(item=…, accepted=True)` submits an application through
`case_submit` and then makes each move of the state's path through the named
service a person would use (the clerk of the item's department for the staff
moves, the applicant for resubmission and withdrawal). No status is ever
written by hand, so every case carries the history, the audit entries, the
clocks and the side rows (correction notice, special procedure, result) that
its state implies, and a change to a service or to the lifecycle shows up in
every test that uses a factory.

These live beside the tests: factory_boy is a test dependency.
"""

import uuid

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from hall.cases.constants import CaseStatus as S
from hall.cases.models import Case
from hall.cases.services import (
    Applicant,
    case_accept,
    case_approve,
    case_complete,
    case_refuse,
    case_reject,
    case_request_correction,
    case_resubmit,
    case_resume,
    case_submit,
    case_suspend,
    case_withdraw,
)
from hall.org.models import User


def _smallest_pdf() -> bytes:
    """A one-page PDF a parser reads without repair."""
    from hall.core.tests.hostile import _PAGES, _page, raw_pdf

    return raw_pdf(b"<</Type/Catalog/Pages 2 0 R>>", _PAGES, _page())


def _smallest_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (1, 1), (255, 255, 255, 0)).save(buf, "PNG")
    return buf.getvalue()


PDF_BYTES = _smallest_pdf()
PNG_BYTES = _smallest_png()


def clerk_of(department) -> User:
    """The first active window clerk of `department` (the demo has one each)."""
    clerk = (
        User.objects.filter(
            is_active=True, staff__department=department, staff__roles__kind="clerk"
        )
        .order_by("pk")
        .first()
    )
    if clerk is None:
        raise LookupError(f"no clerk in {department}")
    return clerk


def _first_online_material(case: Case):
    return case.item.materials.filter(submission="online").order_by("sort_order").first()


# ---- the moves, one per service ------------------------------------------------------
# Each takes the case and the clerk who would act on it.


def request_correction(case, clerk):
    material = _first_online_material(case)
    case_request_correction(
        case=case,
        actor=clerk,
        text="请按以下要求一次性补正后重新提交。",
        points=[(material, material.name, "缺少申请人签字，请签字后重新扫描上传。")],
    )


def resubmit(case, clerk):
    material = _first_online_material(case)
    case_resubmit(
        case=case,
        remarks="已按要求补签字。",
        form_data=None,
        files={material.pk: [SimpleUploadedFile("申请书（已签字）.pdf", PDF_BYTES)]},
        replace=set(),
    )


def accept(case, clerk):
    case_accept(case=case, actor=clerk)


def refuse(case, clerk):
    case_refuse(case=case, actor=clerk, reason="申请事项不属于本部门职权范围。")


def suspend(case, clerk):
    case_suspend(case=case, actor=clerk, kind="testing", reason="送检", expected_days=10)


def resume(case, clerk):
    case_resume(case=case, actor=clerk)


def approve(case, clerk):
    case_approve(case=case, actor=clerk, opinion="符合法定条件，准予许可。")


def reject(case, clerk):
    case_reject(case=case, actor=clerk, reason="经审查，申请不符合法定条件。")


def complete(case, clerk):
    case_complete(case=case, actor=clerk, certificate_number="JY13308000001", delivery="on_site")


def withdraw_by_applicant(case, clerk):
    case_withdraw(case=case, by_applicant=True, reason="申请人主动撤回")


def withdraw_by_clerk(case, clerk):
    case_withdraw(case=case, actor=clerk, reason="申请人书面申请撤回")


# The service that makes each move of the lifecycle table.
MOVES = {
    (S.SUBMITTED, S.CORRECTION_REQUESTED): request_correction,
    (S.SUBMITTED, S.ACCEPTED): accept,
    (S.SUBMITTED, S.NOT_ACCEPTED): refuse,
    (S.SUBMITTED, S.WITHDRAWN): withdraw_by_applicant,
    (S.CORRECTION_REQUESTED, S.SUBMITTED): resubmit,
    (S.CORRECTION_REQUESTED, S.WITHDRAWN): withdraw_by_applicant,
    (S.CORRECTION_REQUESTED, S.NOT_ACCEPTED): refuse,
    (S.ACCEPTED, S.SUSPENDED): suspend,
    (S.ACCEPTED, S.APPROVED): approve,
    (S.ACCEPTED, S.REJECTED): reject,
    (S.ACCEPTED, S.WITHDRAWN): withdraw_by_clerk,
    (S.SUSPENDED, S.ACCEPTED): resume,
    (S.APPROVED, S.COMPLETED): complete,
}

# Every service that leads into a status, whoever makes the move.
INTO = {
    status: sorted(
        {move for (_src, dst), move in MOVES.items() if dst == status}, key=lambda m: m.__name__
    )
    for status in S.values
}

# The way to each state from a fresh submission.
PATHS = {
    S.SUBMITTED: (),
    S.CORRECTION_REQUESTED: (S.CORRECTION_REQUESTED,),
    S.ACCEPTED: (S.ACCEPTED,),
    S.SUSPENDED: (S.ACCEPTED, S.SUSPENDED),
    S.APPROVED: (S.ACCEPTED, S.APPROVED),
    S.COMPLETED: (S.ACCEPTED, S.APPROVED, S.COMPLETED),
    S.NOT_ACCEPTED: (S.NOT_ACCEPTED,),
    S.REJECTED: (S.ACCEPTED, S.REJECTED),
    S.WITHDRAWN: (S.WITHDRAWN,),
}


def walk(case: Case, path, *, clerk) -> Case:
    """Make each move of `path` through its service; the case ends refreshed."""
    for status in path:
        MOVES[(case.status, status)](case, clerk)
        case.refresh_from_db()
    return case


class ApplicantFactory(factory.Factory):
    class Meta:
        model = Applicant

    kind = "person"
    name = "张三"
    id_type = "resident_id"
    id_number = "11010519491231002X"
    phone = "13857012345"


class CaseFactory(factory.Factory):
    """An online application of `item` (its first online material uploaded),
    then the moves to the state its trait names."""

    class Meta:
        model = Case

    item = None  # required: a published item that takes online applications
    applicant = factory.SubFactory(ApplicantFactory)
    form_data = factory.LazyFunction(lambda: {"shop_name": "张三小吃"})
    clerk = factory.LazyAttribute(lambda o: clerk_of(o.item.department) if o.item else None)
    path = ()

    class Params:
        submitted = factory.Trait(path=PATHS[S.SUBMITTED])
        resubmitted = factory.Trait(path=(S.CORRECTION_REQUESTED, S.SUBMITTED))
        correction_requested = factory.Trait(path=PATHS[S.CORRECTION_REQUESTED])
        accepted = factory.Trait(path=PATHS[S.ACCEPTED])
        suspended = factory.Trait(path=PATHS[S.SUSPENDED])
        approved = factory.Trait(path=PATHS[S.APPROVED])
        completed = factory.Trait(path=PATHS[S.COMPLETED])
        not_accepted = factory.Trait(path=PATHS[S.NOT_ACCEPTED])
        rejected = factory.Trait(path=PATHS[S.REJECTED])
        withdrawn = factory.Trait(path=PATHS[S.WITHDRAWN])

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("a case exists only through the services: use CaseFactory.create()")

    @classmethod
    def _create(cls, model_class, *, item, applicant, form_data, clerk, path):
        if item is None:
            raise TypeError("CaseFactory needs item=")
        material = item.materials.filter(submission="online").order_by("sort_order").first()
        case, _ = case_submit(
            item=item,
            applicant=applicant,
            form_data=form_data,
            files={material.pk: [SimpleUploadedFile("申请书.pdf", PDF_BYTES)]},
            submission_token=uuid.uuid4(),
        )
        return walk(case, path, clerk=clerk)
