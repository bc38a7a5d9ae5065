"""Errors for operators: each names the file (and line) or the setting at fault."""


class KnowledgeError(Exception):
    """Base class of every error the knowledge library raises on purpose."""


class SourceError(KnowledgeError):
    """A policy source file cannot be read or parsed."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.reason = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class UnplaceableSource(SourceError):
    """A source file no layout can place (not a policy document, or no article body): reported and left out."""


class IndexMissingError(KnowledgeError):
    """The index folder is missing, incomplete, corrupt or built from other sources."""


class QueryError(KnowledgeError):
    """A query that cannot be searched; the message is Chinese, for the citizen."""


class SettingError(KnowledgeError):
    """A setting has a value the library cannot use; the message names the environment variable."""
