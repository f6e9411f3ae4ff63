"""Input rules every service applies to every request, whatever the field.

- Text: no control characters. A NUL is a 500 on PostgreSQL (SQLite stores it), and the others
  hide text from people reading it. JSON strings may hold tab, newline and carriage return;
  query and path values none at all.
- Dates: ISO `YYYY-MM-DD` strings only (`IsoDate`). Pydantic would otherwise read `0` as
  1970-01-01, so `{"closed_on": 0}` closed a unit in 1970.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BeforeValidator

from union_shared.errors import FieldError, InvalidInput

_IN_JSON = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REASON = "must not contain control characters"


def _strings(value: Any, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, f"{where}.{key}")
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}.{i}")


async def refuse_control_characters(request: Request) -> None:
    problems = [
        FieldError(f"query.{name}", REASON)
        for name, value in request.query_params.multi_items()
        if _IN_URL.search(name) or _IN_URL.search(value)
    ]
    problems += [
        FieldError(f"path.{name}", REASON)
        for name, value in request.path_params.items()
        if isinstance(value, str) and _IN_URL.search(value)
    ]
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None  # FastAPI answers a malformed body with its own 422
        problems += [
            FieldError(field, REASON)
            for field, text in _strings(body, "body")
            if _IN_JSON.search(text)
        ]
    if problems:
        raise InvalidInput(f"{problems[0].field}: {REASON}", errors=problems)


INPUT_RULES = Depends(refuse_control_characters)


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be an ISO date string, YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
