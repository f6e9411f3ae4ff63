"""The README's role table is read from the routes (union_dev.roles): every route names the
roles it admits, and the table in the README is exactly what the code says."""

from __future__ import annotations

from union_dev import roles
from union_shared.auth import Role


def test_every_route_names_the_roles_it_admits():
    assert roles.undeclared() == []


def test_the_readme_table_is_the_codes():
    readme = roles.README.read_text(encoding="utf-8")
    rendered = roles.table()
    assert roles.with_table(readme, rendered) == readme, (
        "README.md's role table is stale: run `make role-table`"
    )


def test_system_clients_never_record_hr_facts_or_approve_pay():
    """What the README says of `system`: platform-wide reads and the structural and automated
    writes, never a judgment about one person (HR records, review and approval of pay)."""
    by_route = {(r.service, r.method, r.path): r.roles for r in roles.all_routes()}
    judgments = [
        ("roster", "POST", "/workers/{worker_id}/appraisals"),
        ("roster", "POST", "/workers/{worker_id}/departure"),
        ("roster", "POST", "/workers"),
        ("payroll", "POST", "/runs/{run_id}/approve"),
        ("payroll", "POST", "/runs/{run_id}/review"),
    ]
    for route in judgments:
        assert Role.SYSTEM not in by_route[route], route
    automated = [
        ("roster", "POST", "/units"),
        ("grading", "POST", "/seniority-runs"),
        ("payroll", "POST", "/runs"),
        ("payroll", "GET", "/runs/{run_id}/bank-file"),
        ("roster", "GET", "/workers"),
        ("grading", "GET", "/distribution"),
        ("payroll", "GET", "/runs"),
    ]
    for route in automated:
        assert Role.SYSTEM in by_route[route], route
    # Operators run the platform: no route that touches the register admits them (ladder
    # policies are no one's data; everyone may read them).
    for (service, method, path), admitted in by_route.items():
        if Role.OPERATOR in admitted and not (method == "GET" and path.startswith("/policies")):
            assert path.startswith(("/admin/", "/seniority-runs")), (service, method, path)


def test_the_table_has_a_column_for_every_role():
    assert sorted(roles.COLUMNS) == sorted(Role)


def test_applicants_are_admitted_by_recruitment_alone():
    """An applicant comes from outside: they read their own applications, in recruitment, and
    nothing of the register, the grades, the pay or the ladder policies."""
    elsewhere = [
        (r.service, r.method, r.path)
        for r in roles.all_routes()
        if r.service != "recruitment" and r.roles and Role.APPLICANT in r.roles
    ]
    assert elsewhere == []


def test_a_table_marks_exactly_the_admitted_roles():
    route = roles.RouteRoles("roster", "GET", "/x", frozenset({Role.WORKER, Role.SYSTEM}))
    (header, _, row) = roles.table([route]).splitlines()
    cells = [c.strip() for c in row.strip("|").split("|")]
    names = [h.strip().strip("`") for h in header.strip("|").split("|")]
    marked = {name for name, cell in zip(names, cells, strict=True) if cell == "✓"}
    assert marked == {"worker", "system"}
