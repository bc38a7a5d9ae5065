"""Word documents (.docx) → text: body paragraphs and table rows in document order (python-docx).

The zip package is checked before python-docx unpacks it (python-docx reads every part into
memory): a size or compression ratio no real document has is refused, so a zip bomb costs a
directory listing, not memory. python-docx parses XML without resolving entities.
"""

from __future__ import annotations

import io
import logging
import zipfile

from knowledge.errors import SourceError

log = logging.getLogger(__name__)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: a .doc, or a password-protected .docx
_MAX_PARTS = 5000
_MAX_RATIO = 200  # Word XML deflates 5–20×; a part packed far tighter is a zip bomb


def extract(data: bytes, source: str) -> str:
    """DOCX bytes → its paragraphs and table rows, each on a line, separated by a blank line."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    media = _check_package(data, source)
    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
        blocks = [text for block in content for text in _texts(block)]
        numbered = sum(1 for block in content if _numbered(block) and block.text.strip())
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, zipfile.BadZipFile) as exc:
        raise SourceError(source, None, f"not a readable DOCX ({type(exc).__name__}: {exc})") from exc
    if not blocks:
        what = "only images (a scan saved as Word?)" if media else "no text"
        raise SourceError(source, None, f"DOCX holds {what}: add the document's text version")
    if numbered:
        log.warning("%s: %d paragraphs are numbered automatically by Word; their numbers (第X条, （一）…) are not "
                    "in the text: type them in, or the articles cannot be told apart", source, numbered)
    return "\n\n".join(blocks) + "\n"


def _check_package(data: bytes, source: str) -> bool:
    """DOCX bytes → True when it holds media; SourceError when it is no zip, no Word file, or a zip bomb."""
    from knowledge.config import KnowledgeSettings, env_name

    if data.startswith(_OLE):
        raise SourceError(source, None, "an old Word .doc or a password-protected document: save it as an "
                          "unprotected .docx")
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise SourceError(source, None, "not a DOCX file (not a zip package)") from exc
    names = {p.filename for p in parts}
    if "word/document.xml" not in names:
        raise SourceError(source, None, "not a Word document (the package has no word/document.xml)")
    limit = 2 * KnowledgeSettings().max_source_mb * 2**20
    unpacked = sum(p.file_size for p in parts)
    if len(parts) > _MAX_PARTS or unpacked > limit:
        raise SourceError(source, None, f"DOCX unpacks to {unpacked / 2**20:.0f} MB in {len(parts)} parts: refused "
                          f"as a zip bomb (limit: twice the setting {env_name('max_source_mb')})")
    for p in parts:
        if p.file_size > 2**20 and p.file_size > _MAX_RATIO * max(p.compress_size, 1):
            raise SourceError(source, None, f"DOCX part {p.filename} is compressed {p.file_size // max(p.compress_size, 1)}×: "
                              "refused as a zip bomb")
    _refuse_doctype(data, parts, source)
    return any(name.startswith("word/media/") for name in names)


_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _refuse_doctype(data: bytes, parts: list[zipfile.ZipInfo], source: str) -> None:
    """SourceError when an XML part declares a DOCTYPE: Word never writes one, and entity declarations are how
    XML tricks (billion laughs, external entities) begin — refused before any parser sees them."""
    package = zipfile.ZipFile(io.BytesIO(data))
    for p in parts:
        if p.filename.endswith((".xml", ".rels")) and any(mark in package.read(p).upper() for mark in _DOCTYPE):
            raise SourceError(source, None, f"DOCX part {p.filename} declares a DOCTYPE (XML entities): refused")


def _numbered(block) -> bool:
    """A body block → True for a paragraph numbered by Word's list numbering (directly or by its style)."""
    from docx.table import Table

    if isinstance(block, Table):
        return False
    holders = [block._p]
    style = block.style
    while style is not None:
        holders.append(style.element)
        style = style.base_style
    return any(h.pPr is not None and h.pPr.numPr is not None for h in holders)


def _texts(block) -> list[str]:
    """A body paragraph or table → its non-empty text lines (a table: one line per row, cells joined by ' | ')."""
    from docx.table import Table

    if not isinstance(block, Table):
        text = block.text.strip()
        return [text] if text else []
    rows = []
    for row in block.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is returned once per grid column it spans
            if id(cell._tc) not in seen and cell.text.strip():
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        if cells:
            rows.append(" | ".join(cells))
    return rows
