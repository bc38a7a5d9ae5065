"""Questions answered elsewhere: data/elsewhere.yaml → the topics the library does not cover, with example
questions and where a citizen gets the answer.

Citizens ask a policy assistant about everything near it: 住房公积金, 个税, 医保报销比例, 社保缴费基数 … The
library does not answer these, yet some of its clauses mention the words, and a small embedding model puts
「公积金能取出来交房租吗」 closer to some clause than to nothing. Examples of such questions, written from the
documents (each checked to be settled by none of them), are indexed as their own vectors: when a question is
nearer to one of them than to any question a clause answers (knowledge/asked.py), the confidence falls
(retrieve.Calibration.elsewhere_weight) and, refused, the citizen is told where to ask — the same reply as a
staff "not covered" mark (knowledge/links.py), shipped with the library instead of made at the console.

The file is a YAML list:

    - topic: 住房公积金                             # what the questions are about
      ask: 当地住房公积金管理中心                  # where the citizen gets the answer (agency, hotline)
      questions:
        - 公积金能不能取出来付房租

When a document added to the library starts answering a topic, delete the topic here. A malformed file is
an error naming file, line and key; no file means no topics.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge import yamllist


class Topic(BaseModel):
    """One topic the library does not cover: its name, where to ask, and example questions."""

    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1)
    ask: str = Field(min_length=2)
    questions: list[str] = Field(min_length=1)

    @property
    def pointer(self) -> str:
        """→ where the citizen should turn, as a sentence (knowledge/links.pointer_reply puts it after the no)."""
        return f"关于{self.topic}，请咨询{self.ask}。"


def load(path: Path) -> list[Topic]:
    """The elsewhere file → its topics ([] when there is no file); SourceError naming file, line and key when malformed."""
    if not path.is_file():
        return []
    return [topic for _, topic in yamllist.read(path, Topic, "topic, ask, questions")]


def rows(topics: list[Topic]) -> list[tuple[int, str]]:
    """Topics → (topic index, example question) for every question, without repeats within a topic."""
    return [(t, q.strip()) for t, topic in enumerate(topics) for q in dict.fromkeys(topic.questions) if q.strip()]
