from datetime import date

import pytest

from roster.lifecycle.domain import Move, Status, TransitionRefused, check_transition

HIRED = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("move", "status", "result"),
    [
        (Move.TRANSFER, Status.ACTIVE, Status.ACTIVE),
        (Move.TRANSFER, Status.SUSPENDED, Status.SUSPENDED),
        (Move.SUSPEND, Status.ACTIVE, Status.SUSPENDED),
        (Move.RESUME, Status.SUSPENDED, Status.ACTIVE),
        (Move.LEAVE, Status.ACTIVE, Status.LEFT),
        (Move.LEAVE, Status.SUSPENDED, Status.LEFT),
    ],
)
def test_allowed_moves(move, status, result):
    assert check_transition(move, status, date(2025, 1, 1), HIRED, None) is result


@pytest.mark.parametrize(
    ("move", "status"),
    [
        (Move.SUSPEND, Status.SUSPENDED),
        (Move.RESUME, Status.ACTIVE),
        (Move.LEAVE, Status.LEFT),
        (Move.TRANSFER, Status.LEFT),
    ],
)
def test_refused_moves_name_the_status(move, status):
    with pytest.raises(TransitionRefused, match=f"who is {status}") as caught:
        check_transition(move, status, date(2025, 1, 1), HIRED, None)
    assert caught.value.field is None


def test_history_runs_forward_from_the_hire_date():
    with pytest.raises(TransitionRefused, match="before the hire date"):
        check_transition(Move.LEAVE, Status.ACTIVE, date(2024, 2, 29), HIRED, None)
    with pytest.raises(TransitionRefused, match="before the last recorded change on 2025-06-01"):
        check_transition(Move.LEAVE, Status.ACTIVE, date(2025, 5, 31), HIRED, date(2025, 6, 1))
    assert check_transition(Move.LEAVE, Status.ACTIVE, date(2025, 6, 1), HIRED, date(2025, 6, 1))
