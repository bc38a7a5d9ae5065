"""WeCom (企业微信) self-built app at /wechat/work: every callback is signed and AES-encrypted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.replies import TextReply

from server.channels.engine import ApiSender, Engine, answerer, check_fresh, decrypt, guarded, reply_xml
from server.config import Settings

PATH = "/wechat/work"


def api_sender(settings: Settings) -> ApiSender:
    """Settings → the application message sender (late answers, staff replies during a live handoff)."""
    secret = settings.wecom_secret.get_secret_value() if settings.wecom_secret else ""
    return ApiSender(settings.wecom_api_base, "/cgi-bin/gettoken",
                     {"corpid": settings.wecom_corp_id, "corpsecret": secret},
                     "/cgi-bin/message/send", {"agentid": settings.wecom_agent_id})


def router(settings: Settings, dialogue, retriever, api: ApiSender | None = None) -> APIRouter:
    """Settings with wecom_token, wecom_aes_key and wecom_corp_id → the GET/POST callback routes."""
    token, aes_key = settings.wecom_token.get_secret_value(), settings.wecom_aes_key.get_secret_value()
    crypto = WeChatCrypto(token, aes_key, settings.wecom_corp_id)
    api = api or api_sender(settings)
    engine = Engine(answerer("wecom", dialogue, retriever, settings.wecom_region), api.send, settings.wechat_reply_deadline_s)
    r = APIRouter(tags=["channels"], include_in_schema=False)

    @r.get(PATH, response_class=PlainTextResponse)
    def verify(msg_signature: str = "", timestamp: str = "", nonce: str = "", echostr: str = "") -> str:
        """WeCom's URL check: a valid signature → the decrypted echostr; otherwise 403."""
        return guarded(crypto.check_signature, msg_signature, timestamp, nonce, echostr)

    @r.post(PATH)
    async def receive(request: Request, msg_signature: str = "", timestamp: str = "", nonce: str = "") -> Response:
        """An encrypted message → an encrypted TextReply or "success"."""
        check_fresh(timestamp)
        xml = decrypt(crypto, await request.body(), msg_signature, timestamp, nonce)
        reply = await reply_xml(engine, parse_message, TextReply, xml)
        if reply is None:
            return PlainTextResponse("success")
        return Response(crypto.encrypt_message(reply, nonce, timestamp), media_type="application/xml")

    return r
