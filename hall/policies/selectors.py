"""Reads with rules: what the public and each staff member see of the policies."""

from django.db.models import QuerySet

from hall.core.permissions import scoped

from .constants import PolicyStatus
from .models import PolicyDocument


def published_policies() -> QuerySet[PolicyDocument]:
    return PolicyDocument.objects.published().select_related("department", "center")


def policy_for_public(pk: int) -> PolicyDocument | None:
    return (
        published_policies()
        .select_related("replaced_by", "explains")
        .prefetch_related("attachments", "related_regulations")
        .filter(pk=pk)
        .first()
    )


def current_policies_for_item(item, limit: int) -> list[PolicyDocument]:
    """An item's current policies: published and 现行有效, newest first."""
    return list(
        published_policies()
        .filter(related_items=item, status=PolicyStatus.IN_FORCE)
        .only("title", "doc_number", "issued_on", "kind", "department__name", "center__short_name")
        .order_by("-issued_on", "-id")[:limit]
    )


def newest(limit: int) -> list[PolicyDocument]:
    return list(
        published_policies()
        .only(
            "title",
            "doc_number",
            "issued_on",
            "kind",
            "status",
            "department__name",
            "center__short_name",
        )
        .order_by("-issued_on", "-id")[:limit]
    )


def policies_editable_by(user) -> QuerySet[PolicyDocument]:
    """A department's own documents for its staff; a center's for its admins."""
    return scoped(PolicyDocument.objects.select_related("department", "center"), user)
