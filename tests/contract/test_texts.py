"""The fixed texts' catalogue (knowledge/texts.py) is the only Python home of a hotline number, and the
pages and the Rasa domain, which cannot import it, name only the catalogue's numbers."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge import texts

ROOT = Path(__file__).resolve().parents[2]
HOTLINE_LIKE = re.compile(r"(?<!\d)123\d\d(?!\d)")  # 12333, 12345 and any mistyped neighbour


def numbers_in(paths) -> dict[str, set[str]]:
    """Files → {file: the hotline-like numbers it writes}, files without any left out."""
    found = {str(p.relative_to(ROOT)): set(HOTLINE_LIKE.findall(p.read_text("utf-8"))) for p in paths}
    return {name: numbers for name, numbers in found.items() if numbers}


def test_python_code_takes_hotline_numbers_from_the_catalogue():
    code = [p for folder in ("knowledge", "actions", "server") for p in (ROOT / folder).rglob("*.py")]
    assert numbers_in(p for p in code if p.name != "texts.py") == {}


def test_pages_and_the_rasa_domain_name_only_the_catalogues_hotlines():
    pages = [*(ROOT / "server" / "static").glob("*.js"), *(ROOT / "server" / "static").glob("*.html"),
             *(ROOT / "bot" / "domain").glob("*.yml")]
    found = numbers_in(pages)
    assert found, "the pages name no hotline at all: the pattern or the paths are wrong"
    assert {n for numbers in found.values() for n in numbers} <= {texts.HOTLINE, texts.GOV_HOTLINE}, found


def test_the_catalogue_texts_are_polite_chinese_with_the_hotline():
    fixed = {name: value for name, value in vars(texts).items() if name.isupper() and isinstance(value, str) and len(value) > 8}
    assert fixed and all(re.search(r"[\u4e00-\u9fff]", v) for v in fixed.values())
    assert all(texts.HOTLINE in fixed[name] for name in ("NO_ANSWER", "WAITING", "BUSY", "COMPLAINT", "DEGRADED_NO_ANSWER"))
