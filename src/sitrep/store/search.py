"""Ranked full-text search: FTS5 with BM25 on SQLite, tsvector with ts_rank_cd on PostgreSQL.

Both take the same user syntax: words (all must match), "quoted phrases", and a leading
minus to exclude a word. Snippets mark matches with MARK_START / MARK_END.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from sitrep.store.base import MARK_END, MARK_START

__all__ = ["fts5_query", "search"]

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def search(conn: Connection, dialect: str, query: str, limit: int) -> list[tuple[int, float, str]]:
    """(article id, score, snippet) for original articles, best first."""
    if dialect == "sqlite":
        return _sqlite(conn, query, limit)
    return _postgres(conn, query, limit)


def fts5_query(query: str) -> str:
    """Translate user syntax into an FTS5 expression that cannot be a syntax error."""
    include: list[str] = []
    exclude: list[str] = []
    for match in _TOKEN.finditer(query):
        negated = bool(match.group(1) or match.group(3))
        words = _WORD.findall(match.group(2) if match.group(2) is not None else match.group(4))
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        (exclude if negated else include).append(phrase)
    if not include:
        return ""
    expression = " AND ".join(include)
    for phrase in exclude:
        expression += f" NOT {phrase}"
    return expression


def _sqlite(conn: Connection, query: str, limit: int) -> list[tuple[int, float, str]]:
    expression = fts5_query(query)
    if not expression:
        return []
    sql = text(
        """
        SELECT articles_fts.rowid AS id,
               bm25(articles_fts, 10.0, 4.0, 1.0) AS rank,
               snippet(articles_fts, 2, :mark_start, :mark_end, '…', 16) AS snippet
        FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
        WHERE articles_fts MATCH :expression AND articles.duplicate_of IS NULL
        ORDER BY rank LIMIT :limit
        """
    )
    rows = conn.execute(
        sql,
        {"expression": expression, "limit": limit, "mark_start": MARK_START, "mark_end": MARK_END},
    )
    # bm25() is lower-is-better and negative; report a positive, higher-is-better score.
    return [(row.id, -float(row.rank), row.snippet) for row in rows]


def _postgres(conn: Connection, query: str, limit: int) -> list[tuple[int, float, str]]:
    if not _WORD.search(query):
        return []
    sql = text(
        """
        SELECT id, ts_rank_cd(search, q) AS rank,
               ts_headline('english', body, q, :options) AS snippet
        FROM articles, websearch_to_tsquery('english', :query) AS q
        WHERE search @@ q AND duplicate_of IS NULL
        ORDER BY rank DESC, id LIMIT :limit
        """
    )
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12"
    rows = conn.execute(sql, {"query": query, "limit": limit, "options": options})
    return [(row.id, float(row.rank), row.snippet) for row in rows]
