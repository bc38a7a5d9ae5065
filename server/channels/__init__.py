"""WeChat channels: the Official Account (公众号) and WeCom (企业微信), each mounted only when configured."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from server.channels import official, work
from server.config import Settings

log = logging.getLogger(__name__)


def mount(app: FastAPI, settings: Settings, dialogue) -> None:
    """Add the callback routes of every configured channel to the running app; log the ones left out."""
    disabled, senders = [], {}  # channel → send(user, chunk), for staff replies (server/live.py)
    if settings.wechat_token:
        api = official.api_sender(settings)
        senders["wechat"] = api.send
        app.include_router(official.router(settings, dialogue, app.state.retriever, api))
    else:
        disabled.append("公众号 /wechat/official (POLICY_WECHAT_TOKEN)")
    if settings.wecom_token and settings.wecom_aes_key and settings.wecom_corp_id:
        api = work.api_sender(settings)
        senders["wecom"] = api.send
        app.include_router(work.router(settings, dialogue, app.state.retriever, api))
    else:
        disabled.append("企业微信 /wechat/work (POLICY_WECOM_TOKEN, POLICY_WECOM_AES_KEY, POLICY_WECOM_CORP_ID)")
    app.state.channel_senders = senders
    if disabled:
        log.info("WeChat channels not configured: %s", "; ".join(disabled))
