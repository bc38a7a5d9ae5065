"""Message understanding: widths, masked numbers, Latin input, fillers, stories and several questions."""

import pytest

from knowledge.understand import PLACEHOLDER, questions, read_latin, understand, without_placeholder


@pytest.mark.parametrize("raw, expected", [
    ("我３５岁失业了怎么办", "我35岁失业了怎么办"),
    ("我毕业2年了能领见习补贴吗", "我毕业2年了能领见习补贴吗"),  # digits are kept: they are the question
    ("嗯嗯嗯那个啥我刚毕业找不到工作咋整", "我刚毕业找不到工作咋整"),
    ("我是退役军人😀😀，有啥补贴👍", "我是退役军人，有啥补贴"),
    ("你好，在吗？创业贷款怎么申请？", "创业贷款怎么申请？"),
    ("喂喂那个我想问一下就是那个创业贷款怎么弄", "创业贷款怎么弄"),  # 那个/就是 after a filler: hesitation
    ("额那个退伍的有啥好政策没有", "退伍的有啥好政策没有"),
    ("那个补贴怎么申请", "那个补贴怎么申请"),  # alone, 那个 points back to the last answer
    ("啊我想问下那个稳岗补贴是啥子东西", "稳岗补贴是什么"),
    ("你好呀小助手", "你好呀小助手"),  # asks nothing: the greeting is the message
    ("你好，我是退伍军人，有什么补贴", "我是退伍军人，有什么补贴"),
])
def test_cleaned_text(raw, expected):
    assert understand(raw).text == expected


def test_masked_numbers_become_one_placeholder_and_are_flagged():
    for masked in ("我手机138****5678，失业了怎么办", "身份证4401**********123X，能领补贴吗", "卡号****1234收不到补贴"):
        u = understand(masked)
        assert u.masked and PLACEHOLDER in u.text and "*" not in u.text
        assert PLACEHOLDER not in without_placeholder(u.text)
    assert not understand("我35岁，毕业2年").masked


@pytest.mark.parametrize("latin, chinese", [
    ("chuangye daikuan zenme shenqing", "创业贷款怎么申请"),
    ("jiuye jianxi butie", "就业见习补贴"),
    ("how to apply for startup loan", "怎么申请创业贷款"),
])
def test_pinyin_and_english_terms_become_chinese(latin, chinese):
    assert read_latin(latin) == chinese
    assert understand(latin).text == chinese and not understand(latin).needs_chinese


def test_unreadable_latin_asks_for_chinese_but_small_talk_and_mixed_text_pass():
    assert understand("qwerty asdf zxcv").needs_chinese
    assert understand("hello").text == "hello" and not understand("hello").needs_chinese
    mixed = understand("这个是AI在回答吗")
    assert mixed.text == "这个是AI在回答吗" and not mixed.needs_chinese


def test_long_story_is_cut_to_its_question():
    story = ("我今年24岁，去年从广州一所大专毕业，家里是建档立卡贫困户，爸妈身体都不好，我一直在找工作但是一直没找到合适的，"
             "前几个月在一家小公司干了两个月又被辞退了。像我这种建档立卡贫困家庭的高校毕业生，能不能领求职创业补贴？")
    assert understand(story).text == "像我这种建档立卡贫困家庭的高校毕业生，能不能领求职创业补贴？"


def test_several_questions_are_split_and_connectives_dropped():
    u = understand("创业担保贷款怎么申请？另外高校毕业生求职创业补贴有吗？")
    assert questions(u.text) == ["创业担保贷款怎么申请", "高校毕业生求职创业补贴有吗"]
    assert questions("创业担保贷款怎么申请") == ["创业担保贷款怎么申请"]


def test_slash_commands_pass_untouched():
    payload = '/inform_group{"group":"高校毕业生"}'
    assert understand(payload).text == payload
