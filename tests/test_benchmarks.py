"""The benchmark harness's arithmetic: percentiles, and how a missed target is reported."""

from benchmarks.harness import Outcome, Sample, Target, percentile


def test_p95_is_the_nearest_rank():
    values = [float(n) for n in range(1, 21)]  # 1..20
    assert percentile(values, 95) == 19.0
    assert percentile(values, 50) == 10.0
    assert percentile([7.0], 95) == 7.0


def test_a_missed_target_says_by_how_much():
    outcome = Outcome("list", Target(p95_ms=200, max_queries=12))
    outcome.samples = [Sample("a", ms, 14) for ms in (100.0, 150.0, 250.0)]
    assert outcome.misses() == ["p95 250 ms is +50 ms over", "14 queries is 2 over"]
    batch = Outcome("batch", Target(total_s=20, peak_mb=500), total_s=9.5, peak_mb=210.0)
    assert batch.misses() == []
    assert batch.as_dict()["met"] is True
