"""Timing, query counting and percentiles for the scenarios."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Target:
    """What a scenario must achieve on this machine (issue 11)."""

    p95_ms: float | None = None  # for page scenarios: p95 of the samples
    total_s: float | None = None  # for batch scenarios: the run's seconds
    max_queries: int | None = None
    peak_mb: float | None = None

    def describe(self) -> str:
        parts = []
        if self.p95_ms is not None:
            parts.append(f"p95 < {self.p95_ms:g} ms")
        if self.total_s is not None:
            parts.append(f"< {self.total_s:g} s")
        if self.max_queries is not None:
            parts.append(f"≤ {self.max_queries} queries")
        if self.peak_mb is not None:
            parts.append(f"< {self.peak_mb:g} MB peak")
        return ", ".join(parts)


@dataclass
class Sample:
    label: str
    ms: float
    queries: int
    status: int | None = None


@dataclass
class Outcome:
    """What one scenario measured."""

    name: str
    target: Target
    samples: list[Sample] = field(default_factory=list)
    total_s: float | None = None
    peak_mb: float | None = None
    extra: dict = field(default_factory=dict)
    slowest_sql: tuple[str, float] | None = None  # (SQL with its values, ms)
    plan: str = ""
    error: str = ""

    @property
    def times(self) -> list[float]:
        return [s.ms for s in self.samples]

    @property
    def median_ms(self) -> float | None:
        return round(statistics.median(self.times), 1) if self.samples else None

    @property
    def p95_ms(self) -> float | None:
        return round(percentile(self.times, 95), 1) if self.samples else None

    @property
    def max_queries(self) -> int | None:
        return max(s.queries for s in self.samples) if self.samples else self.extra.get("queries")

    @property
    def cost(self) -> float:
        """How slow, for ranking: p95 in ms, or the batch's seconds."""
        if self.total_s is not None:
            return self.total_s * 1000
        return self.p95_ms or 0.0

    def misses(self) -> list[str]:
        """Each way the target is missed, with by how much."""
        t, missed = self.target, []
        if self.error:
            return [f"failed: {self.error}"]
        if t.p95_ms is not None and self.p95_ms is not None and self.p95_ms >= t.p95_ms:
            missed.append(f"p95 {self.p95_ms:g} ms is {self.p95_ms - t.p95_ms:+.0f} ms over")
        if t.total_s is not None and self.total_s is not None and self.total_s >= t.total_s:
            missed.append(f"{self.total_s:g} s is {self.total_s - t.total_s:+.1f} s over")
        queries = self.max_queries
        if t.max_queries is not None and queries is not None and queries > t.max_queries:
            missed.append(f"{queries} queries is {queries - t.max_queries} over")
        if t.peak_mb is not None and self.peak_mb is not None and self.peak_mb >= t.peak_mb:
            missed.append(f"peak {self.peak_mb:g} MB is {self.peak_mb - t.peak_mb:+.0f} MB over")
        return missed

    def as_dict(self) -> dict:
        by_label: dict[str, list[Sample]] = {}
        for sample in self.samples:
            by_label.setdefault(sample.label, []).append(sample)
        return {
            "target": self.target.describe(),
            "median_ms": self.median_ms,
            "p95_ms": self.p95_ms,
            "max_ms": round(max(self.times), 1) if self.samples else None,
            "samples": len(self.samples),
            "queries": self.max_queries,
            "total_s": self.total_s,
            "peak_mb": self.peak_mb,
            "met": not self.misses(),
            "missed": self.misses(),
            "extra": self.extra,
            "per_variant": {
                label: {
                    "median_ms": round(statistics.median(s.ms for s in rows), 1),
                    "max_ms": round(max(s.ms for s in rows), 1),
                    "queries": max(s.queries for s in rows),
                }
                for label, rows in by_label.items()
            }
            if len(by_label) > 1
            else {},
            "slowest_sql_ms": round(self.slowest_sql[1], 1) if self.slowest_sql else None,
            "error": self.error,
        }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def rss_peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(outcome: Outcome, label: str, func: Callable[[], object]) -> object:
    """Run ``func`` once, adding a sample (time and query count) to ``outcome`` and
    remembering the slowest SELECT seen."""
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = func()
        elapsed = (time.perf_counter() - started) * 1000
    status = getattr(result, "status_code", None)
    outcome.samples.append(Sample(label, elapsed, len(captured.captured_queries), status))
    remember_slowest(outcome, captured.captured_queries)
    return result


def remember_slowest(outcome: Outcome, queries: list[dict]) -> None:
    for query in queries:
        sql = query.get("sql") or ""
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        ms = float(query.get("time") or 0) * 1000
        if outcome.slowest_sql is None or ms > outcome.slowest_sql[1]:
            outcome.slowest_sql = (sql, ms)


def explain(sql: str, *, analyze: bool = True) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured SELECT (its values already inlined)."""
    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def seq_scans(sql: str, table: str) -> list[str]:
    """The sequential scans of ``table`` in the plan PostgreSQL would choose for ``sql``."""
    import json

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    found: list[str] = []

    def walk(node: dict) -> None:
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == table:
            found.append(f"Seq Scan on {table} (rows≈{node.get('Plan Rows')})")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found
