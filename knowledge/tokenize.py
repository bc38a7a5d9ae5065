"""Tokenisation for keyword search: Chinese text → jieba search-mode tokens with the domain dictionary."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

_KEEP = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")
STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 嘛 是 我 你 他 她 我们 你们 他们 能 能不能 可以 可不可以 会 会不会 有 有没有 没有 "
    "不 要 想 去 在 和 与 及 或 等 对 把 被 给 让 就 都 也 还 又 这 那 这个 那个 什么 怎么 怎么办 怎样 如何 "
    "哪里 哪些 哪 为什么 多少 请问 一下 一个 个 些 自己 现在 已经 如果 还是 之 其 并 而 按 从 向 于 以 为 "
    "吗 嗯 哦 呗 啦 规定 政策 国家 政府".split()
)


class Tokenizer:
    """A jieba tokenizer of its own (the global one is left alone) loaded with the user dictionary."""

    def __init__(self, userdict: Path):
        self.userdict = userdict

    @functools.cached_property
    def _jieba(self):
        stat = self.userdict.stat()
        return _loaded(self.userdict, stat.st_mtime_ns, stat.st_size)

    def tokens(self, text: str) -> list[str]:
        """Text → lower-cased search-mode tokens without stopwords and punctuation."""
        text = unicodedata.normalize("NFKC", text).lower()
        return [t for t in self._jieba.cut_for_search(text) if _KEEP.search(t) and t not in STOPWORDS and t.strip()]


@functools.lru_cache(maxsize=2)
def _loaded(userdict: Path, mtime_ns: int, size: int):
    """A user dictionary (path and its version) → a jieba tokenizer loaded with it, one per process: loading costs
    about a second of CPU, and every retriever (an index swap makes a new one) only reads it."""
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(userdict))
    return tokenizer
