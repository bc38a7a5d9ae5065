"""Notice layout (通知/意见 with a 文号 line): a source text (Markdown-ish, one or more documents) → Documents and Clauses.

Stages: lines → paragraphs (page breaks rejoined) → documents (split at 文号 lines) →
sections (parts, items, departments) → clause-sized spans with their source lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.errors import SourceError
from knowledge.layouts.common import cn_number, region_of
from knowledge.normalize import join_cjk_spaces
from knowledge.segment import LEAD_NOTE, department_names, sentence_spans, split_departments
from knowledge.types import Clause, Document, Part

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD = re.compile(r"^\*\*(.+)\*\*$")
_RULE = re.compile(r"^(-{3,}|━{3,}|={3,}|\*{3,})$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(印发|发布)?$")
_PART = re.compile(r"^([一二三四五六七八九十]{1,3})、(.{2,40})$")
_ITEM = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,4})\s*[）)]\s*")
_TERMINAL = tuple("。！？；：）)」”』】!?;:")
NAME = "notice"


@dataclass
class Para:
    """A paragraph of the source: joined text, its kind, and where each source line starts in it."""

    text: str
    kind: str  # heading | docnum | rule | date | body
    line: int
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, source line)

    def line_at(self, offset: int) -> int:
        """Character offset in text → 1-based source line."""
        return max((ln for off, ln in self.starts if off <= offset), default=self.line)


def doc_slug(doc_number: str) -> str:
    """'国发〔2017〕28号' → 'gf2017-28' (pinyin initials, year, serial)."""
    from pypinyin import Style, lazy_pinyin

    m = re.match(r"(.+)〔(\d{4})〕(\d+)号", doc_number)
    initials = "".join(lazy_pinyin(m.group(1), style=Style.FIRST_LETTER))
    return f"{initials.lower()}{m.group(2)}-{m.group(3)}"


def detect(text: str) -> bool:
    """True when a text has a 文号 on a line of its own, i.e. is a notice's official layout."""
    return any(DOC_NUMBER.fullmatch(_clean(line)) for line in text.splitlines())


def parse(text: str, source: str) -> tuple[list[Document], list[Clause], list[str]]:
    """The layout interface (see knowledge.layouts): text and file name → documents, clauses, warnings."""
    documents, clauses = parse_official(text, source)
    return documents, clauses, []


def _clean(line: str) -> str:
    """A source line → its text without Markdown heading marks or bold markers."""
    line = line.strip()
    m = _HEADING.match(line)
    if m:
        line = m.group(2).strip()
    b = _BOLD.match(line)
    return b.group(1).strip() if b else line


def _kind(line: str) -> str:
    """A raw source line → the kind of paragraph it opens."""
    stripped, clean = line.strip(), _clean(line)
    if _RULE.match(stripped):
        return "rule"
    if DOC_NUMBER.fullmatch(clean):
        return "docnum"
    if _DATE.match(clean):
        return "date"
    if _HEADING.match(stripped) or _BOLD.match(stripped) or _PART.match(clean):
        return "heading"
    return "body"


def paragraphs(text: str) -> list[Para]:
    """Source text → paragraphs, with sentences split by page breaks (blank lines) rejoined."""
    paras: list[Para] = []
    pending_blank = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            pending_blank = True
            continue
        kind, clean = _kind(raw), _clean(raw)
        prev = paras[-1] if paras else None
        continues = prev and prev.kind == "body" and kind == "body" and not prev.text.endswith(_TERMINAL)
        if prev and (continues or (not pending_blank and kind == prev.kind == "body")):
            if not _ITEM.match(clean):
                prev.starts.append((len(prev.text), number))
                prev.text += clean
                pending_blank = False
                continue
        paras.append(Para(clean, kind, number, [(0, number)]))
        pending_blank = False
    return paras


def parse_official(text: str, source: str) -> tuple[list[Document], list[Clause]]:
    """An official source's text → its documents and their clauses, in reading order."""
    paras = paragraphs(text)
    starts = [i for i, p in enumerate(paras) if p.kind == "docnum"]
    if not starts:
        raise SourceError(source, None, "no document number (文号) on a line of its own, e.g. 国发〔2017〕28号")
    regions = []
    for n, i in enumerate(starts):
        begin = i - 1 if i > 0 and paras[i - 1].kind == "heading" else i
        end = (starts[n + 1] - 1 if paras[starts[n + 1] - 1].kind == "heading" else starts[n + 1]) if n + 1 < len(starts) else len(paras)
        regions.append((begin, i, end))
    documents, clauses = [], []
    for begin, num_at, end in regions:
        doc, doc_clauses = _parse_document(paras[begin:end], num_at - begin, source)
        documents.append(doc)
        clauses.extend(doc_clauses)
    _assign_print_dates(documents, paras)
    return documents, clauses


def _title_and_issuer(paras: list[Para], num_at: int, source: str) -> tuple[str, str, int]:
    """Paragraphs around the 文号 → (title, issuer, index of the first paragraph after the title)."""
    before = paras[num_at - 1].text if num_at > 0 else ""
    after = paras[num_at + 1] if num_at + 1 < len(paras) else None
    if before.endswith("文件") and after is not None and after.kind == "heading":
        title, issuer, body_at = after.text, before[: -len("文件")], num_at + 2
    elif before:
        title, body_at = before, num_at + 1
        issuer = re.split(r"关于|转发|印发", title, maxsplit=1)[0]
    else:
        raise SourceError(source, paras[num_at].line, "document number without a title heading before it")
    return join_cjk_spaces(title), issuer, body_at


class _Builder:
    """Walks one document's paragraphs and collects its parts, items and clauses."""

    def __init__(self, doc: Document, slug: str, source: str):
        self.doc, self.slug, self.source = doc, slug, source
        self.part: Part | None = None
        self.item: Part | None = None
        self.closed = False  # the current section already got its department list
        self.epilogue = False  # text after the last section closed: the closing words
        self.section: list[tuple[Para, str, int]] = []  # (paragraph, body text, offset of body)
        self.clauses: list[Clause] = []
        self.lead = False

    def key(self) -> str:
        """The current section → the stem of its clause ids."""
        if self.part is None:
            return f"{self.slug}.p0"
        if self.epilogue:
            return f"{self.slug}.end"
        stem = f"{self.slug}.p{cn_number(self.part.number)}"
        return f"{stem}.i{cn_number(self.item.number)}" if self.item else stem

    def path(self) -> list[str]:
        """The current section → its heading path."""
        if self.part is None:
            return ["导语"]
        if self.epilogue:
            return ["结语"]
        return [self.part.title] + ([self.item.title] if self.item else [])

    def flush(self, departments: list[str]) -> None:
        """Turn the pending section text into clauses carrying the given departments."""
        stem, path, n = self.key(), self.path(), 0
        for para, body, offset in self.section:
            for s, e in sentence_spans(body):
                text = body[s:e].strip()
                lead = len(body[s:e]) - len(body[s:e].lstrip())
                n += 1
                self.clauses.append(Clause(
                    clause_id=f"{stem}.s{n}", doc_number=self.doc.doc_number, doc_id=self.doc.doc_id, text=text, path=path,
                    departments=departments, source=self.source, line=para.line_at(offset + s + lead),
                ))
        self.section = []

    def add_body(self, para: Para) -> None:
        """A body paragraph → section text, closing the section at a trailing department list."""
        text, offset = para.text, 0
        m = _ITEM.match(text)
        if m and self.part is not None:
            self.flush(self.item.departments if self.item else [])
            title_end = text.find("。", m.end())
            title = text[m.end():title_end] if 0 < title_end - m.end() <= 40 else ""
            self.item = Part(m.group(1), f"（{m.group(1)}）{title}")
            self.part.items.append(self.item)
            self.closed, offset = False, (title_end + 1 if title else m.end())
        elif self.closed and self.part is not None:
            self.epilogue = True
        body, dept = split_departments(text[offset:])
        if body.strip():
            self.section.append((para, body, offset))
        if dept is not None:
            self.lead = self.lead or LEAD_NOTE in dept
            names = department_names(dept)
            (self.item or self.part or Part("", "")).departments.extend(names)
            self.flush(names)
            self.closed = True

    def add_part(self, para: Para, number: str, title: str) -> None:
        """A part heading → a new part; pending text goes to the section before it."""
        self.flush(self._departments())
        self.part, self.item = Part(number, f"{number}、{title}"), None
        self.closed = self.epilogue = False
        self.doc.parts.append(self.part)

    def _departments(self) -> list[str]:
        section = self.item or self.part
        return section.departments if section and not self.closed else []


def _parse_document(paras: list[Para], num_at: int, source: str) -> tuple[Document, list[Clause]]:
    """One document's paragraphs → the Document and its clauses."""
    number = paras[num_at].text
    title, issuer, body_at = _title_and_issuer(paras, num_at, source)
    doc = Document(doc_number=number, title=title, issuer=issuer, source=source, doc_id=doc_slug(number),
                   layout=NAME, kind="规范性文件", region=region_of(title, issuer))
    builder = _Builder(doc, doc_slug(number), source)
    for i, para in enumerate(paras[body_at:], start=body_at):
        m = _PART.match(para.text)
        if para.kind == "heading" and m:
            builder.add_part(para, m.group(1), m.group(2))
        elif para.kind == "date":
            if not _DATE.match(para.text).group(4):
                doc.dates["成文"] = _iso(para.text)
        elif para.kind == "body" and not _is_furniture(paras, i, builder):
            builder.add_body(para)
        elif para.kind == "heading":
            raise SourceError(source, para.line, f"unrecognised heading 「{para.text}」: expected 一、… part headings")
    builder.flush(builder._departments())
    if builder.lead:
        for clause in builder.clauses:
            clause.lead_department = clause.departments[0] if clause.departments else ""
    if not builder.clauses:
        raise SourceError(source, paras[num_at].line, f"document {number} has no text")
    return doc, builder.clauses


def _is_furniture(paras: list[Para], i: int, builder: _Builder) -> bool:
    """Addressee line, signature, 公开方式, 抄送 and printer lines: metadata, not clauses."""
    text = paras[i].text
    nxt = paras[i + 1] if i + 1 < len(paras) else None
    if builder.part is None and not builder.section and text.endswith(("：", ":")):
        builder.doc.addressee = text.rstrip("：:")
        return True  # addressee line (各省、自治区…：)
    if text.startswith(("公开方式", "抄送", "主送", "主题词")):
        return True
    return nxt is not None and nxt.kind == "date" and not text.endswith(_TERMINAL)  # signature


def _iso(date_text: str) -> str:
    """'2017年4月13日' → '2017-04-13'."""
    y, m, d, _ = _DATE.match(date_text).groups()
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _assign_print_dates(documents: list[Document], paras: list[Para]) -> None:
    """The colophon's 印发 date belongs to the outermost (first) document of the file."""
    for para in paras:
        m = _DATE.match(para.text) if para.kind == "date" else None
        if m and m.group(4) == "印发":
            documents[0].dates["印发"] = _iso(para.text)
