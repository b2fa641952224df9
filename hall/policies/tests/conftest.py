import pytest
from django.utils import timezone

from hall.policies.models import PolicyDocument
from hall.policies.search import INDEX


@pytest.fixture
def make_policy(db):
    """A stored document of `department` (published unless told), made directly:
    the services are what the service tests exercise."""

    def make(department, title, *, published=True, items=(), **fields):
        values = {
            "doc_number": "",
            "issuer": department.name,
            "kind": "normative",
            "issued_on": "2024-03-01",
            "effective_on": "2024-04-01",
            "status": "in_force",
            "body": "第一条 为了规范管理，制定本办法。",
            **fields,
        }
        document = PolicyDocument(
            center=department.center,
            department=department,
            title=title,
            is_published=published,
            published_at=timezone.now() if published else None,
            **values,
        )
        document.full_clean()
        document.save()
        if items:
            document.related_items.set(items)
        INDEX.changed()
        return document

    return make
