"""The fixed Chinese texts citizens read: refusals, notices, where to ask — one catalogue.

Every fixed sentence the actions, the gateway, its fallback and the WeChat channels send is here, so
a wording or a hotline number changes in one place. The pages' own texts (widget.js, staff.html,
index.html, the Rasa domain) cannot import Python: tests/contract/test_texts.py checks every hotline
number they write is one of these.
"""

from __future__ import annotations

HOTLINE = "12333"  # 人力资源社会保障服务热线
GOV_HOTLINE = "12345"  # 政务服务便民热线

# answers (knowledge/answer.py)
ADVICE = f"政策可能已有更新，办理前请向当地人力资源社会保障部门咨询或拨打 {HOTLINE} 核实现行规定。"
WHERE_TO_ASK = f"具体标准和办理方式以当地规定为准，请向户籍地或就业地的人力资源社会保障部门（公共就业服务机构）咨询，或拨打 {HOTLINE}。"
NO_ANSWER = ("很抱歉，现有的政策文件中没有找到能回答这个问题的条款，我不能凭猜测回答。"
             f"您可以拨打 {HOTLINE} 人社服务热线，或点击「转人工」由工作人员为您解答。")
NO_DIRECT_CLAUSE = "现有政策文件中没有找到直接回答这个问题的条款。"
RELATED = "与您的问题可能相关的规定是（仅供参考）："
NOT_COVERED = ("很抱歉，现有的就业创业政策文件中没有{scope}{named}的条款，我不能凭猜测回答。"
               f"您可以拨打 {GOV_HOTLINE} 政务服务热线或 {HOTLINE} 人社服务热线，或点击「转人工」由工作人员为您解答。")
OUT_OF_SCOPE = ("抱歉，这个问题不在我能回答的范围内。我只能根据就业创业政策文件回答补贴、创业扶持、"
                f"社保参保、培训等问题。其他事项请拨打 {GOV_HOTLINE} 政务服务热线或 {HOTLINE}，也可以转人工。")

# the gateway: one turn (server/conversation.py, routes/chat.py), degraded mode (server/fallback.py)
POINTER_EXAMPLE = f"请咨询当地住房公积金管理中心，或拨打 {GOV_HOTLINE} 政务服务热线。"  # the console's example of a "not covered" pointer
EMPTY_MESSAGE = "请输入您要咨询的问题。"
ASK_CHINESE = ("抱歉，这段文字我没能看懂。请用中文描述您的问题（政策名称也可以用拼音），"
               "例如「创业担保贷款怎么申请」「应届毕业生能领什么补贴」。")
WAITING = f"您已在排队等待人工客服，请稍候；工作人员处理后会联系您。急事请拨打 {HOTLINE}。排队期间您也可以直接提问。"
DEGRADED_NOTICE = "（对话服务暂时不可用，以下为检索到的条款，暂不支持追问和转人工。）"
DEGRADED_NO_ANSWER = f"现有政策文件中没有找到能回答这个问题的条款。请拨打 {HOTLINE} 咨询。"
BUSY = f"抱歉，系统暂时繁忙，请稍后再试，或拨打 {HOTLINE} 咨询。"  # WeChat: the answer could not be produced

# handoff and complaints (actions/handoff.py)
HANDOFF_QUEUED = ("已为您转接人工服务（排队号 {ticket}），工作人员会尽快联系您。排队期间您仍可以继续提问；"
                  f"不需要人工时可以取消排队。如需立即咨询，请拨打 {HOTLINE}。")
COMPLAINT = (f"很抱歉给您带来不便。对办事部门或工作人员的投诉和意见，请拨打 {GOV_HOTLINE} 政务服务便民热线反映；"
             f"工资拖欠、不缴社保等劳动权益问题，可拨打 {HOTLINE} 或向当地劳动保障监察机构投诉。"
             "您也可以点击「转人工」，由工作人员记录您反映的情况。")
