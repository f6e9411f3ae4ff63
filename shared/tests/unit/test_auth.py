"""Tokens of the applicant role: an outsider from the mobile app, known by their account alone."""

from __future__ import annotations

import pytest

from union_shared import auth
from union_shared.auth import Role, Unauthenticated, decode_token, mint_token


def test_an_applicant_token_needs_no_unit_and_names_the_account():
    caller = decode_token(mint_token("app-account-8841", Role.APPLICANT))
    assert caller == auth.Caller(
        subject="app-account-8841", role=Role.APPLICANT, name="app-account-8841"
    )


@pytest.mark.parametrize("claim", [{"unit_id": "unit-1"}, {"worker_id": "worker-1"}])
def test_an_applicant_token_naming_a_unit_or_a_worker_is_refused(claim):
    with pytest.raises(Unauthenticated, match="names no unit and no worker"):
        decode_token(mint_token("app-account-8841", Role.APPLICANT, **claim))


def test_the_staff_roles_still_need_their_claims():
    """Admitting the applicant without a unit did not open the door for the governing roles."""
    with pytest.raises(Unauthenticated, match="must name the unit subtree"):
        decode_token(mint_token("hr-1", Role.UNIT_HR))
    with pytest.raises(Unauthenticated, match="must name the worker"):
        decode_token(mint_token("w-1", Role.WORKER))


def test_an_applicant_reads_nothing_of_the_register_and_nothing_platform_wide():
    for readers in (
        auth.TREE_READERS,
        auth.RECORD_READERS,
        auth.IDENTIFIER_READERS,
        auth.HR_WRITERS,
        auth.UNSCOPED_ROLES,
    ):
        assert Role.APPLICANT not in readers
    # The policies every platform user may read are not the applicant's to read.
    any_caller = auth.AnyCaller.__metadata__[0].dependency
    assert Role.APPLICANT not in any_caller.roles
    assert any_caller.roles == set(Role) - {Role.APPLICANT}
    assert not auth.Caller("app-account-8841", Role.APPLICANT).sees_identifiers


def test_the_mint_command_makes_an_applicant_token(capsys):
    auth.main(["mint", "--role", "applicant", "--sub", "app-account-8841"])
    caller = decode_token(capsys.readouterr().out.strip())
    assert (caller.role, caller.subject, caller.unit_id) == (
        Role.APPLICANT,
        "app-account-8841",
        None,
    )
