"""`python -m recruitment.hiring [--today YYYY-MM-DD]`: send the hires due, for a daily CronJob.

Writes each ApplicantHired to the outbox with its hire row; the service's relay publishes
them. The same as `POST /hires/due`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import date

from recruitment.config import Settings
from recruitment.hiring.hires import send_due
from union_shared.audit import SYSTEM_ACTOR
from union_shared.clock import Clock
from union_shared.db import create_engine, session_factory


async def main(today: date | None = None) -> dict:
    settings = Settings()
    clock = Clock(settings.time_zone)
    engine = create_engine(settings.resolved_database_url())
    try:
        async with session_factory(engine)() as session, session.begin():
            today = today or clock.today()
            sent = await send_due(session, SYSTEM_ACTOR, today, clock.now())
            return {"today": str(today), "sent": sent}
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--today", type=date.fromisoformat, help="default: today (TIME_ZONE)")
    print(json.dumps(asyncio.run(main(parser.parse_args().today))))
