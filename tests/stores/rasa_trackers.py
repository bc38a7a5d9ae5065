"""Run with the Rasa environment: write or read conversations through Rasa's own tracker store API,
configured by an endpoints file exactly as the Rasa server reads it.

  python rasa_trackers.py ENDPOINTS write '{"SENDER": ["TEXT", …], …}'   → saves each conversation
  python rasa_trackers.py ENDPOINTS read                                → {sender: [user texts]} as JSON

One process writes every conversation: starting Rasa's environment costs seconds of CPU.
"""

import asyncio
import json
import sys

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config


async def main(endpoints: str, command: str, *args: str) -> None:
    trackers = TrackerStore.create(read_endpoint_config(endpoints, "tracker_store"), Domain.empty())
    if command == "write":
        for sender, texts in json.loads(args[0]).items():
            events = [e for text in texts for e in (UserUttered(text), BotUttered(f"答复：{text}"))]
            await trackers.save(DialogueStateTracker.from_events(sender, events))
        return
    found = {}
    for sender in await trackers.keys():
        tracker = await trackers.retrieve(sender)
        found[sender] = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
