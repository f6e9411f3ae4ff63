"""Score imports (all or nothing, with a dry run) and scorers' declared relations (回避).

An import is checked whole before anything is written: every problem of every row is reported
at once, named `file.row.<n>.<column>`, and one problem stores nothing. A stored import upserts
one Score per row that is new or changed, all under one import id, and leaves one audit entry
with the counts (never a person's score)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications.domain import ApplicationStatus
from recruitment.campaigns import service as campaigns
from recruitment.ids import new_id
from recruitment.models import Application, Campaign, Score, ScorerRelation
from recruitment.rules.masking import resident_id_problem
from recruitment.scope import caller_scope, require_runs
from recruitment.scores import domain, parsing, repository
from recruitment.scores.domain import Line, Outcome, Result, RowError
from recruitment.scores.kinds import ScoreKind
from recruitment.scores.schemas import (
    ImportCounts,
    RelationCreate,
    RelationRead,
    ReportRow,
    ScoreImportReport,
)
from union_shared.audit import record_audit
from union_shared.auth import ADMINS, Caller, Role
from union_shared.errors import Conflict, DomainError, FieldError, Forbidden, InvalidInput
from union_shared.identifiers import mask_text
from union_shared.resident_id import InvalidResidentId, keyed_hash, parse_resident_id
from union_shared.spreadsheets import SheetRejected, SheetTooLarge


class ImportTooLarge(DomainError):
    status, title, slug = 413, "Content too large", "import-too-large"


class DuplicateRelation(Conflict):
    slug = "duplicate-relation"


async def import_scores(
    session: AsyncSession, caller: Caller, campaign_id: str, kind: ScoreKind, content: bytes,
    filename: str | None, *, dry_run: bool, now: datetime,
) -> ScoreImportReport:  # fmt: skip
    campaign = await campaigns.run_by(session, caller, campaign_id)
    rules = await campaigns.rules_of(session, campaign)
    lines, errors, rows = await _read(content, filename, kind, rules.max_score)
    applications = await repository.applications(session, [x.application_id for x in lines])
    declared = {(r.scorer_subject, r.id_hash)
                for r in await repository.relations(session, campaign.id)}  # fmt: skip
    gone = await repository.withdrawn_postings(session, campaign.id)
    for line in lines:
        errors.extend(_applicant_errors(line, applications.get(line.application_id), campaign,
                                        kind, declared, caller, gone))  # fmt: skip
    if errors:
        raise _refusal(errors, rows)
    recorded = await repository.scores(session, [x.application_id for x in lines], kind.value)
    report = [_report_row(line, recorded.get(line.application_id)) for line in lines]
    import_id = None if dry_run else new_id()
    if import_id is not None:
        await _store(session, caller, lines, report, recorded, kind, import_id, now)
        await record_audit(session, caller, "scores.imported", "campaign", campaign.id,
                           changes={"kind": kind.value, "import_id": import_id,
                                    "rows": len(report), **_counts(report).model_dump()})  # fmt: skip
    return ScoreImportReport(
        campaign_id=campaign.id, kind=kind, dry_run=dry_run, import_id=import_id,
        counts=_counts(report), rows=report,
    )  # fmt: skip


async def _read(
    content: bytes, filename: str | None, kind: ScoreKind, max_score: Decimal
) -> tuple[list[Line], list[RowError], int]:
    # Reading 20,000 rows takes a second of CPU: off the event loop, so other requests go on.
    try:
        return await asyncio.to_thread(parsing.read_lines, content, filename, kind, max_score)
    except SheetTooLarge as exc:
        raise ImportTooLarge.on_field(exc.field, exc.reason) from None
    except SheetRejected as exc:
        raise InvalidInput.on_field(exc.field, exc.reason) from None


def _applicant_errors(
    line: Line, application: Application | None, campaign: Campaign, kind: ScoreKind,
    declared: set[tuple[str, str]], caller: Caller, gone: set[str],
) -> list[RowError]:  # fmt: skip
    if application is None or application.campaign_id != campaign.id:
        reason = f"no application {line.application_id} in this campaign"
        return [RowError(line.row, "application_id", reason)]
    if application.posting_id in gone:
        reason = "the applicant's posting was cut from the campaign: it takes no results"
        return [RowError(line.row, "application_id", reason)]
    status = ApplicationStatus(application.status)
    problem = domain.stage_problem(kind, status, application.run_off_needed)
    if problem is not None:
        return [RowError(line.row, "application_id", problem)]
    scorer = line.scorer or caller.subject
    if (scorer, application.id_hash) in declared:
        reason = (f"recusal (回避): scorer {scorer} declared a relation to this applicant and "
                  "may not score them")  # fmt: skip
        return [RowError(line.row, "scorer", reason)]
    return []


def _refusal(errors: list[RowError], rows: int) -> InvalidInput:
    order = {column: i for i, column in enumerate(domain.COLUMNS)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    bad = len({e.row for e in errors})
    return InvalidInput(
        f"{bad} of {rows} rows have problems ({len(errors)} in all); nothing was imported",
        # A reason quotes the cell; a resident ID typed where the application number belongs
        # is masked in it, as anywhere else it is shown.
        errors=[FieldError(f"file.row.{e.row}.{e.column}", mask_text(e.reason)) for e in errors],
    )


def _recorded(score: Score | None) -> Result | None:
    if score is None:
        return None
    value = None if score.value is None else Decimal(score.value).quantize(domain.CENT)
    return Result(value=value, passed=score.passed, reason=score.reason)


def _report_row(line: Line, score: Score | None) -> ReportRow:
    old = _recorded(score)
    return ReportRow(
        row=line.row, application_id=line.application_id,
        old=None if old is None else old.shown(), new=line.result.shown(),
        reason=line.result.reason, outcome=domain.outcome(old, line.result),
    )  # fmt: skip


def _counts(report: list[ReportRow]) -> ImportCounts:
    return ImportCounts(**{o.value: sum(r.outcome is o for r in report) for o in Outcome})


async def _store(
    session: AsyncSession, caller: Caller, lines: list[Line], report: list[ReportRow],
    recorded: dict[str, Score], kind: ScoreKind, import_id: str, now: datetime,
) -> None:  # fmt: skip
    """Write the new and changed rows; an unchanged one keeps when and by whom it was made."""
    added = []
    for line, row in zip(lines, report, strict=True):
        if row.outcome is Outcome.UNCHANGED:
            continue
        score = recorded.get(line.application_id)
        if score is None:
            score = Score(application_id=line.application_id, kind=kind.value)
            added.append(score)
        score.value, score.passed = line.result.value, line.result.passed
        score.reason, score.scorer = line.result.reason, line.scorer or caller.subject
        score.import_id, score.recorded_at = import_id, now
    await repository.add_all(session, added)


# --- recusal ------------------------------------------------------------------------------------


async def declare_relation(
    session: AsyncSession, caller: Caller, campaign_id: str, body: RelationCreate,
    hash_key: bytes, now: datetime,
) -> ScorerRelation:  # fmt: skip
    """A scorer declares their own relation to a person; those running the campaign may
    declare one for a named scorer. Only the keyed hash of the person's number is kept."""
    campaign = await campaigns.seen(session, caller, campaign_id)
    scorer = body.scorer_subject or caller.subject
    if scorer != caller.subject:
        if caller.role not in ADMINS | {Role.SYSTEM}:
            raise Forbidden("only those running the campaign may declare for another scorer")
        require_runs(await caller_scope(session, caller), campaign)
    try:
        person = parse_resident_id(body.resident_id, as_of=now.date())
    except InvalidResidentId as exc:
        raise InvalidInput.on_field("body.resident_id", resident_id_problem(exc)) from None
    row = ScorerRelation(
        id=new_id(), campaign_id=campaign.id, scorer_subject=scorer,
        id_hash=keyed_hash(person.number, hash_key), kind=body.kind.value,
        declared_by=caller.label, declared_at=now,
    )  # fmt: skip
    if not await repository.add_relation(session, row):
        raise DuplicateRelation(f"{scorer} has already declared a relation to this person")
    await record_audit(session, caller, "scorer_relation.declared", "campaign", campaign.id,
                       changes={"scorer": scorer, "kind": body.kind.value})  # fmt: skip
    return row


async def relations(session: AsyncSession, caller: Caller, campaign_id: str) -> list[RelationRead]:
    """Every declared relation of the campaign, with the application of the person named
    where they applied: for those running the campaign."""
    campaign = await campaigns.found(session, campaign_id)
    require_runs(await caller_scope(session, caller), campaign)
    rows = await repository.relations(session, campaign.id)
    matched = await repository.applications_of_people(
        session, campaign.id, sorted({r.id_hash for r in rows})
    )
    return [
        RelationRead.model_validate(r).model_copy(update={"application_id": matched.get(r.id_hash)})
        for r in rows
    ]
