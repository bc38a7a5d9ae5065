"""The citizen's region in a conversation: a turn (message, NLU entity, slot, page or account metadata) → where
the citizen is, the question to ask when it matters and is unknown, and what to say when no local rule is kept.

Order of trust: what this message says (「我现在在深圳了」) > the slot (said earlier) > the page or WeChat account
the message came through (metadata `region`, set by the gateway). A place nobody knows is asked again, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import render
from knowledge import regions
from knowledge.texts import HOTLINE

REGION_PAYLOAD = "/inform_region"
ASK = "不同地区的规定不一样。请问您在哪个省或城市？请点下面的按钮，或直接告诉我，例如「我在佛山」。"
UNKNOWN = "抱歉，我没能确定「{place}」是哪个地区。请告诉我您所在的省或地级市的名称，例如「佛山市」「河南省郑州市」。"
NOTED = "好的，已记下您在{where}。请问您想咨询什么政策？"
_ASKS = re.compile(r"[？?吗么]|多少|怎么|怎样|如何|什么|哪|能不能|可不可以|是否|几")
# 「我在火星」「在xx镇」: a statement of where one is whose place is in no data set
_PLACE_STATEMENT = re.compile(r"^(?:我|本人)?人?(?:现在|目前)?(?:在|住在|来自)([\u4e00-\u9fff]{1,10}?)(?:的|了|呢|啊)?[。！!]?$")


@dataclass
class Place:
    """Where the citizen is this turn: `name` canonical (or 其他地区) or None; `said` when this message says it."""

    name: str | None
    said: bool = False  # this message is only a statement of the region (an answer to the region question)
    unknown: str = ""  # a place the message names that no data set knows
    events: list[dict[str, Any]] = field(default_factory=list)


def of_turn(tracker: Tracker) -> Place:
    """A tracker → the citizen's region for this turn, with the slot event that keeps it."""
    text = (tracker.latest_message.get("text") or "").strip()
    stated = _stated(tracker, text)
    if stated is not None:
        return stated
    slot = tracker.get_slot("region")
    kept = _canonical(slot)
    if kept:
        return Place(kept, events=[] if kept == slot else [SlotSet("region", kept)])
    page = _from_metadata(tracker)
    if page:
        return Place(page, events=[SlotSet("region", page)])
    return Place(None, events=[SlotSet("region", None)] if slot else [])


def _stated(tracker: Tracker, text: str) -> Place | None:
    """The region this message states (by text, button payload or NLU entity), an unknown one, or None.
    `said` when the message does nothing else: a bare place, a button, or 「我在东莞上班」 asking nothing."""
    latest = tracker.latest_message
    entity = next((e.get("value") for e in latest.get("entities") or [] if e.get("entity") == "region"), None)
    intent = (latest.get("intent") or {}).get("name")
    whole = regions.resolve(text)
    named = whole or regions.mentioned(text)  # DIET's entity is trusted for buttons only: 「中山大学」 is no place
    name = named.name if named is not None else _canonical(entity) if text.startswith(REGION_PAYLOAD) else None
    only = (whole is not None or text.startswith(REGION_PAYLOAD)
            or (intent == "inform_region" and not _ASKS.search(text)))
    if name:
        return Place(name, said=only, events=[SlotSet("region", name)])
    statement = None if _ASKS.search(text) else _PLACE_STATEMENT.match(text)  # 「在哪里领失业金」 is a question
    if statement or text.startswith(REGION_PAYLOAD):
        return Place(None, said=True, unknown=statement.group(1) if statement else str(entity or text))
    return None


def _canonical(value: Any) -> str | None:
    """A slot, entity or metadata value → a canonical region name, 其他地区, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    if value.strip() == regions.OTHER:
        return regions.OTHER
    region = regions.resolve(value)
    return region.name if region is not None else None


def _from_metadata(tracker: Tracker) -> str | None:
    """The region the page or WeChat account attached to the latest message (the gateway's `metadata.region`)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return _canonical((event.get("metadata") or {}).get("region"))
    return None


def where(name: str) -> str:
    """'佛山市' → '佛山市（广东省）'; a province or 其他地区 as it is."""
    above = [r for r in regions.chain(name)[1:] if r != regions.NATIONAL]
    return f"{name}（{'、'.join(above)}）" if above else name


def region_buttons(library_regions: list[str]) -> list[dict]:
    """The regions the library has local documents for → one button each, plus 「其他地区」."""
    names = [r for r in library_regions if r != regions.NATIONAL] + [regions.OTHER]
    return [{"title": n, "payload": f'{REGION_PAYLOAD}{{"region": "{n}"}}'} for n in names]


def ask(dispatcher, library_regions: list[str], unknown: str = "") -> None:
    """Ask where the citizen is (again, naming the place not understood), with a button per library region."""
    text = UNKNOWN.format(place=unknown) if unknown else ASK
    dispatcher.utter_message(**render.message(text, buttons=region_buttons(library_regions), kind="clarify",
                                              clarify="region"))


def no_local_rule(name: str | None) -> str:
    """The citizen's region → the sentence saying the library keeps no local rule of it, and where to ask."""
    if not name or name == regions.OTHER:
        return (f"本库暂未收录您所在地区关于这一问题的地方规定，以上为国家规定；当地的具体标准请向当地人力资源社会保障部门咨询，"
                f"或拨打 {HOTLINE}。")
    places = "或".join(r for r in regions.chain(name) if r != regions.NATIONAL)
    return (f"本库暂未收录{places}关于这一问题的地方规定，以上为国家规定；{name}的具体标准请向当地人力资源社会保障部门咨询，"
            f"或拨打 {HOTLINE}。")


def local_only(doc_region: str) -> str:
    """The region of a local rule quoted to a citizen whose region is unknown → the sentence saying where it holds."""
    return f"以上是{doc_region}的规定；如果您不在{doc_region}，请告诉我您所在的地区，我按当地适用的规定回答。"
