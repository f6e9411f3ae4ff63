"""A locked run's bank file in a bank's layout, chosen on the export endpoint: the ICBC salary
batch file's exact bytes (GBK, CRLF), its count and total beside it, payees it cannot name
refused by name, and an unknown layout a 422 naming the query field."""

from __future__ import annotations

import pytest

from union_dev.testing.api import bearer, problem_fields
from union_shared.auth import Role

from .conftest import OFFICER, close, deliver, set_up_pay
from .test_payroll import ENTRY, HIRED, hired, regraded, span

pytestmark = pytest.mark.db

AUDITOR = bearer(Role.AUDITOR, unit_id="city")
ACCOUNT = "6222020200112341234"
OTHER_ACCOUNT = "6222020200198765432"


async def profile(client, worker_id: str, account: str, name: str | None, since="2025-01-01"):
    body = {"effective_from": since, "contribution_base": "6000.00", "bank_account": account}
    if name is not None:
        body["account_name"] = name
    reply = await client.post(f"/workers/{worker_id}/pay-profile", json=body, headers=OFFICER)
    assert reply.status_code == 201, reply.text
    assert reply.json()["account_name"] == name


async def test_the_icbc_salary_batch_file_of_a_locked_run(client):
    second = regraded(HIRED, span("junior", 1, HIRED), worker_id="w-2", cause="onboarding")
    await deliver(client, hired(), ENTRY, hired("w-2"), second)
    await profile(client, "w-1", ACCOUNT, "张三")
    await profile(client, "w-2", OTHER_ACCOUNT, None)
    await set_up_pay(client)  # the unit's funder shares (w-1's profile exists: a 409, kept)
    run = await close(client, "2025-04", "hexi")
    url = f"/runs/{run['id']}/bank-file"
    # w-2's profile names no account holder: the layout that names payees refuses, by name.
    unnamed = await client.get(url, params={"layout": "icbc-payroll"}, headers=OFFICER)
    assert unnamed.status_code == 409, unnamed.text
    assert unnamed.headers["content-type"] == "application/problem+json"
    assert "w-2: no account holder's name" in unnamed.json()["detail"]
    # The generic CSV names no payee and goes out as before.
    generic = await client.get(url, headers=OFFICER)
    assert generic.status_code == 200 and generic.headers["x-record-count"] == "2"
    # A later profile names the holder of the same account: the locked run's file can now go.
    await profile(client, "w-2", OTHER_ACCOUNT, "李四", since="2025-06-01")
    reply = await client.get(url, params={"layout": "icbc-payroll"}, headers=OFFICER)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "text/plain; charset=gbk"
    assert reply.headers["content-disposition"].endswith(f'-2025-04-{run["id"]}.txt"')
    # Junior level 1 each: 4,000 − 1,230 contributions, no tax: 2,770.00 net. Records are
    # 序号,卡号,姓名,金额,备注 in GBK (张 D5C5 三 C8FD 李 C0EE 四 CBC4 工 B9A4 资 D7CA), CRLF.
    assert reply.content == (
        b"1,6222020200112341234,\xd5\xc5\xc8\xfd,2770.00,2025-04\xb9\xa4\xd7\xca\r\n"
        b"2,6222020200198765432,\xc0\xee\xcb\xc4,2770.00,2025-04\xb9\xa4\xd7\xca\r\n"
    )
    # No header or total line in this layout: the count and total travel beside the file.
    assert (reply.headers["x-record-count"], reply.headers["x-total-amount"]) == ("2", "5540.00")
    assert (
        await client.get(url, params={"layout": "icbc-payroll"}, headers=AUDITOR)
    ).status_code == 403


async def test_an_unknown_layout_is_a_422_naming_the_query_field(client):
    await deliver(client, hired(), ENTRY)
    await set_up_pay(client)
    run = await close(client, "2025-04", "hexi")
    for path in ("bank-file", "bank-transfer.csv"):
        reply = await client.get(
            f"/runs/{run['id']}/{path}", params={"layout": "abc-bank"}, headers=OFFICER
        )
        assert reply.status_code == 422, reply.text
        assert reply.headers["content-type"] == "application/problem+json"
        assert "icbc-payroll" in problem_fields(reply)["query.layout"]
    schema = (await client.get("/openapi.json")).json()
    operation = schema["paths"]["/runs/{run_id}/bank-file"]["get"]
    assert "`icbc-payroll`: ICBC" in operation["description"]
    (layout,) = [p for p in operation["parameters"] if p["name"] == "layout"]
    assert layout["schema"]["$ref"].endswith("/LayoutName")
    assert schema["components"]["schemas"]["LayoutName"]["enum"] == ["generic-csv", "icbc-payroll"]
