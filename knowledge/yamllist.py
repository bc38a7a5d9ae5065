"""A YAML file holding a list of entries → the entries validated by a pydantic model, each with its line.

Shared by the files staff and writers keep beside the library (knowledge/asked.py, knowledge/elsewhere.py):
every scalar is read as a string (第十条 and a hotline number stay text), and a malformed file is an error naming file,
line and key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.errors import SourceError

M = TypeVar("M", bound=BaseModel)


def read(path: Path, model: type[M], shape: str) -> list[tuple[int, M]]:
    """A YAML list file, the model of one entry and its keys in words ("clause, quote, questions") →
    [(1-based line, entry)]; SourceError naming file, line and key when the file or an entry is malformed."""
    try:
        text = path.read_text("utf-8")
        node = yaml.compose(text)
        data = yaml.load(text, Loader=yaml.BaseLoader) or []
    except UnicodeDecodeError as exc:
        raise SourceError(str(path), None, f"not UTF-8 text: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(str(path), mark.line + 1 if mark else None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise SourceError(str(path), 1, f"expected a list of entries ({shape})")
    entries = []
    for k, item in enumerate(data):
        line = node.value[k].start_mark.line + 1
        try:
            entries.append((line, model.model_validate(item)))
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(x) for x in err["loc"]) or "entry"
            raise SourceError(str(path), line, f"entry {k + 1}, key {key!r}: {err['msg']}") from exc
    return entries
