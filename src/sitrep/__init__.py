"""sitrep: turn conflict news into a sourced, geolocated, de-duplicated event record."""

from sitrep.errors import SitrepError, Skip
from sitrep.records import Article, Document, Feed, IngestReport, Outcome, Status, StoredArticle
from sitrep.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Document",
    "Feed",
    "IngestReport",
    "Outcome",
    "Service",
    "Settings",
    "SitrepError",
    "Skip",
    "Status",
    "StoredArticle",
    "__version__",
]


def __getattr__(name: str) -> object:
    # The service pulls in trafilatura, SQLAlchemy and friends: import it on first use.
    if name == "Service":
        from sitrep.service import Service

        return Service
    raise AttributeError(name)
