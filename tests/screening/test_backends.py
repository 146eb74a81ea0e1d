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
