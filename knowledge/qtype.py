"""Question types: a citizen's question → what kind of specific it asks for, and whether a clause states it.

Seven kinds: age (多少岁), amount (多少钱), duration (多久), place (去哪里办), procedure (怎么申请), eligibility
(什么条件), validity (还有效吗). A clause "states" an amount when it has a figure with a unit, a
duration when it has a count of years/months/days, and so on; when the clauses chosen for an answer
do not state what was asked, the answer says so first (「政策文件没有规定具体金额」).
"""

from __future__ import annotations

import re

from knowledge.normalize import clean_query

# Checked in this order: 「去哪里申请」 asks for a place, 「申请要多久」 for a duration; 「多少天内」 asks for a duration,
# 「交了多少年能领多少钱」 for an amount.
CUES: dict[str, str] = {
    "age": r"多少岁|几岁|多少周岁|多大年龄|多大年纪|多大岁数|年龄是多少|年龄多少",
    "amount": r"多少钱|多少(?!天|年|个月|日|周|个工作日)|几多(?!天|年|个月|日|周|个工作日)|金额|补多少|给多少|几块|几千|几万|几百|比例|额度|标准是|什么标准|啥标准",
    "duration": r"多久|多长时间|多长|几年|几个月|几天|多少天|多少年|多少个月|多少日|多少周|多少个工作日|几多天|几多日|几多年|几多个月|期限|什么时候|啥时候|何时|最长",
    "place": r"去哪|在哪|哪里|哪儿|找谁|哪个部门|什么部门|什么地方|啥地方|窗口",
    "procedure": r"怎么申请|如何申请|怎么办理|如何办理|怎么领|如何领|怎样申请|怎么报名|怎么弄|咋申请|咋办理|咋领"
                 r"|申请流程|办理流程|流程|手续|材料|步骤|程序",
    "eligibility": r"什么条件|啥条件|哪些条件|条件是|要求是|有资格|资格|谁能|谁可以|哪些人|什么人",
    "validity": r"有效|过期|失效|还能用|还算数|还执行|作废|截止",
}
_CUES = {kind: re.compile(pattern) for kind, pattern in CUES.items()}

_NUM = r"[0-9０-９.]+|[一二三四五六七八九十百千万两半]+"
# 「离校2年内」「稳定就业1年以上」「军龄10年」 say who qualifies, not how long something lasts or takes.
STATUS = ("离校", "毕业", "失业", "就业", "入伍", "服役", "现役", "军龄", "工龄", "居住", "参保", "缴费", "工作", "经营", "创业")
_NOT_STATUS = "".join(f"(?<!{w})" for w in STATUS)
# What a clause must contain to state each kind of specific.
STATES: dict[str, re.Pattern] = {
    "age": re.compile(r"(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*周?岁"),
    "amount": re.compile(rf"(?:{_NUM})\s*(?:元|万元|千元|百元|%|％|倍)|百分之|标准为|比例为|额度为"),
    "duration": re.compile(rf"(?<![0-9]){_NOT_STATUS}(?:[0-9]{{1,2}}|[一二三四五六七八九十两半]+)\s*(?:年|个月|周|天|日|个工作日)"
                           r"(?:以上|以内|内|以下)?|期限为"),
    "place": re.compile(r"窗口|服务大厅|服务中心|经办机构|服务机构|网上办理|网上受理|向[^，。；]{1,20}(?:部门|机构)(?:申请|提出|申领)"),
    "procedure": re.compile(r"提交|材料|程序|流程|凭[^，。；]{1,20}(?:申领|申请|办理)|向[^，。；]{1,20}(?:申请|申领|提出)|审核|受理"),
    "eligibility": re.compile(r"符合[^，。；]{0,6}条件|对象|范围|纳入|扩大到|扩展到|对[^，。；]{2,30}的|以上的|以内的|具有|取得"),
    "validity": re.compile(r"[0-9]{4}\s*年|有效期|期限|截至|起施行|之日起"),
}

# A question asking for one of these is not answered by a clause that does not state it (retrieve.py `answerable`):
# their STATES patterns are figures with units. Durations are not among them: 「那几年算不算工龄」 asks whether.
FIGURES = ("age", "amount")

NOT_STATED: dict[str, str] = {
    "age": "政策文件没有规定具体年龄。",
    "amount": "政策文件没有规定具体金额（标准）。",
    "duration": "政策文件没有规定具体期限。",
    "place": "政策文件没有规定具体的办理地点。",
    "procedure": "政策文件没有规定具体的申请流程和材料。",
    "eligibility": "政策文件没有写明具体的申领条件。",
    "validity": "政策文件没有写明有效期。",
}


def classify(question: str) -> str | None:
    """A question → the specific it asks for ('age', 'amount', 'duration', 'place', 'procedure', 'eligibility',
    'validity'), or None for a general question (「有什么政策」); 繁体 and Cantonese are read as 简体 Mandarin."""
    question = clean_query(question, len(question) + 1)
    for kind, cue in _CUES.items():
        if match := cue.search(question):
            if kind == "amount" and _METHOD.search(question):
                return None  # 「标准是怎么定的」 asks how a figure is set: a rule that says how answers it
            return "eligibility" if kind == "duration" and _after_status(question, match.start()) else kind
    return None


_METHOD = re.compile(r"怎么定|怎样定|如何定|点定|怎么确定|如何确定|按什么|照什么|依据什么|怎么算出来|怎么计算|如何计算")


def _after_status(question: str, at: int) -> bool:
    """「离校几年内都算」: a duration asked right after a status word asks who qualifies (eligibility)."""
    return question[:at].rstrip("了快已经才满").endswith(STATUS)


def states(kind: str, text: str) -> bool:
    """A question type and clause text → whether the text states that kind of specific."""
    return bool(STATES[kind].search(text))


def cue_span(question: str) -> tuple[int, int] | None:
    """A question → (start, end) of its first question-type cue, or None."""
    found = [m.span() for cue in _CUES.values() if (m := cue.search(question))]
    return min(found) if found else None
