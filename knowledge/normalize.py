"""Text normalisation: raw strings → match keys (for comparing copies) and clean queries.

Quoted text is never normalised: these forms are only for matching.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")

# Cantonese colloquial words → Mandarin, applied BEFORE 繁→简 (係 would otherwise become 系,
# which collides with 体系/关系). Keys in traditional and simplified forms; longest first.
_CANTONESE = {
    "可唔可以": "可不可以", "係唔係": "是不是", "系唔系": "是不是", "係咪": "是不是", "系咪": "是不是",
    "有冇": "有没有", "點樣": "怎么", "点样": "怎么", "點解": "为什么", "点解": "为什么",
    "邊度": "哪里", "边度": "哪里", "邊個": "谁", "边个": "谁", "乜嘢": "什么", "咩嘢": "什么",
    "我哋": "我们", "佢哋": "他们", "而家": "现在", "搵工": "找工作", "揾工": "找工作",
    "搵": "找", "揾": "找", "攞": "拿", "畀": "给", "嘅": "的", "咗": "了", "唔": "不",
    "冇": "没有", "咩": "什么", "係": "是", "我系": "我是", "佢系": "他是", "你系": "你是",
    "佢": "他", "啲": "些", "喺": "在", "嚟": "来", "睇": "看", "返工": "上班", "做嘢": "工作",
}
_CANTONESE_RE = re.compile("|".join(sorted(map(re.escape, _CANTONESE), key=len, reverse=True)))


def match_key(text: str) -> str:
    """Any text → a key for comparing two copies: NFKC width folding, no whitespace."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def join_cjk_spaces(text: str) -> str:
    """'国务院关于做好 就业' → '国务院关于做好就业': drop line-wrap spaces between CJK characters."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def strip_control(text: str) -> str:
    """Remove control and zero-width characters, keeping ordinary whitespace as spaces."""
    return _CONTROL.sub(" ", text)


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: only queries need it

    return opencc.OpenCC("hk2s")


def to_simplified(text: str) -> str:
    """繁体/Hong Kong text → Simplified Chinese, Cantonese colloquialisms → Mandarin."""
    mandarin = _CANTONESE_RE.sub(lambda m: _CANTONESE[m.group(0)], text)
    return _t2s().convert(mandarin)


def clean_query(text: str, max_chars: int) -> str:
    """A raw user query → NFKC-folded, simplified, single-spaced, at most max_chars characters."""
    text = strip_control(text)
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    text = _WS.sub(" ", text).strip()
    return text[:max_chars]
