"""Sections this column adds to other apps' pages (hall.core.navigation panels)."""

from .constants import GUIDE_SIZE, HOME_SIZE


def guide_panel(request, item=None, **_values):
    """The item guide: the item's current, published policies."""
    from . import selectors

    if item is None:
        return None
    found = selectors.current_policies_for_item(item, GUIDE_SIZE)
    return {"item_policies": found} if found else None


def home_panel(request, **_values):
    from . import selectors

    return {"latest_policies": selectors.newest(HOME_SIZE)}


def regulations_panel(request, **_values):
    return {}


def filing_panel(request, filing=None, **_values):
    """A filing of a policy document: what it points at, for the reviewer."""
    from .models import PolicyDocument
    from .selectors import policies_editable_by

    if filing is None or filing.object_type != PolicyDocument._meta.model_name:
        return None
    document = policies_editable_by(request.user).filter(pk=filing.object_id).first()
    return {"filed_policy": document}
