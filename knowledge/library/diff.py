"""Clause trees and article-by-article differences between two versions of a document."""

from __future__ import annotations

import re

from knowledge.types import Clause

_SPACE = re.compile(r"\s+")


def tree(clauses: list[Clause]) -> list[dict]:
    """A document's clauses → its heading tree: [{"label", "children", "clauses": [{"clause_id", "text"}]}]."""
    root: dict = {"children": []}
    for clause in clauses:
        node = root
        for label in clause.path or ["正文"]:
            child = next((c for c in node["children"] if c["label"] == label), None)
            if child is None:
                child = {"label": label, "children": [], "clauses": []}
                node["children"].append(child)
            node = child
        node["clauses"].append({"clause_id": clause.clause_id, "text": clause.text})
    return root["children"]


def articles(clauses: list[Clause]) -> dict[str, str]:
    """Clauses → {article label (第X条, or the innermost heading): its whole text}, in document order."""
    out: dict[str, str] = {}
    for clause in clauses:
        label = clause.path[-1] if clause.path else "正文"
        out[label] = out.get(label, "") + clause.text
    return out


def compare(old: list[Clause], new: list[Clause]) -> dict:
    """The clauses of the version in the library and of its replacement → {"added", "removed", "reworded":
    [{"article", "before", "after"}], "unchanged": count}."""
    before, after = articles(old), articles(new)
    same = lambda a, b: _SPACE.sub("", a) == _SPACE.sub("", b)  # noqa: E731 — layout whitespace is no change
    return {
        "added": [{"article": k, "before": "", "after": v} for k, v in after.items() if k not in before],
        "removed": [{"article": k, "before": v, "after": ""} for k, v in before.items() if k not in after],
        "reworded": [{"article": k, "before": before[k], "after": v} for k, v in after.items()
                     if k in before and not same(before[k], v)],
        "unchanged": sum(1 for k, v in after.items() if k in before and same(before[k], v)),
    }
