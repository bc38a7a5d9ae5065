"""The vendored browser libraries are the files the table in server/static/vendor/README.md names."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "server" / "static" / "vendor"


def test_every_vendored_file_matches_its_recorded_checksum():
    rows = re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", (VENDOR / "README.md").read_text("utf-8"), re.M)
    assert rows, "no file listed in server/static/vendor/README.md"
    for name, digest in rows:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, f"{name} differs from the recorded file"
    listed = {name for name, _ in rows}
    shipped = {p.name for p in VENDOR.glob("*.js")}
    assert shipped == listed, f"unlisted or missing vendored files: {shipped ^ listed}"
