"""A law's metadata from its text: the history line's dated events, issuing body, kind, region and 令号."""

from __future__ import annotations

import re

from knowledge.layouts.common import NATIONAL, region_of
from knowledge.types import Document

HISTORY = re.compile(r"^[（(](?=[^）)]*?\d{4}\s*年)(.*?)[）)]+$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EVENTS = ("修订", "修正", "通过", "公布", "发布", "批准", "施行")  # a piece's event, by priority
_ORDER = re.compile(r"([\u4e00-\u9fff、]{2,30}令(?:[（(]\d{4}[）)])?第\s*\d+\s*号)")
_ORDINAL = re.compile(r"第[一二三四五六七八九十百零\d]+(?:届|次)")
_BODY_END = re.compile(r"(常务委员会|人民代表大会|国务院|人民政府|[部委局署行办会院])")
_NPC = "全国人民代表大会"
_LOCAL_CONGRESS = re.compile(r"(省|自治区|市|州)[^，。]{0,20}人民代表大会")


def iso(m: re.Match) -> str:
    """A 年月日 match → 'YYYY-MM-DD'."""
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def history_events(history: str) -> list[tuple[str, str, str]]:
    """'（2007年8月30日…通过　2015年4月24日…修正）' → [(date, event, text), …] in the line's order.

    A piece without its own date (「发布之日施行」) takes the date before it."""
    inner = HISTORY.match(history).group(1) if HISTORY.match(history) else history
    pieces = []
    for chunk in re.split(r"[\s\u3000]+", inner):
        starts = [m.start() for m in _DATE.finditer(chunk)] or [0]
        starts[0] = 0
        pieces += [chunk[a:b] for a, b in zip(starts, starts[1:] + [len(chunk)]) if chunk[a:b]]
    events, last = [], ""
    for piece in pieces:
        m = _DATE.search(piece)
        date = iso(m) if m else last
        event = "施行" if not m and "施行" in piece else next((e for e in _EVENTS if e in piece), "")
        if date and event:
            events.append((date, event, piece))
        last = date or last
    return events


def dates_of(events: list[tuple[str, str, str]]) -> dict[str, str]:
    """History events → {event: latest date}."""
    dates: dict[str, str] = {}
    for date, event, _ in events:
        dates[event] = max(date, dates.get(event, ""))
    return dates


def issuer_of(events: list[tuple[str, str, str]]) -> str:
    """History events → the body that adopted or promulgated the current text ('' when unnamed)."""
    for _, event, piece in reversed(events):
        if event == "施行":
            continue
        body = _ORDINAL.sub("", _DATE.sub("", piece))
        body = re.split(r"常务会议|会议|令|《|根据|通过|公布|发布|批准|修订|修正", body, maxsplit=1)[0]
        body = body.removeprefix("中华人民共和国").strip("，、 ")
        if _BODY_END.search(body):
            return body
    return ""


def kind_of(title: str, history: str, issuer: str, region: str) -> str:
    """Title, history line, issuer and region → 法律 / 行政法规 / 地方性法规 / 规章 / 规范性文件."""
    text = history + issuer
    if _NPC in text and not _LOCAL_CONGRESS.search(text.replace(_NPC, "")):
        return "法律"
    if _LOCAL_CONGRESS.search(text):
        return "地方性法规"
    if "国务院" in text or title.startswith("国务院"):
        return "行政法规"
    if "令" in history:
        return "规章"
    if title.endswith("法") and not title.endswith("办法") and region == NATIONAL:
        return "法律"
    if title.endswith(("条例", "规定", "办法", "细则")):
        return "行政法规" if region == NATIONAL else "地方性法规"
    return "规范性文件"


def document(title: str, history: str, source: str) -> Document:
    """A law's title and history line → its Document (no id or parts yet)."""
    events = history_events(history) if history else []
    issuer = issuer_of(events)
    region = region_of(title, issuer)
    orders = [m.group(1) for _, _, piece in events for m in [_ORDER.search(_DATE.sub("", piece))] if m]
    number = orders[-1].removeprefix("中华人民共和国") if orders else ""
    return Document(doc_number=number, title=title, issuer=issuer, dates=dates_of(events), source=source,
                    kind=kind_of(title, history, issuer, region), region=region, history=history)
