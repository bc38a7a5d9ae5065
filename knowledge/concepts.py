"""Key concepts: a question and its candidate clauses → the concepts it asks about that no candidate states.

The key concept of 「工伤认定怎么申请」 is what stands before the asking words (怎么, 多少, 去哪里 …),
plus the verb right after 怎么/如何 (「公积金怎么提取」 → 公积金, 提取): its dictionary nouns and
verbs, minus group names (who asks), generic words and the asking words themselves. It is present
when one candidate clause (text with headings) contains all of them (one may be missing when there
are three or more); colloquial words count through their policy terms. 「工伤认定」 is absent from
the employment notices although 工伤 and 认定 each occur; a document that adds a clause on 工伤认定
makes the same question answerable, with no list of topics anywhere.
Yes/no questions (「…吗」「有没有…」) carry no key phrase: the retrieval confidence decides them.
"""

from __future__ import annotations

import functools
import re

from knowledge.qtype import cue_span

_ASK = re.compile(r"怎么办|怎么样|怎么|怎样|如何|咋")
_CUT = re.compile(r"[，。？！,.?!；;：:\s]+")
_TAGS = ("n", "nz", "nt", "vn", "j", "i", "l", "v")  # jieba tags of nouns, verbs, idioms, abbreviations
_MODAL = re.compile(r"^[能可会要想该][\u4e00-\u9fff]$")  # 能干, 能领, 要交: a modal glued to a verb
# 「交了3年」「35岁」「每月3000元」: the citizen's own figures, facts of the case, never what is asked about
_QUANTITY = re.compile(r"^[\d０-９.．一二三四五六七八九十百千万两半几]+(年|个月|月|岁|周岁|天|日|元|块|万|万元|%|％|个|次|人)?$")
# Words that say how or what is asked, not what about (their presence in a clause proves nothing).
GENERIC = frozenset(
    "申请 办理 申领 领取 手续 流程 材料 条件 标准 比例 金额 期限 时间 有效 过期 地方 地点 部门 补贴 补助 政策 规定 "
    "要求 文件 问题 情况 办法 人员 政府 国家 每月 每个月 一个月 每年 几年 多久 需要 可以 应该 知道 觉得 听说 现在 以后 "
    "时候 一般 消息 是从 处理 解决 操作 安排 安置 享受 获得 得到 报名 参加 补办 进行 计算 发放 缴纳 使用 "
    "对象 包括 范围 人群 具体".split()
)


@functools.lru_cache(maxsize=4)
def _pos(jieba_tokenizer):
    """A jieba tokenizer (shared by the retrievers of a process) → a part-of-speech tagger sharing its dictionary."""
    import jieba.posseg

    return jieba.posseg.POSTokenizer(jieba_tokenizer)


def key_phrase(question: str) -> str:
    """A clean question → 'what it is about|verb after 怎么' for its first asking words ('' for yes/no questions)."""
    for part in _CUT.split(question):
        ask = _ASK.search(part)
        spans = [s for s in (cue_span(part), ask.span() if ask else None) if s]
        if not spans:
            continue
        start, end = min(spans, key=lambda s: (s[0], s[1]))
        verb = part[end:] if _ASK.match(part, start) else ""
        return part[:start] + "|" + verb
    return ""


@functools.lru_cache(maxsize=1)
def group_terms() -> frozenset[str]:
    """→ every word the benefit lexicon uses for a group of people (who asks is not what is asked)."""
    from knowledge.benefits import default_lexicon

    groups = default_lexicon().groups
    return frozenset(groups) | {t for terms in groups.values() for t in terms}


def concepts(question: str, tokenizer, lexicon) -> list[list[str]]:
    """A clean question, the retriever's Tokenizer and synonym Lexicon → its key concepts, each as the
    forms that count as present."""
    groups = group_terms()
    phrase = key_phrase(question)
    if not phrase.strip("|"):
        return []
    found, rest = [], phrase
    for key, others in lexicon.entries(phrase).items():  # synonyms and numbers in their other spelling
        rest = rest.replace(key, " ")
        forms = [key, *others]
        if not any(f in groups for f in forms) and not _QUANTITY.match(key):
            found.append(forms)
    head, tail = rest.split("|", 1)
    words = list(_pos(tokenizer._jieba).cut(head, HMM=False))
    after = list(_pos(tokenizer._jieba).cut(tail, HMM=False))[:1]  # only the verb right after 怎么/如何
    for w in words + [a for a in after if a.flag.startswith("v")]:
        if len(w.word) > 1 and w.flag.startswith(_TAGS) and w.word not in GENERIC and w.word not in groups \
                and not _MODAL.match(w.word) and not _QUANTITY.match(w.word):
            found.append([w.word])
    return [c for c in found if not any(c is not o and c[0] in f for o in found for f in o)]  # 住房 ⊂ 住房公积金


def check(question: str, candidates: list[str], tokenizer, lexicon) -> tuple[list[str], list[str]]:
    """A clean question and candidate clause texts → (its key concepts, the same when no candidate states
    them else [])."""
    found = concepts(question, tokenizer, lexicon)
    key = [forms[0] for forms in found]
    need = len(found) - (1 if len(found) >= 3 else 0)
    if not found or any(sum(any(f in text for f in forms) for forms in found) >= need for text in candidates):
        return key, []
    return key, key
