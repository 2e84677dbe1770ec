"""The need-search benchmark on a small database: every change it makes is applied in place."""

from __future__ import annotations

import pytest

from api.benchmarks.need_search import benchmark_need_search, format_need_search
from api.services.search import NeedSearchKeeper


def test_the_benchmark_applies_each_change_without_a_full_look(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # No periodic look at every stamp during the test, however slow the machine.
    monkeypatch.setattr(NeedSearchKeeper, "RECONCILE_SECONDS", 3600.0)
    result = benchmark_need_search(300, queries=5, changes=3)
    assert result["needs"] == 300 and result["database"] == "sqlite"
    assert result["sentences"] >= 300 * 3
    # The first load reads every stamp; three publishes and three closes read only recent ones.
    assert result["full_looks"] == 1
    for name in ("check_ms", "search_ms", "filtered_ms", "publish_ms", "close_ms"):
        p50, p95 = result[name]
        assert 0 < p50 <= p95
    printed = format_need_search(result)
    assert "300 open needs" in printed and "rebuilding the index whole" in printed
