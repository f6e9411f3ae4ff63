from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class PurgedGroup(BaseModel):
    posting_code: str
    status: str
    applications: int


class PurgeReport(BaseModel):
    campaign_id: str
    dry_run: bool
    purgeable_from: datetime
    applications: int
    groups: list[PurgedGroup]
