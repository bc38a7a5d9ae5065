"""Configuration selects the multi-replica stores: bot/endpoints.postgres.yml puts conversations in
PostgreSQL and locks them in Redis (both real servers on loopback, started here)."""

import uuid

import httpx
import pytest

from tests.e2e.conftest import ROOT, stack
from tests.e2e.services import postgres, psql, redis, redis_command

pytestmark = pytest.mark.integration


def test_postgres_tracker_and_redis_lock_store(rasa_model, built_settings, tmp_path):
    with postgres() as pg, redis() as rd:
        env = {"TRACKER_DB_HOST": pg["host"], "TRACKER_DB_PORT": str(pg["port"]), "TRACKER_DB_NAME": pg["db"],
               "TRACKER_DB_USER": pg["user"], "TRACKER_DB_PASSWORD": "unused-trust-auth",
               "LOCK_STORE_HOST": rd["host"], "LOCK_STORE_PORT": str(rd["port"])}
        with stack(rasa_model, built_settings.index_dir, tmp_path, ROOT / "bot" / "endpoints.postgres.yml", env) as urls:
            sender = f"pg-{uuid.uuid4()}"
            replies = []
            for text in ("创业担保贷款怎么申请", "那需要什么条件"):
                r = httpx.post(f"{urls['rasa']}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
                r.raise_for_status()
                replies.append(r.json())
            stored = psql(pg, f"SELECT count(*) FROM events WHERE sender_id = '{sender}' AND type_name = 'user'")
            lock_calls = redis_command(rd["port"], "INFO", "commandstats")
    assert all(any("custom" in item for item in reply) for reply in replies), replies  # cited answers both times
    assert stored == "2"  # both user turns are in PostgreSQL
    assert "cmdstat_incr:" in lock_calls and "cmdstat_del:" in lock_calls  # each turn took a ticket and released it
