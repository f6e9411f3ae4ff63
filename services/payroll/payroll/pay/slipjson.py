"""A payslip's JSON text, written from pieces: the very text pydantic's model_dump_json writes.

A run stores every payslip as JSON. A slip's earning lines are objects many workers share (they
are memoised per grade and stretch of days): the JSON of such a line is kept and reused. The
contribution lines are mostly one worker's own (their explanation quotes the declared base), but the code
making them knows which parts of their JSON repeat: the payslip keeps beside itself (`attach`),
for as long as it lives, how to write their JSON from those parts.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Mapping
from datetime import date

from .earnings import LineKind, PayLine
from .trusted import MAX_ENTRIES, Memo

# A JSON string literal escaped exactly as pydantic escapes it: the quote, the backslash and
# control characters; everything else as it is. The json module's C encoder does just that.
string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]

EXPLANATION = '","explanation":"'  # between a line's amount and its explanation's first character
UNDATED = ',"start":null,"end":null}'  # after a line's explanation, when it has no days


def line_head(kind: LineKind, code: str, label: str) -> str:
    """A line's JSON up to its amount: '{"kind":...,"label":...,"amount":"'."""
    key = (id(kind), code, label)  # by identity: members are singletons, hashing one is slow
    head = _heads.get(key)
    if head is None:
        if len(_heads) >= MAX_ENTRIES:
            _heads.clear()
        head = _heads[key] = (
            f'{{"kind":{string(kind.value)},"code":{string(code)},"label":{string(label)},'
            '"amount":"'
        )
    return head


def attach(slip: object, texts: Callable[[], Mapping[int, str]]) -> None:
    """Keep beside `slip`, for as long as it lives, how to write the JSON of lines it holds
    (a mapping by the lines' ids)."""
    ref = _Ref(slip, _detach)
    ref.key = id(slip)
    _attached[ref.key] = (ref, texts)


def attached(slip: object) -> Mapping[int, str]:
    """The JSON of lines of `slip` by their ids, as attached to it; empty if none."""
    found = _attached.get(id(slip))
    return found[1]() if found is not None and found[0]() is slip else _NOTHING


class _Ref(weakref.ref):
    __slots__ = ("key",)
    key: int


def _detach(ref: _Ref) -> None:
    found = _attached.get(ref.key)
    if found is not None and found[0] is ref:  # not a newer payslip's, under a reused id
        del _attached[ref.key]


def line_json(line: PayLine) -> str:
    """The line's JSON: kept for an earning line (memoised per interval, shared by many payslips),
    written anew for any other."""
    if line.start is None:  # tax, bonus, arrears: one worker's own
        return _new_line_json(line)
    key = id(line)
    found = _shared.values.get(key)
    if found is not None and found[0] is line:  # the entry holds the line: its id is its own
        return found[1]
    text = _new_line_json(line)
    _shared.keep(key, (line, text))  # kept the second time an id is asked for
    return text


def _new_line_json(line: PayLine) -> str:
    start, end = line.start, line.end
    head = line_head(line.kind, line.code, line.label)
    explanation = string(line.explanation)
    if start is None and end is None:
        return f'{head}{line.amount:.2f}","explanation":{explanation}{UNDATED}'
    return (
        f'{head}{line.amount:.2f}","explanation":{explanation},'
        f'"start":{_day(start)},"end":{_day(end)}}}'
    )


def _day(day: date | None) -> str:
    return "null" if day is None else f'"{day.isoformat()}"'


_heads: dict[tuple[int, str, str], str] = {}
_shared = Memo()  # id -> (line, JSON), for earning lines
# id of a payslip -> (a weak reference to it, the JSON of its lines by id); an entry goes when its
# payslip does, so it never outlives the lines it describes.
_attached: dict[int, tuple[_Ref, Callable[[], Mapping[int, str]]]] = {}
_NOTHING: Mapping[int, str] = {}
