"""The printable notice: its title, the period in Chinese dates, one row per entry in order,
and every value escaped, whatever a campaign's name or a posting's title holds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from recruitment.hiring.page import notice_page
from recruitment.hiring.schemas import NoticeEntryRead, NoticeRead


def entry(name: str, title: str, composite: str | None) -> NoticeEntryRead:
    return NoticeEntryRead(
        application_id="a1", posting_code="HX-01", posting_title=title, masked_name=name,
        masked_resident_id="120103**********1X",
        composite=None if composite is None else Decimal(composite),
    )  # fmt: skip


def test_the_page_prints_each_entry_escaped():
    notice = NoticeRead(
        id="n-1", campaign_id="c-1", campaign_name='招聘<script>alert("x")</script>',
        starts_on=date(2026, 9, 30), ends_on=date(2026, 10, 15),
        published_at=datetime(2026, 9, 30, 1, tzinfo=UTC),
        entries=[entry("张*三", "社工&<岗>", "90.00"), entry("李*", "社工", None)],
    )  # fmt: skip
    html = notice_page(notice)
    assert "<title>拟聘用人员公示</title>" in html and "<h1>拟聘用人员公示</h1>" in html
    assert "<script>" not in html
    assert "招聘&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "公示期：2026年9月30日至2026年10月15日" in html
    assert (
        "<tr><td>1</td><td>HX-01</td><td>社工&amp;&lt;岗&gt;</td><td>张*三</td>"
        "<td>120103**********1X</td><td>90.00</td></tr>"
        "<tr><td>2</td><td>HX-01</td><td>社工</td><td>李*</td>"
        "<td>120103**********1X</td><td></td></tr>"
    ) in html
