"""Source-format reading speed and memory, on demand (never a timed test).

Usage: python benchmarks/bench_formats.py [--repeat 20]
Builds each shipped law as GBK text, a hard-wrapped copy, an HTML page, a DOCX and a PDF (the
test fixtures' builders), then reads each back with `knowledge.formats.read` in a fresh process
per format: seconds per document and per PDF page, and the process's peak resident memory. The
PDF of all eight laws `--repeat` times over (a long gazette) shows that memory follows a page.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.unit.formats.make_files import LAWS, docx_file, hard_wrapped, html_page, pdf  # noqa: E402

READ = """
import resource, sys, time
from pathlib import Path
from knowledge import formats
files = sorted(Path(sys.argv[1]).iterdir())
t = time.perf_counter()
for f in files: formats.read(f)
print(f"{len(files)} files in {time.perf_counter() - t:.2f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
"""
BUILDERS = {
    "gbk.txt": lambda text: text.encode("gbk"),
    "wrapped.txt": lambda text: hard_wrapped(text, 72, blank=False, indent=True, page_lines=40,
                                              header=text.splitlines()[0]).encode(),
    "htm": lambda text: html_page(text),
    "docx": docx_file,
    "pdf": pdf,
}


def main() -> None:
    """Build every format in a temporary folder and print one line of figures per format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="laws concatenated into the long PDF")
    args = parser.parse_args()
    laws = [path.read_text("utf-8") for path in sorted(LAWS.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, build in BUILDERS.items():
            folder = Path(tmp) / suffix
            folder.mkdir()
            for number, text in enumerate(laws):
                (folder / f"law{number}.{suffix}").write_bytes(build(text))
            _report(suffix, folder)
        folder = Path(tmp) / "long"
        folder.mkdir()
        (folder / "gazette.pdf").write_bytes(pdf("\n".join(laws * args.repeat)))
        _report(f"pdf ×{args.repeat}", folder)


def _report(label: str, folder: Path) -> None:
    """Read a folder's files in a fresh process → one printed line: size, time, peak memory."""
    size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    out = subprocess.run([sys.executable, "-c", READ, str(folder)], capture_output=True, text=True, cwd=ROOT, check=True)
    print(f"{label:>12}: {size:6.1f} MB, {out.stdout.strip()}")


if __name__ == "__main__":
    main()
