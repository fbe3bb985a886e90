"""Statements and commits per request per database, from pg_stat_statements and
pg_stat_database: a figure that, unlike CPU time, does not depend on what else the machine runs."""

from __future__ import annotations

import asyncpg

# Loaded at server start; the bench asks for it only with --statements (it costs the server a
# little CPU per statement, so CPU figures taken with it on are not paired with ones without).
PRELOAD = {"shared_preload_libraries": "pg_stat_statements", "pg_stat_statements.max": "2000"}

_CALLS = """
    SELECT d.datname, s.query, s.calls
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname <> 'postgres'
"""
_COMMITS = "SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL"


def _dsn(admin_url: str) -> str:
    return admin_url.replace("postgresql+asyncpg://", "postgresql://")


async def reset(admin_url: str) -> dict[str, int]:
    """Start counting now; returns the commit counters to subtract later."""
    conn = await asyncpg.connect(_dsn(admin_url))
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        await conn.execute("SELECT pg_stat_statements_reset()")
        return {r["datname"]: r["xact_commit"] for r in await conn.fetch(_COMMITS)}
    finally:
        await conn.close()


async def read(
    admin_url: str, commits_before: dict[str, int], *, count: int, top: int = 12
) -> dict:
    """Per database: statements and commits per request, and the most frequent statements."""
    conn = await asyncpg.connect(_dsn(admin_url))
    try:
        rows = await conn.fetch(_CALLS)
        commits = {r["datname"]: r["xact_commit"] for r in await conn.fetch(_COMMITS)}
    finally:
        await conn.close()
    per_db: dict[str, dict] = {}
    for row in rows:
        entry = per_db.setdefault(row["datname"], {"calls": 0, "queries": []})
        entry["calls"] += row["calls"]
        entry["queries"].append((row["calls"], " ".join(row["query"].split())[:140]))
    n = max(count, 1)
    out = {}
    for name, entry in sorted(per_db.items()):
        entry["queries"].sort(reverse=True)
        out[name] = {
            "statements_per_request": round(entry["calls"] / n, 2),
            "commits_per_request": round(
                (commits.get(name, 0) - commits_before.get(name, 0)) / n, 2
            ),
            "top": [(round(c / n, 2), q) for c, q in entry["queries"][:top]],
        }
    return out
