"""WeChat Official Account (公众号) at /wechat/official: signed callbacks, plaintext or 安全模式 (AES)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import WeChatException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from server.channels.engine import ApiSender, Engine, answerer, check_fresh, decrypt, reply_xml
from server.config import Settings

PATH = "/wechat/official"


def api_sender(settings: Settings) -> ApiSender:
    """Settings → the customer-service message sender (late answers, staff replies during a live handoff)."""
    secret = settings.wechat_app_secret.get_secret_value() if settings.wechat_app_secret else ""
    return ApiSender(settings.wechat_api_base, "/cgi-bin/token",
                     {"grant_type": "client_credential", "appid": settings.wechat_app_id or "", "secret": secret},
                     "/cgi-bin/message/custom/send")


def router(settings: Settings, dialogue, retriever, api: ApiSender | None = None) -> APIRouter:
    """Settings with wechat_token (and optionally wechat_aes_key) → the GET/POST callback routes."""
    token = settings.wechat_token.get_secret_value()
    aes_key = settings.wechat_aes_key.get_secret_value() if settings.wechat_aes_key else None
    crypto = WeChatCrypto(token, aes_key, settings.wechat_app_id or "") if aes_key else None
    api = api or api_sender(settings)
    engine = Engine(answerer("wechat", dialogue, retriever, settings.wechat_region), api.send, settings.wechat_reply_deadline_s)
    r = APIRouter(tags=["channels"], include_in_schema=False)

    @r.get(PATH, response_class=PlainTextResponse)
    def verify(signature: str = "", timestamp: str = "", nonce: str = "", echostr: str = "") -> str:
        """WeChat's URL check: a valid signature → echostr; otherwise 403."""
        _check(token, signature, timestamp, nonce)
        return echostr

    @r.post(PATH)
    async def receive(request: Request, signature: str = "", timestamp: str = "", nonce: str = "",
                      encrypt_type: str = "", msg_signature: str = "") -> Response:
        """A pushed message → TextReply XML (encrypted in AES mode) or "success"."""
        _check(token, signature, timestamp, nonce)
        check_fresh(timestamp)
        body = await request.body()
        aes = encrypt_type == "aes"
        if aes:
            if crypto is None:
                raise HTTPException(403, "encrypted message but no EncodingAESKey configured")
            body = decrypt(crypto, body, msg_signature, timestamp, nonce)
        xml = await reply_xml(engine, parse_message, TextReply, body)
        if xml is None:
            return PlainTextResponse("success")
        return Response(crypto.encrypt_message(xml, nonce, timestamp) if aes else xml, media_type="application/xml")

    return r


def _check(token: str, signature: str, timestamp: str, nonce: str) -> None:
    """sha1(sorted token, timestamp, nonce) ≠ signature → 403."""
    try:
        check_signature(token, signature, timestamp, nonce)
    except WeChatException as exc:
        raise HTTPException(403, "invalid signature") from exc

