"""Storage behind one interface: :class:`Store`, opened from a URL by :func:`open_store`."""

from sitrep.store.base import IngestIssue, NewArticle, SearchHit, Store
from sitrep.store.sql import SqlStore, open_store

__all__ = ["IngestIssue", "NewArticle", "SearchHit", "SqlStore", "Store", "open_store"]
