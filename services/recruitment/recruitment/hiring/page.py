"""The public notice as a printable HTML page (拟聘用人员公示), for the federation's notice
board and website. Every value is escaped: names and titles are typed by people."""

from __future__ import annotations

from html import escape

from recruitment.hiring.schemas import NoticeRead

_STYLE = (
    "body{font-family:'SimSun','Songti SC',serif;margin:2em}"
    "h1{text-align:center;font-size:1.6em}"
    "table{border-collapse:collapse;width:100%;margin:1em 0}"
    "th,td{border:1px solid #000;padding:.3em .6em;text-align:center}"
    "@media print{body{margin:1cm}}"
)


def notice_page(notice: NoticeRead) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{i}</td><td>{escape(e.posting_code)}</td><td>{escape(e.posting_title)}</td>"
        f"<td>{escape(e.name)}</td><td>{escape(e.resident_id)}</td>"
        f"<td>{'' if e.composite is None else escape(str(e.composite))}</td>"
        "</tr>"
        for i, e in enumerate(notice.entries, start=1)
    )
    period = f"{_day(notice.starts_on)}至{_day(notice.ends_on)}"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>拟聘用人员公示</title><style>{_STYLE}</style></head><body>"
        "<h1>拟聘用人员公示</h1>"
        f"<p>根据《{escape(notice.campaign_name)}》，经笔试、面试、体检和考察，"
        "现将拟聘用人员名单予以公示。</p>"
        f"<p>公示期：{period}（公示日次日起计算工作日）。</p>"
        "<table><thead><tr><th>序号</th><th>岗位代码</th><th>岗位名称</th><th>姓名</th>"
        f"<th>身份证号</th><th>综合成绩</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p>公示期间，对公示人员如有异议，可提出书面意见。</p>"
        f"<p>公示编号：{escape(notice.id)}</p>"
        "</body></html>"
    )


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
