"""Typed records that flow through the pipeline: documents, clauses, notes, search hits."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class VersionNote:
    """A difference or provenance fact about a clause, found in another copy of its document."""

    kind: str  # "wording" | "heading" | "scrape_only" | "coverage"
    source: str  # file name of the copy
    detail: str  # human-readable Chinese description
    official: str = ""  # official wording of the differing span
    variant: str = ""  # the copy's wording of the same span
    published: str = ""  # publication date the copy states (YYYY-MM-DD)


@dataclass
class Clause:
    """One citable unit: one to a few sentences of verbatim policy text."""

    clause_id: str
    doc_number: str  # 文号 of its document, "" when the document has none (laws)
    text: str  # verbatim original characters, page breaks rejoined
    path: list[str]  # headings: notices ["四、抓好…", "（十一）鼓励…"], laws ["第三章　公平就业", "第二十七条"]
    departments: list[str] = field(default_factory=list)
    lead_department: str = ""
    source: str = ""  # file the text was read from
    line: int = 0  # 1-based line in that file where the clause starts
    official: bool = True  # False: text found only in an unofficial copy
    notes: list[VersionNote] = field(default_factory=list)
    doc_id: str = ""  # stable id of its document (see Document.doc_id)
    paragraph: int = 0  # laws: the 款 (1-based) when a long article is cited paragraph by paragraph

    def to_dict(self) -> dict:
        """Clause → plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Clause":
        """Plain dict (from JSON) → Clause."""
        notes = [VersionNote(**n) for n in d.get("notes", [])]
        return cls(**{**d, "notes": notes})


@dataclass
class Part:
    """A heading of the document tree (part or item) with its responsible departments."""

    number: str  # "四" or "十一"
    title: str  # heading as written, e.g. "四、抓好重点群体就业创业"
    departments: list[str] = field(default_factory=list)
    items: list["Part"] = field(default_factory=list)


IN_FORCE = "现行有效"
AMENDED = "已被修订"
REPEALED = "已废止"
STATUSES = (IN_FORCE, AMENDED, REPEALED)
KINDS = ("法律", "行政法规", "地方性法规", "规章", "规范性文件")
DATE_EVENTS = ("通过", "修订", "修正", "批准", "公布", "发布", "施行", "成文", "印发")
VERSION_EVENTS = ("修订", "修正", "公布", "发布", "通过", "批准", "成文", "印发")  # what dates a version, by priority


@dataclass
class Document:
    """One official document: its metadata, its clause tree and its notes."""

    doc_number: str  # 文号, e.g. 国发〔2017〕28号; "" when the text has none (laws, regulations)
    title: str
    issuer: str
    dates: dict[str, str] = field(default_factory=dict)  # {"成文": "2017-04-13", "通过": …, "施行": …}
    source: str = ""
    addressee: str = ""  # 主送 line, e.g. 各省、自治区、直辖市人民政府…
    parts: list[Part] = field(default_factory=list)  # notices: 一、 parts with （一） items; laws: 章 with 节
    notes: list[VersionNote] = field(default_factory=list)
    doc_id: str = ""  # stable identity: slug of the 文号 (gf2017-28) or of title and version date
    layout: str = "notice"  # the layout that parsed it (knowledge.layouts)
    kind: str = "规范性文件"  # one of KINDS
    region: str = "全国"  # 全国 / 广东省 / 广州市 …
    status: str = IN_FORCE  # one of STATUSES
    superseded_by: str = ""  # doc_id of the version in force (已被修订) or of the document that repealed it (已废止)
    history: str = ""  # the bracketed history line as written (laws)
    copies: list[str] = field(default_factory=list)  # other files holding the same document

    @property
    def version_date(self) -> str:
        """The date that dates this version: the latest of 修订/修正/公布/发布/通过 …, else 施行, else ''."""
        dated = [self.dates[e] for e in VERSION_EVENTS if self.dates.get(e)]
        return max(dated, default=self.dates.get("施行", ""))

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE

    def to_dict(self) -> dict:
        """Document → plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        """Plain dict (from JSON) → Document."""

        def part(p: dict) -> Part:
            return Part(p["number"], p["title"], p["departments"], [part(i) for i in p["items"]])

        return cls(**{**d, "parts": [part(p) for p in d["parts"]], "notes": [VersionNote(**n) for n in d["notes"]]})


@dataclass
class Repeal:
    """A document repealed by another's text: 「……《退役士兵安置条例》同时废止」."""

    target: str  # doc_id of the repealed document
    by: str  # doc_id of the repealing document
    clause_id: str  # the clause that states it
    named: str  # the title as the clause writes it


@dataclass
class Corpus:
    """Everything parsed from the sources: documents and their clauses, in reading order."""

    documents: list[Document]
    clauses: list[Clause]
    skipped_sources: list[str] = field(default_factory=list)  # byte-identical duplicates
    files: list["FileReport"] = field(default_factory=list)  # what became of each source file
    repeals: list[Repeal] = field(default_factory=list)  # documents repealed by another's text
    asked: dict[str, list[str]] = field(default_factory=dict)  # clause_id → questions it answers (knowledge/asked.py)

    @property
    def left_out(self) -> list["FileReport"]:
        """Files the parser could not place (reported, not indexed)."""
        return [f for f in self.files if f.role == "left out"]


@dataclass
class FileReport:
    """One source file in the build report: its role, the documents it gave and its warnings."""

    source: str
    role: str  # "parsed" | "copy" | "duplicate" | "left out"
    layout: str = ""
    doc_ids: list[str] = field(default_factory=list)
    clauses: int = 0
    warnings: list[str] = field(default_factory=list)  # "line N: why": something the parser had to guess or skip
    detail: str = ""  # what a copy differs by, or what it duplicates


@dataclass
class Hit:
    """One retrieved clause with its fused score."""

    clause: Clause
    doc_title: str
    score: float
    doc_status: str = IN_FORCE

    def to_dict(self) -> dict:
        """Hit → the search JSON result object (knowledge/contract.py:SearchHit)."""
        from knowledge.contract import SearchHit  # the contract reads these records: imported late, no cycle

        return SearchHit.of(self.clause, self.doc_title, doc_status=self.doc_status, score=round(self.score, 4)).payload()


@dataclass
class SearchResult:
    """A query's answer: whether the documents answer it and the ranked hits."""

    query: str
    answerable: bool
    hits: list[Hit]
    evidence: dict[str, float] = field(default_factory=dict)  # cosine, coverage, oov, confidence
    key_concepts: list[str] = field(default_factory=list)  # what the question asks about (knowledge/concepts.py)
    missing_concepts: list[str] = field(default_factory=list)  # the key concepts when no candidate clause states them
    replaced: Hit | None = None  # the best clause when it comes from a version no longer in force
    replaced_by: str = ""  # doc_id of the version in force that replaced it
    pointer: str = ""  # where to turn instead: staff marked such questions "not covered" (knowledge/links.py), or they are answered elsewhere (knowledge/elsewhere.py)
    related: bool = False  # not answerable, yet close enough that the best clause is offered as related (not asserted)
    vector: Any = field(default=None, repr=False, compare=False)  # the query's unit vector as searched (numpy row)

    def to_dict(self) -> dict:
        """SearchResult → the search JSON object."""
        out = {
            "query": self.query,
            "answerable": self.answerable,
            "confidence": round(self.evidence.get("confidence", 0.0), 4),
            "results": [h.to_dict() for h in self.hits],
        }
        if self.replaced is not None:
            out["replaced"] = self.replaced.to_dict() | {"replaced_by": self.replaced_by}
        if self.pointer:
            out["pointer"] = self.pointer
        return out
