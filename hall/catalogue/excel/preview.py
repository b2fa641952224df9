"""What an upload would do, and keeping it in the session between the upload
and the confirmation."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from .columns import VALUE_FIELDS

MAX_SHOWN_ERRORS = 500
PENDING_KEY = "catalogue_import_pending"
PENDING_MAX_AGE = 3600  # seconds a preview stays confirmable


@dataclass
class ImportPreview:
    """What an upload would do, row by row, or why it cannot be imported.

    Each row: {"row", "code", "name", "department", "department_id", "action"
    ("create" | "update" | "unchanged"), "item_id", "version", "changes" (the
    headers of what changes), "values" (cleaned field values), "materials"
    (the item's new materials, or None to leave them alone)}.
    """

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    token: str = ""
    materials: bool = False  # the file carries a 申报材料 sheet that replaces materials

    @property
    def created_count(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "create")

    @property
    def updated_count(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "update")

    @property
    def unchanged_count(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "unchanged")

    @property
    def shown_errors(self) -> list[tuple[int, str, str]]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def hidden_error_count(self) -> int:
        return max(0, len(self.errors) - MAX_SHOWN_ERRORS)


def store_pending(
    request, preview: ImportPreview, *, key: str = PENDING_KEY, value_fields=VALUE_FIELDS
) -> str:
    """Keep a valid preview in the session (one per `key`) and return its token.

    Rows of the catalogue keep only what they change (`value_fields`); another
    import (the agency directory's) passes its own key and None to keep its rows
    whole. Everything kept must be JSON (dates as ISO text)."""
    if preview.errors:
        raise ValueError("a preview with errors cannot be imported")
    token = secrets.token_urlsafe(16)
    rows = []
    for row in preview.rows:
        kept = dict(row)
        if value_fields is None:
            pass
        elif row["action"] == "unchanged":
            kept["values"], kept["materials"] = {}, None
        elif row["action"] == "update":
            kept["values"] = {f: row["values"][f] for f in row["changes"] if f in value_fields}
        rows.append(kept)
    request.session[key] = {
        "token": token,
        "user": request.user.pk,
        "created": int(time.time()),
        "materials": preview.materials,
        "rows": rows,
    }
    return token


def load_pending(request, token: str, *, key: str = PENDING_KEY) -> ImportPreview | None:
    data = request.session.get(key)
    if not data or not token or not isinstance(token, str):
        return None
    if not secrets.compare_digest(str(data.get("token", "")), token):
        return None
    if (
        data.get("user") != request.user.pk
        or time.time() - data.get("created", 0) > PENDING_MAX_AGE
    ):
        return None
    return ImportPreview(rows=data["rows"], errors=[], token=token, materials=data["materials"])


def drop_pending(request, token: str, *, key: str = PENDING_KEY) -> None:
    data = request.session.get(key)
    if data and token and secrets.compare_digest(str(data.get("token", "")), str(token)):
        del request.session[key]
