"""Encodings: the bytes of a text or HTML file → str (UTF-8, GBK/GB18030 or a BOM-marked UTF-16)."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from knowledge.errors import SourceError

# GB18030 is a superset of GB2312 and GBK: declared or detected, those are decoded as GB18030 so
# the characters GBK added (and pages that say gb2312 but use them) still decode.
_GB_ALIASES = {"gb2312", "gbk", "gb18030", "cp936", "euc-cn", "x-gbk", "hz-gb-2312"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CANDIDATES = ["utf_8", "gb18030"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # not \t \n \f \r: text files use those


def codec_name(declared: str) -> str | None:
    """A declared charset label ('GB2312', 'utf8') → the Python codec to decode it with, None if unknown."""
    label = declared.strip().strip("'\"").lower()
    if label in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """File bytes (+ a charset the file declares) → text with \\n line ends; SourceError naming file and line."""
    text = _decode(data, source, declared)
    control = _CONTROL.search(text)
    if control and (control.group() == "\x00" or len(_CONTROL.findall(text)) > len(text) // 100):
        line = text[: control.start()].count("\n") + 1
        raise SourceError(source, line, "contains control bytes (NUL or others): binary data, not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, source: str, declared: str | None) -> str:
    """Bytes → str: a BOM wins, then UTF-8, then the declared charset, then detection among GB encodings."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    codec = codec_name(declared) if declared else None
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common on saved pages: detect instead
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None and best.encoding != "utf_8":
        try:
            return data.decode(best.encoding)
        except UnicodeDecodeError:
            pass
    line = data[: utf8_error.start].count(b"\n") + 1
    raise SourceError(source, line, f"neither UTF-8 nor GBK/GB18030 text (invalid byte at offset {utf8_error.start}): "
                      "save the file as UTF-8") from utf8_error


def _strict(data: bytes, codec: str, source: str) -> str:
    """Bytes with a BOM → str, or SourceError naming the line of the first invalid byte."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise SourceError(source, line, f"invalid {codec} byte at offset {exc.start}: save the file as UTF-8") from exc
