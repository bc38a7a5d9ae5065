"""Gateway settings: read once from the environment (prefix POLICY_); secrets never live in the repo."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.accounts import Account, Credential, parse_accounts

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the gateway needs to know about its surroundings."""

    model_config = SettingsConfigDict(env_prefix="POLICY_", env_file=None)

    rasa_url: str = "http://127.0.0.1:5005"  # several replicas: comma-separated URLs
    actions_url: str = "http://127.0.0.1:5055"
    rasa_timeout_s: float = 3.0  # a web turn; WeChat's is shorter when its deadline needs it (wechat_turn_timeout_s)
    public_url: str = "http://127.0.0.1:8000"

    staff_token: SecretStr | None = None  # the account "staff" (role staff); see staff_accounts
    staff_accounts: SecretStr | None = None  # "name:role:token,…" (server/accounts.py); roles staff, editor
    max_body_bytes: int = 64 * 1024
    library_max_upload_mb: int = 20  # a document uploaded to the library (/api/library/uploads); KNOWLEDGE_MAX_SOURCE_MB also applies
    rate_limit_per_minute: int = 120  # per client address
    staff_rate_limit_per_minute: int = 600  # per staff account (a call centre shares one NAT address)
    allowed_origins: list[str] = []  # pages allowed to embed the widget (CORS); empty = same origin only

    # WeChat Official Account (公众号)
    wechat_token: SecretStr | None = None
    wechat_aes_key: SecretStr | None = None  # EncodingAESKey; set → 安全模式
    wechat_app_id: str | None = None
    wechat_app_secret: SecretStr | None = None
    wechat_api_base: str = "https://api.weixin.qq.com"
    # WeCom (企业微信) self-built app
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_corp_id: str | None = None
    wecom_secret: SecretStr | None = None
    wecom_agent_id: int | None = None
    wecom_api_base: str = "https://qyapi.weixin.qq.com"
    wechat_reply_deadline_s: float = 4.0
    # The region each account serves (e.g. 广东省, 佛山市): its citizens are answered by its rules without being asked
    wechat_region: str | None = None
    wecom_region: str | None = None  # answer passively if ready by then, else via the customer-service API

    data_dir: Path = ROOT / "var"

    # Who may read /metrics and the API docs (/docs, /openapi.json): "off"; "internal" = a
    # direct connection from ops_networks (never through a proxy); "token" = Bearer POLICY_OPS_TOKEN
    metrics_access: Literal["off", "internal", "token"] = "internal"
    docs_access: Literal["off", "internal", "token"] = "internal"
    ops_networks: list[IPv4Network | IPv6Network] = [IPv4Network("127.0.0.0/8"), IPv6Network("::1/128")]
    ops_token: SecretStr | None = None

    @property
    def credentials(self) -> list[Credential]:
        """Every staff account that may sign in: POLICY_STAFF_ACCOUNTS plus POLICY_STAFF_TOKEN as "staff"."""
        listed = parse_accounts(self.staff_accounts.get_secret_value()) if self.staff_accounts else []
        if self.staff_token and not any(c.account.name == "staff" for c in listed):
            listed.append(Credential(Account("staff", "staff"), self.staff_token.get_secret_value()))
        return listed

    @model_validator(mode="after")
    def _accounts_valid(self) -> Settings:
        self.credentials  # noqa: B018 — a malformed POLICY_STAFF_ACCOUNTS fails at start, naming the entry
        return self

    @model_validator(mode="after")
    def _regions_known(self) -> Settings:
        from knowledge.regions import resolve

        for name in ("wechat_region", "wecom_region"):
            value = getattr(self, name)
            if value and resolve(value) is None:
                raise ValueError(f"POLICY_{name.upper()}={value!r} is no region of China's administrative divisions "
                                 "(write e.g. 广东省 or 佛山市)")
        return self

    @model_validator(mode="after")
    def _token_when_needed(self) -> Settings:
        if "token" in (self.metrics_access, self.docs_access) and not self.ops_token:
            raise ValueError("POLICY_METRICS_ACCESS/POLICY_DOCS_ACCESS=token needs POLICY_OPS_TOKEN")
        return self

    # Circuit breakers (server/breaker.py): a dependency that hung or refused is skipped for at least
    # breaker_cooldown_s, then probed (each probe waits breaker_probe_timeout_s) until it answers.
    breaker_cooldown_s: float = 5.0
    breaker_probe_timeout_s: float = 2.0

    @property
    def wechat_turn_timeout_s(self) -> float:
        """The dialogue's share of WeChat's reply deadline: what is left must cover the retrieval fallback."""
        return max(0.5, min(self.rasa_timeout_s, self.wechat_reply_deadline_s - FALLBACK_BUDGET_S))


FALLBACK_BUDGET_S = 1.0  # a retrieval answer takes ~50 ms warm; the rest is margin on a busy machine
