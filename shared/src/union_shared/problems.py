"""RFC 9457 problem details: domain errors carry their status; one handler renders them all."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

from union_shared.errors import Conflict, DomainError, InvalidInput, RuleBroken

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
# Where Starlette's body limit keeps the request's byte counter (starlette.middleware.body_limit).
_BODY_LIMIT_RESPONDER_SCOPE_KEY = "starlette._body_limit_responder"


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. body.resident_id.")
    reason: str


class Problem(BaseModel):
    """RFC 9457 problem details, with `errors` listing each bad field."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldProblem] = Field(default_factory=list)
    request_id: str | None = None


def problem_response(request: Request, problem: Problem, headers: Any = None) -> JSONResponse:
    problem.instance = problem.instance or request.url.path
    problem.request_id = getattr(request.state, "request_id", None)
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            request,
            Problem(
                type=f"/problems/{exc.slug}",
                title=exc.title,
                status=exc.status,
                detail=exc.detail,
                errors=[FieldProblem(field=e.field, reason=e.reason) for e in exc.errors],
            ),
            headers=exc.headers,
        )

    @app.exception_handler(RuleBroken)
    async def _rule(request: Request, exc: RuleBroken) -> JSONResponse:
        if exc.field is None:
            return await _domain(request, Conflict(exc.reason))
        return await _domain(request, InvalidInput.on_field(f"body.{exc.field}", exc.reason))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldProblem(field=_field_path(err["loc"]), reason=err["msg"]) for err in exc.errors()
        ]
        return problem_response(
            request,
            Problem(
                type="/problems/invalid-input",
                title="Invalid input",
                status=422,
                detail=f"{len(errors)} field(s) failed validation",
                errors=errors,
            ),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(
            request,
            Problem(title=_reason(exc.status_code), status=exc.status_code, detail=str(exc.detail)),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(413)
    async def _too_large(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # The body limit (FastAPI's max_body_size) raised this at the first read past it, or at
        # the first read at all when Content-Length announced more. For the latter Starlette
        # would swap any reply, this one too, for its own plain-text 413 as the reply starts:
        # it is told the announced length has its answer. The body stays unread either way.
        limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
        responder = request.scope.get(_BODY_LIMIT_RESPONDER_SCOPE_KEY)
        if responder is not None and hasattr(responder, "content_length"):
            responder.content_length = None
        reason = f"larger than the {limit:,} bytes this endpoint accepts" if limit else str(exc)
        return problem_response(
            request,
            Problem(
                type="/problems/content-too-large",
                title="Content too large",
                status=413,
                detail=f"The request body is {reason}.",
                errors=[FieldProblem(field="body", reason=reason)],
            ),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # Checks run before writes; reaching a constraint means a concurrent request won a race.
        log.warning("request.integrity_conflict", error=str(exc.orig))
        return problem_response(
            request,
            Problem(
                type="/problems/conflict",
                title="Conflict",
                status=409,
                detail="A concurrent change got there first; nothing was written. Retry.",
            ),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request.unhandled_error", error=repr(exc))
        return problem_response(
            request,
            Problem(
                title="Internal server error",
                status=500,
                detail="An unexpected error occurred; quote the request id when reporting it.",
            ),
        )


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
