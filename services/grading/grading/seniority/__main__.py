"""`python -m grading.seniority [--as-of YYYY-MM-DD]`: the seniority run, for a CronJob.

Writes grade changes and their GradeReevaluated events to the outbox; the service's relay
publishes them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import date

from grading.config import Settings
from grading.seniority.service import run
from union_shared.audit import SYSTEM_ACTOR
from union_shared.clock import Clock
from union_shared.db import create_engine, session_factory


async def main(as_of: date, today: date | None = None) -> dict:
    settings = Settings()
    engine = create_engine(settings.resolved_database_url())
    try:
        async with session_factory(engine)() as session, session.begin():
            today = today or Clock(settings.time_zone).today()
            record = await run(session, SYSTEM_ACTOR, as_of, settings.default_policy, today)
            return {
                "run": record.id,
                "as_of": str(as_of),
                "evaluated": record.evaluated,
                "changed": record.changed,
            }
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--as-of", type=date.fromisoformat, help="default: today (TIME_ZONE)")
    as_of = parser.parse_args().as_of or Clock(Settings().time_zone).today()
    print(json.dumps(asyncio.run(main(as_of))))
