"""Law layout (法/条例/规定/办法/细则 as the national law database publishes them): text → Document and Clauses.

Title line; optional bracketed history line (通过/修订/修正/公布/施行 dates and bodies); optional
目录; 编/章/节 headings; 第X条 articles whose paragraphs are 款 and whose （一） lines are 项;
附件. Old regulations without 第X条 (一、 parts, plain paragraphs) are cut into sentences under
their headings. A clause is an article, or one 款 when the article's text is longer than
MAX_CLAUSE_CHARS; a 款 that leads into a 项 list is quoted with its lead-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.errors import UnplaceableSource
from knowledge.layouts import lawmeta
from knowledge.layouts.common import cn_number, cn_numeral, slug
from knowledge.segment import MAX_CLAUSE_CHARS, sentence_spans
from knowledge.types import Clause, Document, Part

NAME = "law"
_NUM = "[一二三四五六七八九十百零〇两]+"
TITLE = re.compile(r"^\S.{1,80}(法|条例|规定|办法|细则|规则|决定|命令|通知|意见|通则|纲要|章程|批复|规范|方案)"
                   r"([（(](试行|草案|暂行|修订|修正|修订草案)[）)])?$")
_NOT_TITLE = re.compile(r"(做法|方法|用法|吃法|说法|看法|想法|写法|算法|食法)$")
HEADING = re.compile(rf"^第({_NUM})(编|分编|章|节)[\s\u3000]*([^。；，]{{0,40}})$")
ARTICLE = re.compile(rf"^第({_NUM})条(?:之({_NUM}))?([\s\u3000]*)(.*)$")
ARTICLE_LINE = re.compile(rf"^\s*第{_NUM}条(?:之{_NUM})?[\s\u3000]", re.M)
ITEM = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
PART = re.compile(r"^[一二三四五六七八九十]{1,3}、")
ANNEX = re.compile(r"^(附件|附录|附表|附[:：])")
TOC = re.compile(r"^目[\s\u3000]*录$")
_TERMINAL = tuple("。！？；：」”;:!?")
_IN_FORCE = re.compile(r"自(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起施行")
PREAMBLE = "正文"  # path of text before the first heading (a preamble, or an old regulation's opening)
_LEGAL_WORDS = ("本规定", "本办法", "本条例", "本法", "本细则", "本决定", "人民政府", "国务院", "应当", "不得")


@dataclass
class _Para:
    line: int
    text: str


@dataclass
class _Article:
    """One 第X条 with its 款 (each a list: the 款's own text, then its 项 lines)."""

    label: str  # 第二十七条
    key: str  # id stem: a27, a10-1
    line: int
    path: list[str]
    paragraphs: list[list[_Para]] = field(default_factory=list)


@dataclass
class _Block:
    """Text outside articles (preamble, annex, a document without articles): paragraphs under one heading."""

    key: str
    path: list[str]
    paras: list[_Para] = field(default_factory=list)


def detect(text: str) -> bool:
    """True when a text opens with a law-like title and has a history line, articles or legal wording."""
    paras = paragraphs(text)
    if not paras or not is_title(paras[0].text):
        return False
    if len(paras) > 1 and lawmeta.HISTORY.match(paras[1].text):
        return True
    body = "".join(p.text for p in paras[1:])
    return bool(ARTICLE_LINE.search(text)) or any(w in body for w in _LEGAL_WORDS)


def is_title(line: str) -> bool:
    """True for a line that reads as the title of a law, regulation, rule or notice."""
    return bool(TITLE.match(line)) and not _NOT_TITLE.search(line) and not line.endswith(_TERMINAL)


def paragraphs(text: str) -> list[_Para]:
    """Text → paragraphs: non-blank lines, a line wrapped inside a sentence joined to the next."""
    paras: list[_Para] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if paras and len(paras) > 1 and _continues(paras[-1].text, line):
            paras[-1].text += line
        else:
            paras.append(_Para(number, line))
    return paras


def _continues(prev: str, line: str) -> bool:
    """True when `line` carries on the sentence `prev` left open (hard-wrapped text)."""
    if prev.endswith(_TERMINAL) or _is_marker(line):
        return False
    heading = HEADING.match(prev) or TOC.match(prev) or lawmeta.HISTORY.match(prev) or ANNEX.match(prev)
    return not heading and not (len(prev) <= 40 and PART.match(prev))


def _is_marker(line: str) -> bool:
    return bool(HEADING.match(line) or ITEM.match(line) or PART.match(line) or ANNEX.match(line)
                or TOC.match(line) or lawmeta.HISTORY.match(line) or ARTICLE_LINE.match(line + " "))


def parse(text: str, source: str) -> tuple[list[Document], list[Clause], list[str]]:
    """A law's text → ([Document], clauses, warnings 'line N: why'); no body raises UnplaceableSource."""
    paras = paragraphs(text)
    title = paras[0].text
    history = paras[1].text if len(paras) > 1 and lawmeta.HISTORY.match(paras[1].text) else ""
    body = _skip_toc(paras[2 if history else 1:])
    doc = lawmeta.document(title, history, source)
    doc.layout = NAME
    walker = _Walker(doc)
    for para in body:
        walker.add(para)
    if not walker.articles and not any(b.paras for b in walker.blocks):
        raise UnplaceableSource(source, paras[0].line, f"「{title}」 has no article body (no 第X条 and no text after the title)")
    if "施行" not in doc.dates:
        _date_in_force(doc, walker.articles[-5:])
    doc.doc_id = document_id(doc)
    return [doc], walker.clauses(), walker.warnings


def _date_in_force(doc: Document, articles: list[_Article]) -> None:
    """No 施行 date in the history line → the one the closing articles state (「本法自2008年1月1日起施行」)."""
    for article in reversed(articles):
        m = next(filter(None, (_IN_FORCE.search(p.text) for kuan in article.paragraphs for p in kuan)), None)
        if m:
            doc.dates["施行"] = lawmeta.iso(m)
            return


def document_id(doc: Document) -> str:
    """A law → its stable id: title initials (without 中华人民共和国) and the version date."""
    stem = slug(doc.title.removeprefix("中华人民共和国")) or "doc"
    return f"{stem}-{doc.version_date}" if doc.version_date else stem


def _skip_toc(paras: list[_Para]) -> list[_Para]:
    """Paragraphs → the same without a 目录 block (its headings repeat before the text)."""
    at = next((i for i, p in enumerate(paras) if TOC.match(p.text)), None)
    if at is None:
        return paras
    first = next((p.text for p in paras[at + 1:] if HEADING.match(p.text)), None)
    again = next((i for i, p in enumerate(paras[at + 2:], start=at + 2) if p.text == first), None)
    return paras[:at] + paras[again:] if again is not None else paras[:at] + paras[at + 1:]


class _Walker:
    """Walks a law's body paragraphs: headings set the path, 第X条 open articles, the rest are 款/项."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.book = ""
        self.chapter: Part | None = None
        self.section: Part | None = None
        self.articles: list[_Article] = []
        self.blocks: list[_Block] = []
        self.annex = False
        self.warnings: list[str] = []

    def heading_path(self) -> list[str]:
        """→ the current [编, 章, 节] headings."""
        return [h for h in (self.book, self.chapter and self.chapter.title, self.section and self.section.title) if h]

    def add(self, para: _Para) -> None:
        """One body paragraph → an annex, a heading, a new article, a 款/项 of the current article, or block text."""
        text = para.text
        heading, article = HEADING.match(text), ARTICLE.match(text)
        if (ANNEX.match(text) and len(text) <= 60) or self.annex:
            self._annex(para)
        elif heading:
            self._heading(heading, text)
        elif article and self._opens_article(article):
            self._article(article, para)
        elif self.articles:
            current = self.articles[-1].paragraphs
            if ITEM.match(text) and current:
                current[-1].append(para)  # a 项 belongs to the 款 before it
            else:
                current.append([para])
        else:
            self._block_text(para)

    def _annex(self, para: _Para) -> None:
        """A 附件 heading opens an annex block; every later paragraph belongs to it."""
        if ANNEX.match(para.text) and len(para.text) <= 60:
            self.annex = True
            self.blocks.append(_Block(f"annex{sum(b.key.startswith('annex') for b in self.blocks) + 1}", [para.text]))
        else:
            self.blocks[-1].paras.append(para)

    def _block_text(self, para: _Para) -> None:
        """Text before any article: a short 一、 heading opens a block, anything else joins the current one."""
        if PART.match(para.text) and len(para.text) <= 40 and not para.text.endswith("。"):
            self.blocks.append(_Block(f"p{len(self.blocks) + 1}", [para.text]))
            return
        if not self.blocks:
            self.blocks.append(_Block("p0", [PREAMBLE]))
        self.blocks[-1].paras.append(para)

    def _opens_article(self, m: re.Match) -> bool:
        """A paragraph starting 第X条 opens an article when a space follows or the number is the next one."""
        if m.group(3):
            return True
        expected = (self._number(self.articles[-1]) + 1) if self.articles else 1
        return cn_number(m.group(1)) == expected

    @staticmethod
    def _number(article: _Article) -> int:
        return int(article.key[1:].split("-")[0])

    def _heading(self, m: re.Match, text: str) -> None:
        title = re.sub(r"[\s\u3000]+", "\u3000", text)
        if m.group(2) in ("编", "分编"):
            self.book, self.chapter, self.section = title, None, None
        elif m.group(2) == "章":
            self.chapter, self.section = Part(m.group(1), title), None
            self.doc.parts.append(self.chapter)
        else:
            self.section = Part(m.group(1), title)
            if self.chapter is None:
                self.chapter = Part("", "")
                self.doc.parts.append(self.chapter)
            self.chapter.items.append(self.section)

    def _article(self, m: re.Match, para: _Para) -> None:
        number = cn_number(m.group(1))
        expected = (self._number(self.articles[-1]) + 1) if self.articles else 1
        if not m.group(2) and number != expected:
            self.warnings.append(f"line {para.line}: 第{m.group(1)}条 where 第{cn_numeral(expected)}条 was expected")
        key = f"a{number}" + (f"-{cn_number(m.group(2))}" if m.group(2) else "")
        label = para.text[: m.start(3)]
        article = _Article(label, key, para.line, self.heading_path() + [label])
        if m.group(4).strip():
            article.paragraphs.append([_Para(para.line, m.group(4).strip())])
        self.articles.append(article)

    def clauses(self) -> list[Clause]:
        """Articles and blocks → clauses, in reading order (blocks before the first article first)."""
        out: list[Clause] = []
        for article in self.articles:
            if not article.paragraphs:
                self.warnings.append(f"line {article.line}: {article.label} has no text")
                continue
            out.extend(self._article_clauses(article))
        front = [b for b in self.blocks if not b.key.startswith("annex")]
        rest = [b for b in self.blocks if b not in front]
        return [c for b in front for c in self._block_clauses(b)] + out + [c for b in rest for c in self._block_clauses(b)]

    def _clause(self, key: str, text: str, path: list[str], line: int, paragraph: int = 0) -> Clause:
        doc = self.doc
        return Clause(clause_id=f"{doc.doc_id}.{key}", doc_number=doc.doc_number, doc_id=doc.doc_id, text=text,
                      path=path, source=doc.source, line=line, paragraph=paragraph)

    def _article_clauses(self, article: _Article) -> list[Clause]:
        """An article → one clause, or one per 款 (long 款 with 项: lead-in + 项 chunks; else sentences)."""
        texts = ["\n".join(p.text for p in kuan) for kuan in article.paragraphs]
        if len("\n".join(texts)) <= MAX_CLAUSE_CHARS:
            return [self._clause(article.key, "\n".join(texts), article.path, article.line)]
        out = []
        for n, (kuan, text) in enumerate(zip(article.paragraphs, texts), start=1):
            key = f"{article.key}.k{n}"
            pieces = [text] if len(text) <= MAX_CLAUSE_CHARS else _long_paragraph(kuan)
            for m, piece in enumerate(pieces, start=1):
                out.append(self._clause(key if len(pieces) == 1 else f"{key}.{m}", piece, article.path, kuan[0].line, n))
        return out

    def _block_clauses(self, block: _Block) -> list[Clause]:
        """Text outside articles → sentence-sized clauses under the block's heading."""
        out = []
        for para in block.paras:
            for s, e in sentence_spans(para.text):
                text = para.text[s:e].strip()
                out.append(self._clause(f"{block.key}.s{len(out) + 1}", text, block.path, para.line))
        return out


def _long_paragraph(kuan: list[_Para]) -> list[str]:
    """A 款 over the limit → its lead-in with as many 项 as fit, repeated; or its sentences when it has no 项."""
    lead, items = kuan[0].text, [p.text for p in kuan[1:]]
    if not items or len(lead) > MAX_CLAUSE_CHARS // 2:
        return _fit("\n".join(p.text for p in kuan))
    chunks, current = [], []
    for item in items:
        if current and len(lead) + sum(len(i) + 1 for i in current) + len(item) + 1 > MAX_CLAUSE_CHARS:
            chunks.append(current)
            current = []
        current.append(item)
    chunks.append(current)
    return [piece for chunk in chunks for piece in _fit("\n".join([lead, *chunk]))]


def _fit(text: str) -> list[str]:
    """A lead-in with its 项 → itself when it fits, else its sentences (a single 项 longer than the limit)."""
    return [text] if len(text) <= MAX_CLAUSE_CHARS else [text[s:e].strip() for s, e in sentence_spans(text)]


def article_count(text: str) -> int:
    """Raw text → how many lines open with a 第X条 heading (a check on the parse)."""
    return len(ARTICLE_LINE.findall(text))

