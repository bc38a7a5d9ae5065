"""Alignment: another copy (web scrape, second file of a law) of known documents → version notes and flagged extras.

Every sentence of the copy is matched to the official clauses: exact matches are just
confirmations, near matches become wording notes on the official clause, headings and page
furniture are dropped, and what is left is kept as flagged, copy-only clauses. Nothing from
the copy is indexed twice.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from knowledge.normalize import match_key
from knowledge.layouts.notice import DOC_NUMBER
from knowledge.segment import LEAD_NOTE, looks_like_departments
from knowledge.types import Clause, Document, VersionNote

_PUBLISHED = re.compile(r"发布日期[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_UNIT_END = re.compile(r"(?<=[。！？])")
_PAREN = re.compile(r"[（(]([^（）()]{2,200})[）)]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EDGE_FURNITURE = [
    re.compile(rf"^(?:{p})|(?:{p})$")
    for p in (r"发布日期[:：]\s*\d{4}-\d{1,2}-\d{1,2}", DOC_NUMBER.pattern, r"[━─—=\-_]{3,}",
              r"[（(][一二三四五六七八九十]{1,4}[）)]", r"[一二三四五六七八九十]{1,3}、",
              r"第[一二三四五六七八九十百零〇]+[编章节条](?:之[一二三四五六七八九十]+)?")
]
MIN_RESIDUE_CJK = 6
VARIANT_RATIO = 0.72


@dataclass
class _Target:
    """An official sentence or heading the copy may reproduce."""

    key: str
    clause: Clause  # the clause it belongs to (for headings: the section's first clause)
    heading: bool = False


@dataclass
class AlignmentReport:
    """What an alignment found, for logs and document notes."""

    exact: int = 0
    variants: int = 0
    extras: int = 0
    missing: int = 0


def copy_doc_numbers(text: str) -> list[str]:
    """A copy's text → the 文号 it mentions, in order of first appearance."""
    return list(dict.fromkeys(DOC_NUMBER.findall(match_key(text))))


def published_date(text: str) -> str:
    """'…发布日期:2017-10-12…' → '2017-10-12' ('' when absent)."""
    m = _PUBLISHED.search(match_key(text))
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


def align_copy(
    text: str, source: str, documents: list[Document], clauses: list[Clause]
) -> tuple[list[Clause], AlignmentReport]:
    """A copy of known documents → new flagged clauses; notes are added to `clauses` in place."""
    published = published_date(text)
    targets = _targets(documents, clauses)
    body = _take_signature_dates(match_key(text), source, documents)
    body = _PAREN.sub(lambda m: "" if looks_like_departments(m.group(1)) else m.group(0), body)
    seen: set[str] = set()
    residues: list[str] = []
    for unit in dict.fromkeys(u for u in _UNIT_END.split(body) if u):
        rest = unit
        for target in targets:
            if target.key in rest:
                seen.add(target.key)
                rest = rest.replace(target.key, "|")
        residues.extend(p for p in (_strip_furniture(r, documents) for r in rest.split("|")) if p)
    report = AlignmentReport(exact=len(seen))
    extras: list[Clause] = []
    for piece in dict.fromkeys(residues):
        target = _closest(piece, targets)
        if target is not None:
            seen.add(target.key)
            report.variants += _add_wording_note(target, piece, source, published)
        else:
            extras.append(_extra_clause(piece, source, published, documents, clauses + extras))
    report.extras = len(extras)
    report.missing = _note_coverage(targets, seen, source, published, documents)
    if published:
        _note_published(documents, copy_doc_numbers(text), published)
    return [c for c in extras if c is not None], report


def _targets(documents: list[Document], clauses: list[Clause]) -> list[_Target]:
    """Official clauses and item headings → match targets, longest first."""
    targets = []
    for clause in clauses:
        if clause.official:
            targets.extend(_Target(_bare(s), clause) for s in _UNIT_END.split(clause.text) if s.strip())
    first_of = {}
    for clause in clauses:
        first_of.setdefault((clause.doc_id, tuple(clause.path)), clause)
    for doc in documents:
        for part in doc.parts:
            for item in part.items:
                first = first_of.get((doc.doc_id, (part.title, item.title)))
                if first is not None:
                    targets.append(_Target(_bare(item.title.split("）", 1)[-1]), first, heading=True))
    return sorted(targets, key=lambda t: len(t.key), reverse=True)


def _bare(sentence: str) -> str:
    """A sentence → its match key without the closing punctuation."""
    return match_key(sentence).rstrip("。！？；;!?")


def _take_signature_dates(body: str, source: str, documents: list[Document]) -> str:
    """Remove '<issuer><date>' signatures from a copy; dates the official text lacks become notes."""
    for doc in documents:
        if not doc.issuer or doc.doc_number == "" or not DOC_NUMBER.fullmatch(doc.doc_number):
            continue  # laws carry their dates in the history line, not in a signature
        pattern = re.compile("(?:中华人民共和国)?" + re.escape(doc.issuer) + r"(\d{4})年(\d{1,2})月(\d{1,2})日")
        for m in pattern.finditer(body):
            iso = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            if doc.dates.get("成文") != iso:
                detail = f"{source}载有落款「{doc.issuer} {m.group(1)}年{m.group(2)}月{m.group(3)}日」，正式文本未载成文日期"
                note = VersionNote("date", source, detail, variant=iso)
                if note not in doc.notes:
                    doc.notes.append(note)
                doc.dates.setdefault("成文", iso)
        body = pattern.sub("", body)
    return body


def _strip_furniture(piece: str, documents: list[Document]) -> str:
    """A leftover piece of the copy → its text without titles, headings, 文号, dates, rules and
    department lists run into its edges (furniture inside a sentence is part of the sentence)."""
    known = sorted({match_key(k) for d in documents for k in [d.title, d.addressee, d.history] + _headings(d) if k},
                   key=len, reverse=True)
    previous = None
    while piece != previous:
        previous = piece
        piece = piece.strip("：:，,。；; ")
        for k in known:
            piece = piece.removeprefix(k).removesuffix(k)
        for edge in _EDGE_FURNITURE:
            piece = edge.sub("", piece)
        piece = _drop_broken_departments(piece)
    return piece if len(_CJK.findall(piece)) >= MIN_RESIDUE_CJK else ""


def _headings(doc: Document) -> list[str]:
    """A document → its part/chapter and section headings."""
    return [p.title for p in doc.parts] + [i.title for p in doc.parts for i in p.items]


def _drop_broken_departments(piece: str) -> str:
    """'(财政部、人民银行等负责' or '列第一位者为牵头单位,下同)' at an edge → removed."""
    head = re.match(r"^[^（()）]*[）)]", piece)
    if head and (looks_like_departments(head.group(0)[:-1]) or LEAD_NOTE in head.group(0)):
        piece = piece[head.end():]
    tail = re.search(r"[（(][^（()）]*$", piece)
    if tail and looks_like_departments(tail.group(0)[1:]):
        piece = piece[: tail.start()]
    return piece


def _closest(piece: str, targets: list[_Target]) -> _Target | None:
    """A leftover piece → the official target it is a variant of, or None."""
    best, best_ratio = None, VARIANT_RATIO
    for target in targets:
        matcher = difflib.SequenceMatcher(None, target.key, piece, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = target, ratio
    return best


def _add_wording_note(target: _Target, piece: str, source: str, published: str) -> int:
    """Record each differing span between the official target and the copy's piece; → notes added."""
    matcher = difflib.SequenceMatcher(None, target.key, piece, autojunk=False)
    added = 0
    for i1, i2, j1, j2 in _diff_spans(matcher):
        official, variant = _with_context(target.key, i1, i2), _with_context(piece, j1, j2)
        where = "标题" if target.heading else "正文"
        detail = f"{source}{_dated(published)}{where}作「{variant}」，正式文本作「{official}」"
        note = VersionNote("heading" if target.heading else "wording", source, detail, official, variant, published)
        if note not in target.clause.notes:
            target.clause.notes.append(note)
            added += 1
    return added


def _diff_spans(matcher: difflib.SequenceMatcher, gap: int = 2) -> list[tuple[int, int, int, int]]:
    """Differing spans of two strings, neighbours closer than `gap` equal characters merged."""
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= gap and j1 - spans[-1][3] <= gap:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return [tuple(s) for s in spans]


def _with_context(text: str, start: int, end: int, before: int = 1, after: int = 2) -> str:
    """A differing span → the span with a little surrounding text, so '兴' reads '新兴业态'."""
    return text[max(0, start - before): min(len(text), end + after)]


def _extra_clause(piece: str, source: str, published: str, documents: list[Document], known: list[Clause]) -> Clause | None:
    """Text found only in the copy → a flagged clause (None when an earlier copy already had it)."""
    note = VersionNote("scrape_only", source, f"此句仅见于{source}{_dated(published)}，正式文本中没有", published=published)
    for clause in known:
        if clause is not None and not clause.official and match_key(clause.text) == piece:
            if note not in clause.notes:
                clause.notes.append(note)
            return None
    doc = documents[0]
    n = sum(1 for c in known if c is not None and not c.official) + 1
    return Clause(
        clause_id=f"{doc.doc_id}.x.s{n}", doc_number=doc.doc_number, doc_id=doc.doc_id, text=piece,
        path=["仅见于网页转载版"], source=source, official=False, notes=[note],
    )


def _note_coverage(targets, seen, source, published, documents) -> int:
    """Official sentences the copy lacks → one coverage note per document; → count missing."""
    missing: dict[str, list[str]] = {}
    for t in targets:
        if not t.heading and t.key not in seen:
            missing.setdefault(t.clause.doc_id, []).append(t.clause.clause_id)
    for doc in documents:
        ids = list(dict.fromkeys(missing.get(doc.doc_id, [])))
        if ids:
            detail = f"{source}{_dated(published)}缺少正式文本中的 {len(ids)} 条：{'、'.join(ids)}"
            note = VersionNote("coverage", source, detail, published=published)
            if note not in doc.notes:
                doc.notes.append(note)
    return sum(len(set(v)) for v in missing.values())


def _note_published(documents: list[Document], numbers: list[str], published: str) -> None:
    """The copy's 发布日期 → the 发布 date of the document the copy is (its first 文号, else the only one)."""
    for doc in documents:
        if (numbers and doc.doc_number == numbers[0]) or (not numbers and len(documents) == 1):
            doc.dates.setdefault("发布", published)


def _dated(published: str) -> str:
    return f"（发布日期 {published}）" if published else ""
