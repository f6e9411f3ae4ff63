"""Who is calling: a signed JWT on every request, checked by each service (defence in depth).

Production verifies tokens against the identity provider's JWKS (`AUTH_JWKS_URL`, RS256/ES256);
the embedded default uses a built-in development issuer with a shared HS256 secret, and
`python -m union_shared.auth mint ...` prints a token for trying the API by hand.

Claims: `sub` (who), `role` (one of Role), `unit` (the root of the unit subtree the caller may
act in; absent for platform-wide system clients, workers and applicants), `worker` (the caller's
own worker id, for the worker role), `name` (for the audit trail). An applicant's `sub` is their
account in the mobile app, the one thing their applications are keyed by.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar

import jwt
from fastapi import Depends, Request
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from union_shared.errors import DomainError, Forbidden

DEV_SECRET = "union-platform-development-only-secret-change-me"
DEV_ISSUER = "union-platform-dev"


class Role(StrEnum):
    CITY_ADMIN = "city_admin"
    DISTRICT_ADMIN = "district_admin"
    UNIT_HR = "unit_hr"
    PAYROLL_OFFICER = "payroll_officer"
    AUDITOR = "auditor"
    WORKER = "worker"
    SYSTEM = "system"
    # Platform operations: dead letters, replays, maintenance runs; sees no personal data unmasked.
    OPERATOR = "operator"
    # Someone applying for a post through the mobile app: not yet on the register, governing no
    # unit, they see their own applications and nothing else.
    APPLICANT = "applicant"


# Who may see resident ID numbers, phone numbers and bank accounts unmasked (within scope).
IDENTIFIER_READERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.UNIT_HR, Role.SYSTEM})
ADMINS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN})
HR_WRITERS = ADMINS | {Role.UNIT_HR}
# Roles that act platform-wide and so carry no unit claim.
UNSCOPED_ROLES = frozenset({Role.SYSTEM, Role.OPERATOR})
# Roles whose callers see only what is theirs, by their own id, and so carry no unit claim
# either: a worker their record (the `worker` claim), an applicant their applications (`sub`).
SELF_ONLY_ROLES = frozenset({Role.WORKER, Role.APPLICANT})
# Everyone who works on the platform, whoever may read data that is no one's (ladder
# policies); applicants come from outside and read only their own.
PLATFORM_USERS = frozenset(Role) - {Role.APPLICANT}
# Who reads a part of the unit tree (its units, workers, grades, runs): everyone governing or
# serving it, and system clients platform-wide. Operators run the platform, not the register.
TREE_READERS = HR_WRITERS | {Role.PAYROLL_OFFICER, Role.AUDITOR, Role.SYSTEM}
# Who reads one worker's record: the tree's readers, and the worker their own.
RECORD_READERS = TREE_READERS | {Role.WORKER}


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore")

    jwt_secret: str = DEV_SECRET
    jwks_url: str | None = None
    issuer: str = DEV_ISSUER
    audience: str = Field(
        default="union-platform", validation_alias=AliasChoices("AUTH_AUDIENCE", "audience")
    )


class Unauthenticated(DomainError):
    status, title, slug = 401, "Unauthenticated", "unauthenticated"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Caller:
    subject: str
    role: Role
    unit_id: str | None = None
    worker_id: str | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name or self.subject} ({self.role})"

    @property
    def sees_identifiers(self) -> bool:
        return self.role in IDENTIFIER_READERS

    def require(self, *roles: Role) -> Caller:
        if self.role not in roles:
            allowed = ", ".join(sorted(roles))
            raise Forbidden(f"role {self.role} may not do this (allowed: {allowed})")
        return self


@functools.cache
def _settings() -> AuthSettings:
    return AuthSettings()


@functools.cache
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True)


def decode_token(token: str, settings: AuthSettings | None = None) -> Caller:
    settings = settings or _settings()
    try:
        if settings.jwks_url:
            key = _jwks_client(settings.jwks_url).get_signing_key_from_jwt(token).key
            algorithms = ["RS256", "ES256"]
        else:
            key, algorithms = settings.jwt_secret, ["HS256"]
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=settings.audience,
            issuer=settings.issuer,
            options={"require": ["sub", "exp", "role"]},
        )
        role = Role(claims["role"])
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthenticated(f"invalid bearer token: {exc}") from exc
    if role is Role.WORKER and not claims.get("worker"):
        raise Unauthenticated("a worker token must name the worker")
    if role is Role.APPLICANT and (claims.get("unit") or claims.get("worker")):
        # Either claim would make an outsider look like staff or a worker to a careless check.
        raise Unauthenticated("an applicant token names no unit and no worker")
    if role not in (*UNSCOPED_ROLES, *SELF_ONLY_ROLES) and not claims.get("unit"):
        raise Unauthenticated(f"a {role} token must name the unit subtree it governs")
    return Caller(
        subject=str(claims["sub"]),
        role=role,
        unit_id=claims.get("unit"),
        worker_id=claims.get("worker"),
        name=str(claims.get("name", "")),
    )


def mint_token(
    subject: str,
    role: Role,
    *,
    unit_id: str | None = None,
    worker_id: str | None = None,
    name: str = "",
    ttl_s: int = 3600,
    settings: AuthSettings | None = None,
) -> str:
    """A token from the development issuer (tests and the embedded default only)."""
    settings = settings or _settings()
    now = int(time.time())
    claims = {
        "sub": subject,
        "role": str(role),
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + ttl_s,
        "name": name or subject,
    }
    if unit_id:
        claims["unit"] = unit_id
    if worker_id:
        claims["worker"] = worker_id
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


async def current_caller(request: Request) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("send 'Authorization: Bearer <token>'")
    caller = decode_token(token.strip())
    request.state.caller = caller
    return caller


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def allow(*roles: Role) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency that authenticates the caller and admits only these roles: a route that
    takes it says in its signature who may call it (scripts/lint_routes.py checks every route
    has a caller dependency)."""
    admitted = frozenset(roles)

    async def admitted_caller(caller: CurrentCaller) -> Caller:
        return caller.require(*admitted)

    admitted_caller.roles = admitted  # type: ignore[attr-defined]  # read by the route lint
    return admitted_caller


# The dead-letter and maintenance endpoints: operators, and system clients that automate them.
OperatorCaller = Annotated[Caller, Depends(allow(Role.OPERATOR, Role.SYSTEM))]
# The callers most routes take; each route's signature says who may call it.
AnyCaller = Annotated[Caller, Depends(allow(*PLATFORM_USERS))]  # data that is no one's: policies
TreeReader = Annotated[Caller, Depends(allow(*TREE_READERS))]
RecordReader = Annotated[Caller, Depends(allow(*RECORD_READERS))]
HrWriter = Annotated[Caller, Depends(allow(*HR_WRITERS))]
TreeAdmin = Annotated[Caller, Depends(allow(*ADMINS, Role.SYSTEM))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mint a development token.")
    sub = parser.add_subparsers(dest="command", required=True)
    mint = sub.add_parser("mint")
    mint.add_argument("--sub", default="dev")
    mint.add_argument("--role", required=True, choices=[r.value for r in Role])
    mint.add_argument("--unit")
    mint.add_argument("--worker")
    mint.add_argument("--ttl", type=int, default=8 * 3600)
    args = parser.parse_args(argv)
    print(
        mint_token(
            args.sub, Role(args.role), unit_id=args.unit, worker_id=args.worker, ttl_s=args.ttl
        )
    )


if __name__ == "__main__":
    main()
