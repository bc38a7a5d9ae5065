"""Message understanding: what a citizen typed → the text the NLU and retrieval should read.

One step before the dialogue manager and retrieval, for every channel (the gateway's
`server.conversation` calls it): full-width digits and letters folded (「３５岁」 → 「35岁」, numbers
kept as they are meaningful), masked personal data (「138****5678」) replaced by one placeholder
the NLU is trained on, pinyin and English policy terms turned into Chinese, emoji and voice-style
fillers dropped, and a long story cut down to its question sentence(s). `questions` splits a
cleaned message into the questions it asks, so each can be answered.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.normalize import strip_control

LEXICON = Path(__file__).resolve().parent / "lexicon"
PLACEHOLDER = "〈号码〉"  # what the NLU reads where the gateway masked an ID, phone or card number
MAX_QUESTIONS = 3  # answered in one reply; more are named and asked to be sent separately
LONG_MESSAGE = 60  # characters: above this, a message is cut down to its question sentences

# 138****5678 (mobile), 4401**********1234 (身份证), ****1234 (bank card): server.privacy's masks
_MASKED = re.compile(r"(?:\+?86[- ]?)?\d{0,4}\*{4,}[\dXx]{4}")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z' -]*[A-Za-z]|[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")
_TERMINATOR = "。！？!?；;\n "
_FILLER = re.compile(r"^(?:[嗯呃额啊哎唉噢哦嘛呀喂]+|那个啥|那什么|就是说|(?:那个){2,}|emm+|em+)[，,、。.\s~～…]*", re.IGNORECASE)
# 「见习补贴是啥子东西」「是个啥玩意儿」: the plain 「是什么」 retrieval and the NLU know
_WHAT_IS = re.compile(r"是(?:个|些)?(?:啥子|啥|什么)(?:东西|玩意儿?|意思)")
_HESITATION = re.compile(r"^(?:那个|就是|这个)+[，,、\s]*")
_CONNECTIVE = re.compile(r"^(?:另外|还有|还想问一下|还想问|再问一下|再问|以及|此外|顺便问一下|顺便问下|然后)[，,、\s]*")
_GREETING = re.compile(r"^(?:(?:你好|您好|在吗|在不在|有人吗|请问一下|请问|打扰一下|麻烦问一下|麻烦问下|我想问一下|我想问下|想问一下|想问下"
                       r"|我想咨询一下|想咨询一下)[，,、！!？?\s]*)+")
# how citizens introduce a number they type: removed with the placeholder from what retrieval reads
_NUMBER_PHRASE = re.compile(rf"(?:我的?|本人)?(?:手机号?码?|电话号?码?|联系电话|联系方式|身份证号?码?|银行卡号?|卡号)?(?:是|为|：|:)?\s*"
                            rf"{PLACEHOLDER}\s*(?:(?:这|这个)?是我的?(?:号码|电话|手机号?|身份证号?|卡号))?[，,。、\s]*")
_QUESTION_CUES = ("吗", "呢", "怎么", "什么", "如何", "怎样", "哪", "多少", "多久", "多长", "谁", "是否", "能不能", "可不可以", "可以不",
                  "有没有", "咋", "啥", "想问", "想知道", "想了解", "请问", "咨询", "要不要", "行不行", "该不该", "?", "？")


@dataclass
class Understanding:
    """A message as understood: `text` for the NLU and retrieval, and what was done to it."""

    text: str
    masked: bool = False  # personal numbers were hidden (the citizen is told once)
    unclear_latin: list[str] = field(default_factory=list)  # Latin words that could not be read

    @property
    def needs_chinese(self) -> bool:
        """True when nothing readable is left: only Latin letters the assistant cannot map."""
        return bool(self.unclear_latin) and not _CJK.search(self.text)


def understand(raw: str) -> Understanding:
    """A citizen's (already masked) message → an Understanding; slash commands pass unchanged."""
    text = strip_control(raw).strip()
    if text.startswith("/"):
        return Understanding(text)
    text = fold_width(text)
    text, masked = _placeholders(text)
    text, unclear = _latin_to_chinese(text)
    text = _drop_symbols(text)
    text = _WHAT_IS.sub("是什么", focus(text))
    return Understanding(text or raw.strip(), masked, unclear)


def fold_width(text: str) -> str:
    """「３５岁，ＡＢ」 → 「35岁，AB」: full-width digits, letters and the ideographic space; Chinese punctuation kept."""
    return "".join(unicodedata.normalize("NFKC", c) if c.isalnum() and ord(c) >= 0xFF00 or c == "\u3000" else c
                   for c in text)


def _placeholders(text: str) -> tuple[str, bool]:
    replaced = _MASKED.sub(PLACEHOLDER, text)
    return replaced, replaced != text


def without_placeholder(text: str) -> str:
    """The text without the masked-number placeholder and the words introducing it (what retrieval searches)."""
    return re.sub(r"\s+", " ", _NUMBER_PHRASE.sub("", text).replace(PLACEHOLDER, "")).strip(" ，,")


def _drop_symbols(text: str) -> str:
    """Emoji and pictographs (category So/Sk, variation selectors) → removed; they carry no question."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("So", "Sk", "Cs", "Mn") or c in PLACEHOLDER)
    return re.sub(r"[ \t]{2,}", " ", kept).strip()


# --- Latin letters: English terms and toneless pinyin ------------------------------------------------

def _latin_to_chinese(text: str) -> tuple[str, list[str]]:
    """Each run of Latin letters → Chinese when every word is a known English term, stop word or pinyin."""
    unclear: list[str] = []

    def convert(match: re.Match) -> str:
        run = match.group(0)
        chinese = read_latin(run)
        if chinese is None:
            unclear.append(run)
            return run
        return chinese

    return _LATIN_RUN.sub(convert, text), unclear


def read_latin(run: str) -> str | None:
    """'chuangye daikuan' → '创业贷款', 'startup loan' → '创业贷款'; None when some word is unknown.

    Short runs that are small talk in the NLU data (hi, ok, bye, AI) come back unchanged.
    """
    table = _latin_table()
    low = run.lower().strip()
    if low in table["keep"]:
        return run
    whole = _segment_pinyin(re.sub(r"[^a-z]", "", low), table["pinyin"])
    if whole:
        return whole
    words = []
    for word in re.split(r"[\s'-]+", low):
        if word in table["stop"]:
            continue
        chinese = table["english"].get(word) or _segment_pinyin(word, table["pinyin"])
        if not chinese:
            return None
        words.append(chinese)
    return "".join(words) or None


def _segment_pinyin(letters: str, pinyin: dict[str, str]) -> str | None:
    """'chuangyedaikuan' → '创业贷款' by the fewest dictionary words covering every letter; None if impossible."""
    if not letters:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 24), end):
            word = pinyin.get(letters[start:end])
            if word and best[start] is not None and (best[end] is None or len(best[start]) + 1 < len(best[end])):
                best[end] = best[start] + [word]
    return "".join(best[-1]) if best[-1] else None


@functools.lru_cache(maxsize=1)
def _latin_table() -> dict:
    """→ {"english", "stop", "keep", "pinyin"} from lexicon/latin.yaml and the domain vocabularies."""
    latin = yaml.safe_load((LEXICON / "latin.yaml").read_text("utf-8"))
    return {"english": latin["english"], "stop": set(latin["stop"]), "keep": set(latin.get("keep", [])),
            "pinyin": _pinyin_words(tuple(latin["pinyin_words"]) + _domain_words())}


def _domain_words() -> tuple[str, ...]:
    """Every word of the jieba domain dictionary, the synonyms and the benefit lexicon."""
    words = [line.split()[0] for line in (LEXICON / "jieba" / "userdict.txt").read_text("utf-8").splitlines() if line.strip()]
    synonyms = yaml.safe_load((LEXICON / "synonyms.yaml").read_text("utf-8"))
    words += [w for key, terms in synonyms.items() for w in [key, *terms]]
    from knowledge.benefits import default_lexicon  # here: Rasa's environment imports this module and lacks pydantic-settings

    lexicon = default_lexicon()
    words += [w for section in (lexicon.benefits, lexicon.groups) for key, terms in section.items() for w in [key, *terms]]
    return tuple(w for w in words if _CJK.search(w))


def _pinyin_words(words: tuple[str, ...]) -> dict[str, str]:
    """Chinese words → {toneless pinyin: word}; the first word wins a shared spelling."""
    from pypinyin import Style, lazy_pinyin  # only the gateway reads Latin input

    table: dict[str, str] = {}
    for word in words:
        table.setdefault("".join(lazy_pinyin(word, style=Style.NORMAL)).replace("ü", "v"), word)
    return table


# --- Sentences: fillers, stories and several questions ------------------------------------------------

def sentences(text: str) -> list[str]:
    """Text → its sentences, each with its own end mark, fillers and connectives removed, empty ones dropped."""
    out = []
    for raw in _SENTENCE.findall(text):
        body = _without_fillers(raw.strip())
        if body.strip(_TERMINATOR + "，,、"):
            out.append(body)
    return out


def _without_fillers(sentence: str) -> str:
    """「喂喂那个我想问一下就是那个创业贷款啊怎么弄」 → 「创业贷款啊怎么弄」: leading fillers, connectives and greetings,
    repeatedly; 那个/就是 only after one of them (alone, 「那个补贴怎么申请」 points back to the last answer).
    A greeting stays where the sentence asks nothing: 「你好呀小助手」 is small talk, 「小助手」 would be a riddle."""
    body, greeting = sentence, ((_GREETING,) if is_question(sentence) else ())
    while True:
        before = body
        for pattern in (_FILLER, _CONNECTIVE, *greeting) + ((_HESITATION,) if body != sentence else ()):
            rest = pattern.sub("", body)
            body = rest if rest.strip(_TERMINATOR) else body
        if body == before:
            return body


def is_question(sentence: str) -> bool:
    """True when a sentence asks something (a question word or mark), not only greets."""
    rest = _GREETING.sub("", sentence).strip(_TERMINATOR + "，,、")
    return len(rest) >= 3 and any(cue in sentence for cue in _QUESTION_CUES)


def focus(text: str) -> str:
    """A message → what to answer: a long story → its question sentence(s); several questions → each, marked ？."""
    parts = sentences(text)
    asked = [s for s in parts if is_question(s)]
    if len(asked) >= 2:
        return "".join(_as_question(_GREETING.sub("", s)) for s in asked)
    if asked:
        parts = [s for s in parts if _GREETING.sub("", s).strip(_TERMINATOR + "，,、")]  # 「你好，在吗？」 before a question
    if len(text) > LONG_MESSAGE and asked:
        return asked[0]
    if len(text) > LONG_MESSAGE and parts:
        return parts[-1]  # a story without a question word: its last sentence is what the citizen wants
    return "".join(parts).strip() or text


def _as_question(sentence: str) -> str:
    return sentence.rstrip(_TERMINATOR + "，,、") + "？"


def questions(text: str) -> list[str]:
    """A cleaned message → the separate questions it asks (one item when it asks one thing or none)."""
    asked = [s.rstrip(_TERMINATOR) for s in sentences(text) if is_question(s)]
    return asked if len(asked) >= 2 else [text]
