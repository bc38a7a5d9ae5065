"""Circuit breakers in small: the state machine with a scripted probe, and the Rasa client over a fake
transport that hangs or refuses (the real processes frozen with SIGSTOP are in tests/e2e/test_hangs.py)."""

import asyncio

import httpx
from prometheus_client import REGISTRY

from server.breaker import Breaker
from server.config import Settings
from server.dialogue import RasaDialogue, DialogueUnavailable


def gauge(name: str) -> float:
    return REGISTRY.get_sample_value("dependency_breaker_open", {"dependency": name})


def test_breaker_opens_on_trip_and_closes_when_the_probe_answers():
    answers = iter([False, False, True])

    async def probe():
        return next(answers)

    async def scenario():
        breaker = Breaker("unit-dep", probe, cooldown_s=0.01, probe_every_s=0.01)
        assert not breaker.is_open and breaker.state() == {"state": "closed"} and gauge("unit-dep") == 0
        breaker.trip("no answer within 3.0 s")
        breaker.trip("a second failure changes nothing")
        assert breaker.is_open and breaker.state()["reason"] == "no answer within 3.0 s" and gauge("unit-dep") == 1
        for _ in range(200):
            if not breaker.is_open:
                break
            await asyncio.sleep(0.01)
        assert breaker.state() == {"state": "closed"} and gauge("unit-dep") == 0

    asyncio.run(scenario())


def test_a_probe_that_raises_keeps_the_breaker_open():
    async def probe():
        raise httpx.ReadTimeout("frozen")

    async def scenario():
        breaker = Breaker("unit-raises", probe, cooldown_s=0.0, probe_every_s=0.01)
        breaker.trip("timeout")
        await asyncio.sleep(0.1)
        assert breaker.is_open
        await breaker.close()

    asyncio.run(scenario())


def hung_rasa(calls: list):
    """A transport where the webhook times out and every health check/probe answers."""

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/webhooks/rest/webhook":
            raise httpx.ReadTimeout("no answer", request=request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(handle)


def test_a_timed_out_turn_opens_the_breaker_and_the_next_turns_skip_rasa():
    calls: list = []

    async def scenario():
        dialogue = RasaDialogue("http://rasa:5005", 3.0, httpx.AsyncClient(transport=hung_rasa(calls)),
                                actions_url="http://actions:5055", cooldown_s=60)
        for _ in range(3):
            try:
                await dialogue.reply("web:u1", "创业担保贷款有什么政策")
            except DialogueUnavailable:
                pass
            else:
                raise AssertionError("a hung Rasa must not answer")
        await asyncio.sleep(0.05)  # the background health check of the action server
        states = dialogue.breaker_states()
        await dialogue.close()
        return states

    states = asyncio.run(scenario())
    assert calls.count("/webhooks/rest/webhook") == 1  # the turns after the first never waited for Rasa
    assert states["rasa"]["state"] == "open" and states["actions"] == {"state": "closed"}  # /health answered


def test_refused_replica_is_skipped_for_the_next_one():
    seen: list = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        if request.url.host == "a":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=[{"text": "您好"}])

    async def scenario():
        dialogue = RasaDialogue("http://a:5005,http://b:5005", 3.0, httpx.AsyncClient(transport=httpx.MockTransport(handle)), cooldown_s=60)
        sender = next(s for s in (f"web:u{i}" for i in range(50)) if dialogue.replicas_for(s)[0] == "http://a:5005")
        first = await dialogue.reply(sender, "你好")
        second = await dialogue.reply(sender, "你好")
        states = dialogue.breaker_states()
        await dialogue.close()
        return first, second, states

    first, second, states = asyncio.run(scenario())
    assert first[0].text == second[0].text == "您好"
    assert seen == ["a", "b", "b"] and states["rasa-1"]["state"] == "open" and states["rasa-2"] == {"state": "closed"}


def test_wechat_turns_leave_time_for_the_fallback_within_the_reply_deadline():
    assert Settings(rasa_timeout_s=3.0, wechat_reply_deadline_s=4.0).wechat_turn_timeout_s == 3.0
    assert Settings(rasa_timeout_s=10.0, wechat_reply_deadline_s=4.0).wechat_turn_timeout_s == 3.0
    assert Settings(rasa_timeout_s=2.0).wechat_turn_timeout_s == 2.0


def test_a_hung_handoff_store_does_not_hold_the_turn(monkeypatch):
    import threading

    from server import conversation
    from server.dialogue import BotMessage

    class Silent:  # Rasa answered nothing: the turn asks the handoff store whether the conversation waits
        async def reply(self, sender_id, text):
            return []

    released = threading.Event()  # the store hangs until the turn has answered without it (no fixed sleep)

    def hung_store(sender):
        released.wait(30)
        return ("waiting", None, None)

    def answer(retriever, text):
        released.set()
        return BotMessage("检索答复")

    monkeypatch.setattr(conversation, "STORE_TIMEOUT_S", 0.1)
    monkeypatch.setattr(conversation.store, "handoff_state", hung_store)
    monkeypatch.setattr(conversation, "answer_from_retrieval", answer)
    messages = asyncio.run(conversation.converse(Silent(), None, "web", "u1", "创业担保贷款"))
    assert [m.text for m in messages] == ["检索答复"]  # not the waiting notice the store would have given once released
