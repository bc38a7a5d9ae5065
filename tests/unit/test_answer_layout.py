"""Question types, key phrases, beneficiaries and the answer layout, on small hand-made clauses (no model)."""

import datetime as dt

import pytest

from knowledge import qtype
from knowledge.answer import compose
from knowledge.benefits import BenefitLexicon, benefits_for, names_beneficiary
from knowledge.concepts import key_phrase
from knowledge.types import Clause, Document, Hit, SearchResult

TODAY = dt.date(2026, 11, 25)
LOAN = Clause("c1", "粤府〔2017〕101号", "完善创业担保贷款工作机制，落实贴息资金和担保基金安排。", ["二、持续改善创业创新环境"],
              departments=["省人力资源社会保障厅", "财政厅"], doc_id="yf2017-101")
TRAINEE = Clause("c2", "粤府〔2017〕101号", "就业见习补贴范围扩大到离校2年内未就业高校毕业生。", ["三、抓好高校毕业生就业创业"],
                 departments=["省人力资源社会保障厅"], doc_id="yf2017-101")
TITLE = "广东省人民政府转发国务院关于做好当前和今后一段时期就业创业工作意见的通知"
DATES = {"yf2017-101": Document("粤府〔2017〕101号", TITLE, "广东省人民政府", {"成文": "2017-09-26"}, doc_id="yf2017-101")}


@pytest.mark.parametrize("question, kind", [
    ("创业担保贷款最多能贷多少钱", "amount"),
    ("退休年龄是多少岁", "age"),
    ("多大年纪可以领养老金", "age"),
    ("见习补贴一个月给几千块", "amount"),
    ("贷款最长能贷几年", "duration"),
    ("求职创业补贴去哪里申请", "place"),
    ("一次性创业补贴咋申请", "procedure"),
    ("申请要交什么材料", "procedure"),
    ("见习补贴要满足什么条件", "eligibility"),
    ("就业见习补贴发几个月", "duration"),
    ("新开的公司要在多少天内去办社保登记", "duration"),  # 多少 before a unit of time asks how long
    ("交了多少年社保能领多少钱", "amount"),
    ("失业保险金的标准是怎么定的", None),  # how a figure is set: a rule saying how answers it
    ("离校几年内还能领见习补贴", "eligibility"),  # a duration after a status word asks who qualifies
    ("失业快几个月了能领失业金吗", "eligibility"),
    ("这个政策现在还有效吗", "validity"),
    ("应届毕业生有什么补贴", None),
])
def test_question_types(question, kind):
    assert qtype.classify(question) == kind


def test_what_a_clause_states():
    assert qtype.states("duration", "贷款期限最长不超过3年") and not qtype.states("duration", LOAN.text)
    assert not qtype.states("duration", TRAINEE.text)  # 「离校2年内」 says who qualifies, not how long it is paid
    assert not qtype.states("duration", "稳定就业1年以上的") and qtype.states("eligibility", TRAINEE.text)
    assert qtype.states("amount", "给予每人1000元的一次性补贴") and not qtype.states("amount", LOAN.text)
    assert not qtype.states("duration", "2018年底前建成")  # a year is a date, not a length of time
    assert qtype.states("procedure", "持就业创业证向当地公共就业服务机构申请")
    assert qtype.states("age", "年满16周岁") and not qtype.states("age", "达到法定退休年龄时累计缴费满十五年")


@pytest.mark.parametrize("question, phrase", [
    ("工伤认定怎么申请", "工伤认定|申请"),
    ("公积金怎么提取", "公积金|提取"),
    ("我想问下，失业金每月多少", "失业金每月|"),
    ("我毕业2年了能领见习补贴吗", ""),  # yes/no: the retrieval confidence decides
])
def test_key_phrase_is_what_the_asking_words_are_about(question, phrase):
    assert key_phrase(question) == phrase


def test_family_and_workplace_are_not_beneficiaries():
    grads, disabled = ["高校毕业生", "大学生"], ["残疾人", "残疾"]
    text = "将求职创业补贴补助范围扩展到贫困残疾人家庭、建档立卡贫困家庭高校毕业生和特困人员中的高校毕业生。"
    assert names_beneficiary(text, grads, disabled) and not names_beneficiary(text, disabled, grads)
    sent = "引导鼓励高校毕业生到城乡基层、中小微企业就业，落实学费补偿、助学贷款代偿、资金补贴等政策。"
    assert not names_beneficiary(sent, ["小微企业"], grads)
    assert names_beneficiary("对首次创办小微企业的高校毕业生给予补贴。", ["小微企业"], grads)


def test_one_entry_per_clause_and_one_citation_each():
    lexicon = BenefitLexicon({"学费补偿": ["学费补偿"], "助学贷款代偿": ["助学贷款代偿"], "见习补贴": ["见习补贴"]},
                             {"高校毕业生": ["高校毕业生"], "残疾人": ["残疾人"]}, [])
    both = Clause("a", "X", "高校毕业生到基层就业的，落实学费补偿、助学贷款代偿政策。", [])
    copy = Clause("b", "X", "高校毕业生到基层就业的，落实学费补偿政策。", [], official=False)
    entries = benefits_for("高校毕业生", [copy, both, TRAINEE], lexicon)
    assert [(e.name, [c.clause_id for c in e.clauses]) for e in entries] == [("学费补偿、助学贷款代偿", ["a"]), ("见习补贴", ["c2"])]


def _result(*hits, answerable=True, key=(), missing=()):
    return SearchResult("q", answerable, [Hit(c, TITLE, s) for c, s in hits], {}, list(key), list(missing))


def test_answer_order_lead_quote_source_then_where_to_ask():
    text = compose("离校2年的毕业生能领见习补贴吗", _result((TRAINEE, 1.2), (LOAN, 0.9)), DATES, TODAY).text
    lines = text.split("\n")
    assert lines[0] == "适用政策：抓好高校毕业生就业创业。"
    assert lines[1] == f"「{TRAINEE.text}」"
    assert lines[2] == f"出处：《{TITLE}》（粤府〔2017〕101号）三、抓好高校毕业生就业创业"
    assert "12333" in lines[3] and "2017年9月26日" in lines[3]
    assert "责任单位" not in text and "财政厅" not in text  # departments only in the citation details


def test_unstated_amount_is_said_first_then_nearest_clause_then_where():
    reply = compose("创业担保贷款最多能贷多少钱", _result((LOAN, 1.1)), DATES, TODAY)
    lines = reply.text.split("\n")
    assert lines[0].startswith("政策文件没有规定具体金额") and lines[1] == f"「{LOAN.text}」"
    assert lines[2].startswith("出处：") and "人力资源社会保障部门" in lines[3] and "12333" in lines[3]
    assert reply.answerable and not reply.specific


def test_stated_duration_is_answered_plainly():
    reply = compose("见习补贴离校几年内能领", _result((TRAINEE, 1.1)), DATES, TODAY)
    assert reply.specific and reply.text.startswith("适用政策：")


def test_missing_concept_is_named_and_nothing_quoted():
    reply = compose("工伤认定怎么申请", _result((LOAN, 1.1), key=["工伤", "认定"], missing=["工伤", "认定"]), DATES, TODAY)
    assert not reply.answerable and not reply.hits
    assert "「工伤」和「认定」" in reply.text and "12333" in reply.text


def test_unsure_retrieval_still_says_what_is_not_specified_when_the_concept_is_there():
    unsure = _result((LOAN, 0.8), answerable=False, key=["创业担保贷款"])
    amount = compose("创业担保贷款能贷多少钱", unsure, DATES, TODAY)
    assert amount.text.startswith("政策文件没有规定具体金额") and not amount.answerable  # an unstated amount is no answer
    assert not compose("创业担保贷款的事", unsure, DATES, TODAY).answerable  # no specific asked: honest no


def test_a_near_but_unsure_result_offers_its_best_clause_as_related_not_as_an_answer():
    near = _result((TRAINEE, 0.8), (LOAN, 0.7), answerable=False)
    near.related = True
    reply = compose("毕业两年了去见习单位实习有钱拿吗", near, DATES, TODAY)
    lines = reply.text.split("\n")
    assert not reply.answerable and [h.clause for h in reply.hits] == [TRAINEE]  # one clause, its citation shown
    assert lines[0].startswith("现有政策文件中没有找到直接回答") and "可能相关" in lines[0] and lines[1] == f"「{TRAINEE.text}」"
    assert lines[2].startswith("出处：") and "12333" in lines[3]
    assert compose("毕业两年了去见习单位实习有钱拿吗", _result((TRAINEE, 0.8), answerable=False), DATES, TODAY).text.startswith("很抱歉")
    near_amount = _result((LOAN, 0.8), answerable=False)
    near_amount.related = True
    amount = compose("创业担保贷款一般能贷多少", near_amount, DATES, TODAY)
    assert not amount.answerable and amount.text.startswith("政策文件没有规定具体金额") and "可能相关" in amount.text.split("\n")[0]


NATIONAL_TRAINEE = Clause("n2", "国发〔2017〕28号", "将就业见习补贴范围扩大到离校2年内未就业高校毕业生，并提高补贴标准。",
                          ["四、抓好重点群体就业创业"], doc_id="gf2017-28")
FORWARDING = {"yf2017-101": Document("粤府〔2017〕101号", TITLE, "广东省人民政府", {}, doc_id="yf2017-101",
                                     source="notice.md", region="广东省"),
              "gf2017-28": Document("国发〔2017〕28号", "国务院关于做好当前和今后一段时期就业创业工作的意见", "国务院", {},
                                    doc_id="gf2017-28", source="notice.md", region="全国")}


def test_a_local_text_forwarding_the_national_one_leads_whatever_the_tie():
    """粤府 wraps 国发 in one source file: both sentences state one rule, so the local one leads either way."""
    for first, second in [(NATIONAL_TRAINEE, TRAINEE), (TRAINEE, NATIONAL_TRAINEE)]:
        reply = compose("见习补贴谁能领", _result((first, 1.20), (second, 1.18)), FORWARDING, TODAY)
        assert [h.clause.clause_id for h in reply.hits] == ["c2", "n2"]


def test_otherwise_close_clauses_are_quoted_best_first():
    longer = Clause("c3", "粤府〔2017〕101号", "对离校未就业高校毕业生参加就业见习的，按规定给予见习补贴，补贴标准由各地确定。",
                    ["三、抓好高校毕业生就业创业"], doc_id="yf2017-101")
    reply = compose("见习补贴谁能领", _result((longer, 1.20), (TRAINEE, 1.18)), FORWARDING, TODAY)
    assert [h.clause.clause_id for h in reply.hits] == ["c3", "c2"]  # same document: the better score, not the shorter
