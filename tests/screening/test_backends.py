"""The local and dask engines give identical results (the same tests run on both backends)."""

from __future__ import annotations

import pytest

from ctpat.screening import ScreeningIndex, ScreeningQuery, screen_queries

QUERIES = [
    ScreeningQuery("1", "Ismail Haniya", party_type="person"),
    ScreeningQuery("2", "Gasprom Neft", country="RU"),
    ScreeningQuery("3", "Maria Schmidt"),
    ScreeningQuery("4", "Frank Kakorere", dob="1954"),
    ScreeningQuery("5", "Michel Martelly", identifiers=("0032768386",)),
    ScreeningQuery("6", "VTB Bank PJSC"),
    ScreeningQuery("7", "Zahar Mahmoud"),
    ScreeningQuery("8", ""),
]


@pytest.fixture(scope="module")
def local_results(index: ScreeningIndex) -> list[list[tuple[str, int, float, str]]]:
    return _summary(screen_queries(index, QUERIES, engine="local", threshold=0.5))


def _summary(results):  # type: ignore[no-untyped-def]
    return [[(hit.entity_id, hit.rank, hit.score, hit.explanation) for hit in hits] for hits in results]


@pytest.mark.parametrize("engine", ["local", pytest.param("dask", marks=pytest.mark.slow)])
def test_engines_give_identical_results(index: ScreeningIndex, engine: str, local_results) -> None:  # type: ignore[no-untyped-def]
    results = screen_queries(index, QUERIES, engine=engine, threshold=0.5)
    assert _summary(results) == local_results
    # Whole hits, listed entity included (the dask workers send hits back without it).
    assert results == screen_queries(index, QUERIES, engine="local", threshold=0.5)
    assert results[0][0].entity_id == "9639"
    assert results[2] == [] and results[7] == []


@pytest.mark.parametrize("engine", ["local", pytest.param("dask", marks=pytest.mark.slow)])
def test_engines_report_progress(index: ScreeningIndex, engine: str) -> None:
    seen: list[int] = []
    screen_queries(index, QUERIES, engine=engine, progress=seen.append)
    assert sum(seen) == len(QUERIES)


def test_unknown_engine_is_refused(index: ScreeningIndex) -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        screen_queries(index, QUERIES, engine="spark")


def test_local_engine_on_several_processes_gives_identical_results(
    index: ScreeningIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctpat.screening import backends
    from ctpat.screening.backends import LocalBackend

    monkeypatch.setattr(backends, "MIN_QUERIES_PER_PROCESS", 1)
    forked: list[int] = []
    original = LocalBackend._screen_forked

    def spy(*args):  # type: ignore[no-untyped-def]
        forked.append(args[2])
        return original(*args)

    monkeypatch.setattr(LocalBackend, "_screen_forked", staticmethod(spy))
    many = [ScreeningQuery(f"{n}-{q.query_id}", q.name, q.party_type, q.country, q.dob, q.identifiers)
            for n in range(70) for q in QUERIES]  # fmt: skip
    seen: list[int] = []
    results = LocalBackend(workers=2).screen(index, many, limit=10, threshold=0.5, progress=seen.append)
    assert forked == [2]
    assert sum(seen) == len(many)
    assert results == LocalBackend().screen(index, many, limit=10, threshold=0.5)
    assert results[0][0].entity_id == "9639" and results[-1] == []


@pytest.mark.slow
def test_dask_engine_sends_the_index_again_when_its_workers_are_lost(
    index: ScreeningIndex, local_results, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import os
    import signal
    import time

    from ctpat.screening.backends import DaskBackend

    sent: list[int] = []
    original = DaskBackend.load

    def load_then_lose_the_workers(backend: DaskBackend, index: ScreeningIndex) -> None:
        original(backend, index)
        sent.append(1)
        if len(sent) > 1:
            return
        # Both worker processes die after the index reached them (their nannies start new ones):
        # the scheduler cancels the tasks that needed it.
        for pid in backend._client.run(os.getpid).values():
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while backend._shared[1].status == "finished" and time.monotonic() < deadline:  # type: ignore[index]
            time.sleep(0.1)

    monkeypatch.setattr(DaskBackend, "load", load_then_lose_the_workers)
    with DaskBackend(processes=True, workers=2) as backend:
        results = backend.screen(index, QUERIES, limit=10, threshold=0.5)
    assert len(sent) == 2
    assert _summary(results) == local_results
