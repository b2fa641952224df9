"""Complaints reached through the services, one trait per lifecycle state."""

import uuid

import factory

from hall.feedback import services
from hall.feedback.constants import Category, NotAcceptedReason, TargetKind
from hall.feedback.constants import ComplaintStatus as S
from hall.feedback.models import Complaint
from hall.org.models import Staff, User

# The moves from 已提交 to each state, by the county's supervisor.
PATHS = {
    S.SUBMITTED: (),
    S.ACCEPTED: (S.ACCEPTED,),
    S.NOT_ACCEPTED: (S.NOT_ACCEPTED,),
    S.INVESTIGATING: (S.ACCEPTED, S.INVESTIGATING),
    S.ANSWERED: (S.ACCEPTED, S.INVESTIGATING, S.ANSWERED),
    S.CLOSED: (S.ACCEPTED, S.INVESTIGATING, S.ANSWERED, S.CLOSED),
}


def clerk(username="kc_scjg_clerk") -> Staff:
    return Staff.objects.select_related("department__center", "window", "user").get(
        user__username=username
    )


def supervisor_for(complaint) -> User:
    return User.objects.get(
        username={"330802": "kc_supervisor"}.get(complaint.center.region_code, "city_supervisor")
    )


def move(complaint, to, actor):
    if to == S.ACCEPTED:
        return services.complaint_accept(complaint=complaint, actor=actor)
    if to == S.NOT_ACCEPTED:
        return services.complaint_not_accept(
            complaint=complaint, actor=actor, reason=NotAcceptedReason.NOT_A_COMPLAINT
        )
    if to == S.INVESTIGATING:
        return services.complaint_investigate(complaint=complaint, actor=actor)
    if to == S.ANSWERED:
        return services.complaint_answer(
            complaint=complaint, actor=actor, answer="经调查属实，已整改。", findings="属实。"
        )
    if to == S.CLOSED:
        return services.complaint_close(complaint=complaint, actor=actor)
    raise ValueError(to)


class ComplaintFactory(factory.Factory):
    """A complaint about a staff member (default: 柯城区's 余静), filed through
    the service, then moved to the state its trait names."""

    class Meta:
        model = Complaint

    staff = factory.LazyFunction(clerk)
    kind = TargetKind.STAFF
    category = Category.ATTITUDE
    description = factory.LazyFunction(
        lambda: f"窗口人员态度生硬，多次催促。{uuid.uuid4().hex[:6]}"
    )
    anonymous = False
    name = "赵小燕"
    phone = "13957012345"
    path = ()

    class Params:
        submitted = factory.Trait(path=PATHS[S.SUBMITTED])
        accepted = factory.Trait(path=PATHS[S.ACCEPTED])
        not_accepted = factory.Trait(path=PATHS[S.NOT_ACCEPTED])
        investigating = factory.Trait(path=PATHS[S.INVESTIGATING])
        answered = factory.Trait(path=PATHS[S.ANSWERED])
        closed = factory.Trait(path=PATHS[S.CLOSED])

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("a complaint exists only through the services: use create()")

    @classmethod
    def _create(cls, model_class, *, path, staff, kind, **kwargs):
        targets = {
            TargetKind.STAFF: {"staff": staff},
            TargetKind.DEPARTMENT: {"department": staff.department},
            TargetKind.WINDOW: {"window": staff.window},
        }
        complaint = services.complaint_file(kind=kind, **targets[kind], **kwargs)
        actor = supervisor_for(complaint)
        for to in path:
            move(complaint, to, actor)
        complaint.refresh_from_db()
        return complaint
