"""WeChat channels end to end: requests built as WeChat builds them (wechatpy's own crypto),
a fake messaging API on loopback."""

import asyncio
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import xmltodict
from fastapi.testclient import TestClient
from wechatpy.crypto import WeChatCrypto
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto as WorkPrp
from wechatpy.enterprise.crypto import WeChatCrypto as WorkCrypto

from server.channels.render import render, split
from server.config import Settings
from server.dialogue import BotMessage, DialogueUnavailable
from server.main import create_app

pytestmark = pytest.mark.integration

TOKEN, AES_KEY, APP_ID, CORP_ID = "tok3n", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx123", "ww456"
CITED = [{"doc_number": "国发〔2017〕28号", "doc_title": "T", "path": ["一、", "（二）"], "clause_id": "c", "text": "原文"}]


class FakeDialogue:
    def __init__(self, delay=0.0, text="答复", fail=False):
        self.delay, self.text, self.fail, self.calls = delay, text, fail, []

    async def reply(self, sender_id, text):
        self.calls.append((sender_id, text))
        await asyncio.sleep(self.delay)
        if self.fail:
            raise DialogueUnavailable("connection refused")
        return [BotMessage(self.text, CITED, [{"title": "高校毕业生", "payload": "/a"}, {"title": "就业困难人员", "payload": "/b"}],
                           {"answerable": True})]


class FakeApi(BaseHTTPRequestHandler):
    """WeChat's token and message APIs: records every call in the server's `calls`."""

    def do_GET(self):
        url = urlparse(self.path)
        self.server.calls.append(("GET", url.path, parse_qs(url.query), None))
        self._json({"access_token": "AT-1", "expires_in": 7200})

    def do_POST(self):
        url = urlparse(self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.calls.append(("POST", url.path, parse_qs(url.query), body))
        self._json({"errcode": 0, "errmsg": "ok"})

    def _json(self, data):
        raw = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    server.calls = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def sent(api, path, count=1, timeout=5.0):
    """→ the JSON bodies POSTed to path, once at least count arrived (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        bodies = [c[3] for c in api.calls if c[0] == "POST" and c[1] == path]
        if len(bodies) >= count:
            time.sleep(0.2)  # nothing more should follow
            return [c[3] for c in api.calls if c[0] == "POST" and c[1] == path]
        time.sleep(0.05)
    return [c[3] for c in api.calls if c[0] == "POST" and c[1] == path]


def official(retriever, dialogue, api=None, aes=False, **kw):
    settings = Settings(wechat_token=TOKEN, wechat_app_id=APP_ID, wechat_app_secret="sec", wechat_aes_key=AES_KEY if aes else None,
                        wechat_api_base=f"http://127.0.0.1:{api.server_port}" if api else "http://127.0.0.1:9", **kw)
    return TestClient(create_app(settings, retriever=retriever, dialogue=dialogue), client=("127.0.0.1", 50000))  # /metrics: loopback


def wecom(retriever, dialogue, api=None, **kw):
    settings = Settings(wecom_token=TOKEN, wecom_aes_key=AES_KEY, wecom_corp_id=CORP_ID, wecom_secret="csec", wecom_agent_id=1000002,
                        wecom_api_base=f"http://127.0.0.1:{api.server_port}" if api else "http://127.0.0.1:9", **kw)
    return TestClient(create_app(settings, retriever=retriever, dialogue=dialogue))


def signed(ts=None, nonce="n0nce"):
    ts = str(ts or int(time.time()))
    return {"timestamp": ts, "nonce": nonce, "signature": hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest()}


def text_xml(content, msg_id=1001, user="openid-1", msg_type="text"):
    image = "<PicUrl><![CDATA[http://x/p.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId>"
    body = f"<Content><![CDATA[{content}]]></Content>" if msg_type == "text" else image
    return (f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}"
            f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


def post_plain(c, xml, **query):
    return c.post("/wechat/official", params={**signed(), **query}, content=xml.encode())


def encrypted(crypto, xml, nonce="n0nce"):
    """Plain XML → (envelope body, query) as WeChat sends it in 安全模式."""
    ts = str(int(time.time()))
    envelope = crypto.encrypt_message(xml, nonce, ts)
    return envelope, {"timestamp": ts, "nonce": nonce, "msg_signature": xmltodict.parse(envelope)["xml"]["MsgSignature"]}


def open_reply(crypto, reply_xml):
    """An encrypted passive reply → its Content, after checking its signature."""
    env = xmltodict.parse(reply_xml)["xml"]
    inner = crypto.decrypt_message(reply_xml, env["MsgSignature"], env["TimeStamp"], env["Nonce"])
    return xmltodict.parse(inner)["xml"]


def content(response):
    return xmltodict.parse(response.text)["xml"]["Content"]


# ---- rendering ---------------------------------------------------------------------------------

def test_render_keeps_the_answer_order_and_leaves_departments_to_staff():
    from knowledge.answer import compose
    from knowledge.types import Clause, Hit, SearchResult

    clause = Clause("c", "国发〔2017〕28号", "落实好创业担保贷款政策。", ["三、", "（十）"], departments=["财政部", "人民银行"])
    reply = compose("创业担保贷款能贷多少钱", SearchResult("q", True, [Hit(clause, "T", 1.0)]), {})
    cite = {"doc_number": clause.doc_number, "doc_title": "T", "path": clause.path, "clause_id": "c", "text": clause.text,
            "departments": clause.departments}
    [text] = render([BotMessage(reply.text, [cite], [{"title": "转人工", "payload": "/human_handoff"}])])
    lines = text.split("\n")
    assert lines[0].startswith("政策文件没有规定具体金额") and lines[1] == "「落实好创业担保贷款政策。」"
    assert lines[2] == "出处：《T》（国发〔2017〕28号）（十）" and lines[-1] == "可回复：转人工"
    assert "依据" not in text and "财政部" not in text and text.count(clause.text) == 1


def test_render_cites_hints_and_splits_by_bytes():
    [text] = render([BotMessage("答复", CITED, [{"title": "高校毕业生", "payload": "/a"}])])
    assert text == "答复\n依据：《T》（国发〔2017〕28号）一、 / （二）\n「原文」\n可回复：高校毕业生"
    chunks = split("\n".join(["第" + "很长" * 100 + "行"] * 20) + "\n" + "无换行" * 1000)
    assert len(chunks) > 3 and all(len(c.encode()) <= 2000 for c in chunks)
    assert "".join(chunks).replace("\n", "") == ("第" + "很长" * 100 + "行") * 20 + "无换行" * 1000


def test_engine_concurrent_retries_share_one_answer():
    from server.channels.engine import Engine

    calls, pushed = [], []

    async def answer(user, text):
        calls.append(text)
        await asyncio.sleep(0.1)
        return ["一", "二"]

    async def send(user, chunk):
        pushed.append(chunk)

    async def scenario():
        engine = Engine(answer, send, deadline_s=1.0)
        replies = await asyncio.gather(*(engine.handle("9", "u", "问") for _ in range(3)))
        await asyncio.sleep(0.05)
        return replies

    assert asyncio.run(scenario()) == ["一"] * 3 and calls == ["问"] and pushed == ["二"]


# ---- Official Account ----------------------------------------------------------------------------

def test_official_url_verification(retriever):
    with official(retriever, FakeDialogue()) as c:
        ok = c.get("/wechat/official", params={**signed(), "echostr": "e-123"})
        forged = c.get("/wechat/official", params={**signed(), "signature": "0" * 40, "echostr": "e-123"})
    assert ok.status_code == 200 and ok.text == "e-123" and forged.status_code == 403


def test_unconfigured_channels_are_not_mounted(retriever):
    with TestClient(create_app(Settings(), retriever=retriever, dialogue=FakeDialogue())) as c:
        assert c.get("/wechat/official").status_code == 404 and c.post("/wechat/work").status_code == 404


def test_official_plaintext_passive_reply_with_citation(retriever):
    dialogue = FakeDialogue()
    with official(retriever, dialogue) as c:
        r = post_plain(c, text_xml("我是应届毕业生，电话13812345678，能领什么补贴"))
        metrics = c.get("/metrics").text
    reply = xmltodict.parse(r.text)["xml"]
    assert r.status_code == 200 and reply["MsgType"] == "text" and reply["ToUserName"] == "openid-1" and reply["FromUserName"] == "gh_1"
    assert reply["Content"].startswith("答复\n依据：《T》（国发〔2017〕28号）一、 / （二）\n「原文」") and "可回复：高校毕业生 / 就业困难人员" in reply["Content"]
    assert dialogue.calls == [("wechat:openid-1", "我是应届毕业生，电话〈号码〉，能领什么补贴")]  # masked, then understood
    assert 'assistant_answers_total{answerable="true",channel="wechat"}' in metrics


def test_official_aes_reply_is_encrypted(retriever):
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    envelope, query = encrypted(crypto, text_xml("创业担保贷款"))
    with official(retriever, FakeDialogue(), aes=True) as c:
        r = c.post("/wechat/official", params={**signed(query["timestamp"]), **query, "encrypt_type": "aes"}, content=envelope.encode())
        forged = c.post("/wechat/official", params={**signed(query["timestamp"]), **query, "encrypt_type": "aes", "msg_signature": "0" * 40},
                        content=envelope.encode())
    assert r.status_code == 200 and "<Encrypt>" in r.text and "答复" not in r.text
    assert open_reply(crypto, r.text)["Content"].startswith("答复\n依据：《T》") and forged.status_code == 403


def test_official_forged_and_stale_requests_never_reach_the_dialogue(retriever):
    dialogue = FakeDialogue()
    with official(retriever, dialogue) as c:
        forged = c.post("/wechat/official", params={**signed(), "signature": "f" * 40}, content=text_xml("你好").encode())
        stale = c.post("/wechat/official", params=signed(int(time.time()) - 301), content=text_xml("你好").encode())
        future = c.post("/wechat/official", params=signed(int(time.time()) + 301), content=text_xml("你好").encode())
    assert (forged.status_code, stale.status_code, future.status_code) == (403, 403, 403) and dialogue.calls == []


def test_official_slow_answer_says_success_then_uses_the_api(retriever, api):
    dialogue = FakeDialogue(delay=1.0)
    with official(retriever, dialogue, api, wechat_reply_deadline_s=0.3) as c:
        started = time.monotonic()
        r = post_plain(c, text_xml("失业保险金怎么领", msg_id=2002))
        elapsed = time.monotonic() - started
        retry = post_plain(c, text_xml("失业保险金怎么领", msg_id=2002))
        bodies = sent(api, "/cgi-bin/message/custom/send")
    assert r.text == "success" and retry.text == "success" and elapsed < 0.9 and len(dialogue.calls) == 1
    assert len(bodies) == 1 and bodies[0]["touser"] == "openid-1" and bodies[0]["msgtype"] == "text"
    assert bodies[0]["text"]["content"].startswith("答复\n依据：《T》")
    token = [q for m, p, q, _ in api.calls if p == "/cgi-bin/token"][0]
    assert token == {"grant_type": ["client_credential"], "appid": [APP_ID], "secret": ["sec"]}
    assert all(q == {"access_token": ["AT-1"]} for m, p, q, _ in api.calls if m == "POST")


def test_official_retried_msgid_is_answered_once(retriever):
    dialogue = FakeDialogue()
    with official(retriever, dialogue) as c:
        first = post_plain(c, text_xml("你好", msg_id=3003))
        retry = post_plain(c, text_xml("你好", msg_id=3003))
        other = post_plain(c, text_xml("你好", msg_id=3004))
    assert content(first) == content(retry) and content(other) and len(dialogue.calls) == 2


def test_official_non_text_and_empty_messages(retriever):
    subscribe = ("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[openid-1]]></FromUserName>"
                 "<CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>")
    dialogue = FakeDialogue()
    with official(retriever, dialogue) as c:
        image = post_plain(c, text_xml("", msg_type="image"))
        welcome = post_plain(c, subscribe)
        blank = post_plain(c, text_xml("   "))
        garbage = post_plain(c, "<xml><oops")
    assert content(image) == "目前只能回答文字问题，请用文字描述您的情况。" and "政策助手" in content(welcome)
    assert "请输入" in content(blank) and garbage.status_code == 400 and dialogue.calls == []


def test_official_long_answer_is_split_and_fully_delivered(retriever, api):
    long_text = "\n".join(f"第{i}段：" + "就业补贴申请条件说明" * 20 for i in range(25))  # ≈ 15 000 bytes
    with official(retriever, FakeDialogue(text=long_text), api) as c:
        r = post_plain(c, text_xml("详细说明", msg_id=4004))
        rest = sent(api, "/cgi-bin/message/custom/send", count=7, timeout=30.0)  # a busy machine sends slowly
    chunks = [content(r)] + [b["text"]["content"] for b in rest]
    assert len(chunks) >= 7 and all(len(x.encode()) <= 2048 for x in chunks)
    assert "\n".join(chunks).startswith(long_text) and "可回复：高校毕业生" in chunks[-1]
    assert [c[1] for c in api.calls if c[0] == "GET"] == ["/cgi-bin/token"]  # the token is cached


def test_official_falls_back_to_retrieval_when_dialogue_is_down(model_retriever):
    with official(model_retriever, FakeDialogue(fail=True), wechat_reply_deadline_s=10) as c:
        text = content(post_plain(c, text_xml("创业担保贷款有什么政策", msg_id=5005)))
    assert "对话服务暂时不可用" in text and "创业担保贷款" in text


# ---- WeCom -------------------------------------------------------------------------------------

def test_wecom_url_verification(retriever):
    ts, nonce = str(int(time.time())), "n1"
    echostr = WorkPrp(WorkCrypto(TOKEN, AES_KEY, CORP_ID).key).encrypt("echo-789", CORP_ID).decode()
    with wecom(retriever, FakeDialogue()) as c:
        query = {"timestamp": ts, "nonce": nonce, "echostr": echostr}
        ok = c.get("/wechat/work", params={**query, "msg_signature": _get_signature(TOKEN, ts, nonce, echostr)})
        forged = c.get("/wechat/work", params={**query, "msg_signature": "0" * 40})
    assert ok.status_code == 200 and ok.text == "echo-789" and forged.status_code == 403


def test_wecom_encrypted_reply_forged_and_retried(retriever):
    crypto, dialogue = WorkCrypto(TOKEN, AES_KEY, CORP_ID), FakeDialogue()
    envelope, query = encrypted(crypto, text_xml("灵活就业社保补贴", msg_id=6006, user="zhangsan"))
    with wecom(retriever, dialogue) as c:
        forged = c.post("/wechat/work", params={**query, "msg_signature": "0" * 40}, content=envelope.encode())
        assert forged.status_code == 403 and dialogue.calls == []
        first = c.post("/wechat/work", params=query, content=envelope.encode())
        retry = c.post("/wechat/work", params=query, content=envelope.encode())
        stale_env, stale_q = encrypted(crypto, text_xml("你好", msg_id=6007))
        stale = c.post("/wechat/work", params={**stale_q, "timestamp": "1"}, content=stale_env.encode())
    reply = open_reply(crypto, first.text)
    assert reply["Content"].startswith("答复\n依据：《T》") and reply["ToUserName"] == "zhangsan" and reply["AgentID"] == "1000002"
    assert open_reply(crypto, retry.text)["Content"] == reply["Content"] and stale.status_code == 403
    assert dialogue.calls == [("wecom:zhangsan", "灵活就业社保补贴")]


def test_wecom_slow_answer_goes_through_the_api(retriever, api):
    crypto, dialogue = WorkCrypto(TOKEN, AES_KEY, CORP_ID), FakeDialogue(delay=1.0)
    envelope, query = encrypted(crypto, text_xml("就业见习补贴", msg_id=7007, user="lisi"))
    with wecom(retriever, dialogue, api, wechat_reply_deadline_s=0.3) as c:
        first = c.post("/wechat/work", params=query, content=envelope.encode())
        retry = c.post("/wechat/work", params=query, content=envelope.encode())
        bodies = sent(api, "/cgi-bin/message/send")
    assert first.text == "success" and retry.text == "success" and len(dialogue.calls) == 1
    assert len(bodies) == 1 and bodies[0]["touser"] == "lisi" and bodies[0]["agentid"] == 1000002
    assert bodies[0]["msgtype"] == "text" and bodies[0]["text"]["content"].startswith("答复")
    token = [q for m, p, q, _ in api.calls if p == "/cgi-bin/gettoken"]
    assert token == [{"corpid": [CORP_ID], "corpsecret": ["csec"]}]
