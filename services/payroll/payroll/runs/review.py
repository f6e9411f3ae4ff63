"""What a reviewer looks at before approving: differences against last month, and anomalies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from payroll.adjustments.domain import parse_period
from payroll.models import PayRun
from payroll.runs import repository
from union_shared.money import from_fen

# A month's gross moving by more than this share of last month's is listed for a second look.
LARGE_CHANGE = Decimal("0.20")


@dataclass(frozen=True)
class Difference:
    worker_id: str
    previous_gross: Decimal | None
    gross: Decimal
    previous_net: Decimal | None
    net: Decimal


@dataclass(frozen=True)
class Anomaly:
    kind: str
    worker_id: str
    detail: str


@dataclass(frozen=True)
class Review:
    previous_period: str
    previous_gross: Decimal
    previous_net: Decimal
    differences: list[Difference]  # workers whose gross or net moved, the largest moves first
    anomalies: list[Anomaly]


def previous_period(period: str) -> str:
    p = parse_period(period)
    return f"{p.year - 1}-12" if p.month == 1 else f"{p.year}-{p.month - 1:02d}"


def compare(
    run: PayRun,
    current: Sequence,  # rows: worker_id, gross_fen, net_fen, warnings
    previous: Sequence,  # rows: worker_id, gross_fen, net_fen (locked, last month)
) -> Review:
    before = {row.worker_id: row for row in previous}
    anomalies = [Anomaly("unpayable", p["worker_id"], p["reason"]) for p in run.problems]
    unpayable = {p["worker_id"] for p in run.problems}
    differences = []
    seen = set()
    for row in current:
        seen.add(row.worker_id)
        gross, net = from_fen(row.gross_fen), from_fen(row.net_fen)
        last = before.get(row.worker_id)
        if net < 0:
            anomalies.append(Anomaly("negative_net", row.worker_id, f"net pay {net:,.2f}"))
        anomalies += [Anomaly("warning", row.worker_id, text) for text in row.warnings]
        if last is None:
            anomalies.append(Anomaly("new", row.worker_id, "no locked payslip last month"))
            differences.append(Difference(row.worker_id, None, gross, None, net))
            continue
        was_gross, was_net = from_fen(last.gross_fen), from_fen(last.net_fen)
        if (was_gross, was_net) == (gross, net):
            continue
        differences.append(Difference(row.worker_id, was_gross, gross, was_net, net))
        if was_gross and abs(gross - was_gross) > abs(was_gross) * LARGE_CHANGE:
            anomalies.append(
                Anomaly(
                    "large_change",
                    row.worker_id,
                    f"gross {was_gross:,.2f} last month, {gross:,.2f} now "
                    f"({(gross - was_gross) / was_gross:+.1%})",
                )
            )
    for worker_id, last in before.items():
        if worker_id not in seen and worker_id not in unpayable:
            anomalies.append(
                Anomaly(
                    "not_paid",
                    worker_id,
                    f"paid {from_fen(last.net_fen):,.2f} net last month, not in this run "
                    "(left, moved to another subtree, or not employed this month)",
                )
            )
    differences.sort(key=lambda d: (-abs(d.gross - (d.previous_gross or 0)), d.worker_id))
    return Review(
        previous_period=previous_period(run.period),
        previous_gross=sum((from_fen(r.gross_fen) for r in previous), Decimal("0.00")),
        previous_net=sum((from_fen(r.net_fen) for r in previous), Decimal("0.00")),
        differences=differences,
        anomalies=anomalies,
    )


async def review_of(session, run: PayRun) -> Review:
    current = await repository.slip_totals(session, run.id)
    previous = await repository.previous_totals(session, run, previous_period(run.period))
    return compare(run, current, previous)
