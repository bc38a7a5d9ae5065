"""The action server's entry point: warm the knowledge library, then serve rasa_sdk's endpoint, so the
port opens (and /health answers) only once the first question would be answered at full speed.

Usage: python -m actions.serve --actions actions --port 5055   (rasa_sdk's own arguments)
"""

from __future__ import annotations

import logging

from rasa_sdk.__main__ import main as rasa_sdk_main

from actions.knowledge_access import retriever
from knowledge import regions

log = logging.getLogger(__name__)


def main() -> None:
    """Open and exercise the retriever (index, embedding model, jieba dictionary), then serve."""
    logging.basicConfig(level=logging.INFO)
    seconds = retriever().warm_up()
    regions.resolve("广州")  # the division table (~0.2 s to build) before the first citizen names a place
    log.info("knowledge library warm (%.1f s); starting the action server", seconds)
    rasa_sdk_main()


if __name__ == "__main__":
    main()
