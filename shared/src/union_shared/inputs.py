"""Input rules every service applies to every request, whatever the field.

- Text: no control characters. A NUL is a 500 on PostgreSQL (SQLite stores it), and the others
  hide text from people reading it. JSON strings may hold tab, newline and carriage return;
  query and path values none at all.
- Dates: ISO `YYYY-MM-DD` strings only (`IsoDate`). Pydantic would otherwise read `0` as
  1970-01-01, so `{"closed_on": 0}` closed a unit in 1970. Instants likewise: ISO 8601 strings
  with a UTC offset only (`IsoDateTime`), from 2000 to 2099, stored in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

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
        for name, value in _query_items(request)
        if _IN_URL.search(name) or _IN_URL.search(value)
    ]
    problems += [
        FieldError(f"path.{name}", REASON)
        for name, value in request.path_params.items()
        if isinstance(value, str) and _IN_URL.search(value)
    ]
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await _json_body(request)
        problems += [
            FieldError(field, REASON)
            for field, text in _strings(body, "body")
            if _IN_JSON.search(text)
        ]
    if problems:
        raise InvalidInput(f"{problems[0].field}: {REASON}", errors=problems)


def _query_items(request: Request) -> list[tuple[str, str]]:
    # Most requests have no query string: then there is nothing to parse.
    return request.query_params.multi_items() if request.scope.get("query_string") else []


async def _json_body(request: Request) -> Any:
    """The body as JSON, None when empty or malformed (FastAPI answers a malformed body with
    its own 422). Starlette keeps what `request.json()` parsed, and FastAPI has parsed the body
    of a route that takes one before the dependencies run, so the body is parsed only once."""
    if not await request.body():
        return None
    try:
        return await request.json()
    except (ValueError, UnicodeDecodeError):
        return None


INPUT_RULES = Depends(refuse_control_characters)


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be an ISO date string, YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


_ISO_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
)


def _iso_instant(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_INSTANT.match(value):
        raise ValueError(
            "must be an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T09:00:00+08:00"
        )
    return value


def _in_utc(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2099:
        raise ValueError("must be between the years 2000 and 2099")
    return value.astimezone(UTC)


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_instant), AfterValidator(_in_utc)]
