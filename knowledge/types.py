"""Typed records that flow through the pipeline: documents, clauses, notes, search hits."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    doc_number: str
    text: str  # verbatim original characters, page breaks rejoined
    path: list[str]  # headings from part to item, e.g. ["四、抓好…", "（十一）鼓励…"]
    departments: list[str] = field(default_factory=list)
    lead_department: str = ""
    source: str = ""  # file the text was read from
    line: int = 0  # 1-based line in that file where the clause starts
    official: bool = True  # False: text found only in an unofficial copy
    notes: list[VersionNote] = field(default_factory=list)

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


@dataclass
class Document:
    """One official document: its metadata, its clause tree and its notes."""

    doc_number: str  # 文号, e.g. 国发〔2017〕28号
    title: str
    issuer: str
    dates: dict[str, str] = field(default_factory=dict)  # {"成文": "2017-04-13", "印发": …}
    source: str = ""
    addressee: str = ""  # 主送 line, e.g. 各省、自治区、直辖市人民政府…
    parts: list[Part] = field(default_factory=list)
    notes: list[VersionNote] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Document → plain dict for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        """Plain dict (from JSON) → Document."""

        def part(p: dict) -> Part:
            return Part(p["number"], p["title"], p["departments"], [part(i) for i in p["items"]])

        return cls(
            doc_number=d["doc_number"],
            title=d["title"],
            issuer=d["issuer"],
            dates=d["dates"],
            source=d["source"],
            addressee=d.get("addressee", ""),
            parts=[part(p) for p in d["parts"]],
            notes=[VersionNote(**n) for n in d["notes"]],
        )


@dataclass
class Corpus:
    """Everything parsed from the sources: documents and their clauses, in reading order."""

    documents: list[Document]
    clauses: list[Clause]
    skipped_sources: list[str] = field(default_factory=list)  # byte-identical duplicates


@dataclass
class Hit:
    """One retrieved clause with its fused score."""

    clause: Clause
    doc_title: str
    score: float

    def to_dict(self) -> dict:
        """Hit → the search JSON result object."""
        c = self.clause
        return {
            "clause_id": c.clause_id,
            "doc_number": c.doc_number,
            "doc_title": self.doc_title,
            "path": c.path,
            "text": c.text,
            "departments": c.departments,
            "score": round(self.score, 4),
            "notes": [asdict(n) for n in c.notes],
            "official": c.official,
        }


@dataclass
class SearchResult:
    """A query's answer: whether the documents answer it and the ranked hits."""

    query: str
    answerable: bool
    hits: list[Hit]
    evidence: dict[str, float] = field(default_factory=dict)  # cosine, coverage, oov, confidence
    key_concepts: list[str] = field(default_factory=list)  # what the question asks about (knowledge/concepts.py)
    missing_concepts: list[str] = field(default_factory=list)  # the key concepts when no candidate clause states them

    def to_dict(self) -> dict:
        """SearchResult → the search JSON object."""
        return {
            "query": self.query,
            "answerable": self.answerable,
            "confidence": round(self.evidence.get("confidence", 0.0), 4),
            "results": [h.to_dict() for h in self.hits],
        }
