"""Access checks declared on views. Roles and their rights are data (org.Role)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def staff_scope(user):
    """The staff profile that scopes what `user` sees, or None.

    Duck-typed so that core does not import org: any profile offering
    `visible_center_ids()` and `department_id` will do.
    """
    return getattr(user, "staff", None)


def visible_center_ids(user) -> set[int] | None:
    """Center ids the user may see; None means all (a superuser)."""
    if user.is_superuser:
        return None
    staff = staff_scope(user)
    return staff.visible_center_ids() if staff is not None else set()


def staff_required(perm: str | None = None):
    """Login, a staff profile, and (optionally) one right.

    Anonymous visitors go to the login page; a signed-in user lacking the role
    gets 404, as for an object outside their scope: the page does not exist for them.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_superuser and staff_scope(user) is None:
                raise Http404
            if perm and not user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator


def scoped(qs, user, *, department: str = "department_id", center: str = "center_id"):
    """The organisation rule for every list of things staff see: a superuser
    sees all; a department-bound member their department's; a center-level
    member their center's and, for the city, its counties'. No profile, nothing."""
    if user.is_superuser:
        return qs
    staff = staff_scope(user)
    if staff is None:
        return qs.none()
    if staff.department_id is not None:
        return qs.filter(**{department: staff.department_id})
    return qs.filter(**{f"{center}__in": staff.visible_center_ids()})
