"""Two Rasa replicas sharing a PostgreSQL tracker store and a Redis lock store (real servers on
loopback, started here): configuration (bot/endpoints.postgres.yml) selects both stores; the gateway's
client spreads conversations over both replicas and fails over; turns sent to either replica, one after
another or all at once, are all stored, in order. One set of servers for the module: each start loads
a Rasa model."""

import asyncio
import re
import subprocess
import uuid

import httpx
import pytest

from server.dialogue import RasaDialogue
from server.launcher import rasa_command
from tests.e2e.conftest import ROOT, free_port, stack, stop_all, wait_for
from tests.e2e.services import postgres, psql, redis, redis_command

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def replicas(rasa_model, built_settings, tmp_path_factory):
    """→ {"urls": [replica A, replica B], "pg": …, "b": B's process} over one action server."""
    work = tmp_path_factory.mktemp("replicas")
    endpoints = ROOT / "bot" / "endpoints.postgres.yml"
    with postgres() as pg, redis() as rd:
        env = {"TRACKER_DB_HOST": pg["host"], "TRACKER_DB_PORT": str(pg["port"]), "TRACKER_DB_NAME": pg["db"],
               "TRACKER_DB_USER": pg["user"], "TRACKER_DB_PASSWORD": "unused-trust-auth",
               "LOCK_STORE_HOST": rd["host"], "LOCK_STORE_PORT": str(rd["port"])}
        with stack(rasa_model, built_settings.index_dir, work, endpoints, env) as first:
            port = free_port()
            with open(work / "rasa-b.log", "w") as log:
                b = subprocess.Popen(rasa_command(rasa_model, endpoints, port), cwd=ROOT, env=first["env"],
                                     stdout=log, stderr=subprocess.STDOUT)
                try:
                    wait_for(f"http://127.0.0.1:{port}/", b)
                    yield {"urls": [first["rasa"], f"http://127.0.0.1:{port}"], "pg": pg, "redis": rd, "b": b}
                finally:
                    stop_all([b])


def lock_calls(port: int) -> dict[str, int]:
    """→ how many times Redis ran each lock command (incr takes a ticket, del releases it)."""
    stats = redis_command(port, "INFO", "commandstats")
    return {name: int(m.group(1)) if (m := re.search(rf"cmdstat_{name}:calls=(\d+)", stats)) else 0 for name in ("incr", "del")}


def test_postgres_tracker_and_redis_lock_store(replicas):
    sender, before = f"pg-{uuid.uuid4()}", lock_calls(replicas["redis"]["port"])
    replies = [send(replicas["urls"][0], sender, text) for text in ("创业担保贷款怎么申请", "那需要什么条件")]
    assert all(any("custom" in item for item in reply) for reply in replies), replies  # cited answers both times
    assert stored_user_texts(replicas["pg"], sender) == ["创业担保贷款怎么申请", "那需要什么条件"]  # both turns in PostgreSQL
    after = lock_calls(replicas["redis"]["port"])
    assert after["incr"] >= before["incr"] + 2 and after["del"] >= before["del"] + 2  # each turn took a ticket and released it


def stored_user_texts(pg: dict, sender: str) -> list[str]:
    rows = psql(pg, f"SELECT data::json->>'text' FROM events WHERE sender_id = '{sender}' AND type_name = 'user' ORDER BY id")
    return rows.splitlines()


def send(url: str, sender: str, text: str) -> list:
    r = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    r.raise_for_status()
    return r.json()


def test_turns_alternating_between_replicas_are_stored_in_order(replicas):
    sender, texts = f"mr-{uuid.uuid4()}", [f"创业担保贷款第{i}问" for i in range(6)]
    for i, text in enumerate(texts):
        send(replicas["urls"][i % 2], sender, text)
    assert stored_user_texts(replicas["pg"], sender) == texts


def test_concurrent_turns_into_one_conversation_none_lost(replicas):
    sender, texts = f"mr-{uuid.uuid4()}", [f"我是应届毕业生第{i}次问补贴" for i in range(16)]

    async def burst():
        async with httpx.AsyncClient(timeout=120) as client:
            posts = [client.post(f"{replicas['urls'][i % 2]}/webhooks/rest/webhook", json={"sender": sender, "message": t})
                     for i, t in enumerate(texts)]
            return await asyncio.gather(*posts)

    responses = asyncio.run(burst())
    assert all(r.status_code == 200 and r.json() for r in responses)  # every turn answered
    assert sorted(stored_user_texts(replicas["pg"], sender)) == sorted(texts)  # none lost, none doubled


def test_gateway_client_spreads_conversations_and_fails_over_with_context(replicas):
    dialogue = RasaDialogue(",".join(replicas["urls"]), 120)
    senders = [f"web:mr-{i}-{uuid.uuid4()}" for i in range(12)]
    assert {dialogue.replicas_for(s)[0] for s in senders} == set(replicas["urls"])  # both replicas get conversations
    on_b = next(s for s in senders if dialogue.replicas_for(s)[0] == replicas["urls"][1])

    async def conversation():
        first = await dialogue.reply(on_b, "创业担保贷款怎么申请")
        stop_all([replicas["b"]])  # replica B dies between two turns
        follow = await dialogue.reply(on_b, "那需要什么条件")
        await dialogue.close()
        return first, follow

    first, follow = asyncio.run(conversation())
    assert first and first[0].citations
    assert follow and "贷款" in "".join(m.text for m in follow)  # replica A continued with the earlier topic
