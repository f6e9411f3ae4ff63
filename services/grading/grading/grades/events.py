"""GradeReevaluated envelopes, built by the thousand for the seniority run.

`build_event` validates a payload model, dumps it to a dict and validates the envelope: right for
one event, but a run over every worker builds tens of thousands. Here the payload arrives as the
dict in its JSON form (written by `Outcome.data` from the engine's already typed values), the
first envelope of a batch goes through `build_event` (so every batch checks a payload against
the catalogue's model, and takes the scope's correlation and causation exactly as there), and
the others copy its type, source, schema version and correlation. test_grade_events.py holds
the result equal to the validated path's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from union_shared.clock import utc_now
from union_shared.events import Envelope, GradeReevaluated, build_event
from union_shared.events.envelope import new_event_id

SOURCE = "grading"


def reevaluated_events(payloads: Sequence[tuple[str, dict[str, Any]]]) -> list[Envelope]:
    """One GradeReevaluated envelope per (subject, payload in JSON form), in order."""
    if not payloads:
        return []
    subject, data = payloads[0]
    first = build_event(GradeReevaluated.model_validate(data), subject=subject, source=SOURCE)
    # Outside a correlation scope each event starts a chain of its own (build_event's rule).
    own_chain = first.correlationid == first.id
    events = [first]
    for subject, data in payloads[1:]:
        event_id = new_event_id()
        events.append(
            Envelope(
                id=event_id,
                type=first.type,
                source=first.source,
                subject=subject,
                time=utc_now(),
                schemaversion=first.schemaversion,
                correlationid=event_id if own_chain else first.correlationid,
                causationid=first.causationid,
                data=data,
            )
        )
    return events
