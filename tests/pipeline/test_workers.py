"""Worker processes: the same results as one process, in order, with errors raised where
they are collected."""

from __future__ import annotations

import os
from functools import partial

import pytest

from migration_ntt import panel
from migration_ntt.pipeline import workers
from migration_ntt.pipeline.evaluations import run_evaluations


def _square_and_where(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def _fail(value: int) -> int:
    raise KeyError(f"piece {value} failed")


def test_pieces_run_in_other_processes_and_come_back_in_order():
    pieces = [partial(_square_and_where, value) for value in range(7)]
    with workers.Workers(2) as pool:
        results = pool.submit(pieces).results()
    assert [square for square, _ in results] == [value * value for value in range(7)]
    assert os.getpid() not in {pid for _, pid in results}


def test_what_was_frozen_for_the_workers_is_collectable_after_the_run():
    import gc

    with workers.Workers(2) as pool:
        pool.submit([partial(_square_and_where, 1)]).results()
        assert gc.get_freeze_count() > 0  # frozen while the workers share this memory
    assert gc.get_freeze_count() == 0


def test_one_worker_runs_the_pieces_here_when_collected():
    with workers.Workers(1) as pool:
        batch = pool.submit([partial(_square_and_where, 3)])
        assert batch.results() == [(9, os.getpid())]


@pytest.mark.parametrize("count", [1, 2])
def test_an_error_of_a_piece_is_raised_where_results_are_collected(count):
    with workers.Workers(count) as pool:
        batch = pool.submit([partial(_square_and_where, 2), partial(_fail, 5)])
        with pytest.raises(KeyError, match="piece 5 failed"):
            batch.results()


def test_worker_count_from_argument_then_environment(monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "3")
    assert workers.available_workers() == 3
    assert workers.available_workers(1) == 1
    monkeypatch.delenv(workers.WORKERS_ENV)
    assert workers.available_workers() >= 1
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(workers.WORKERS_ENV, bad)
        with pytest.raises(ValueError, match=f"{workers.WORKERS_ENV}='{bad}'"):
            workers.available_workers()


def test_evaluations_over_the_cores_equal_those_made_in_one_process():
    table = panel.build_panel(write=False)
    outcome = panel.default_count(table)
    options = {"permutations": 49}
    here, not_here = run_evaluations(table, outcome, ["ltsa", "no_such"], workers=1, **options)
    spread, not_spread = run_evaluations(table, outcome, ["ltsa", "no_such"], workers=2, **options)
    assert not_here == not_spread
    assert "no_such" in not_here
    assert [r.summary() for r in here] == [r.summary() for r in spread]
    assert here[0].event_time.equals(spread[0].event_time)
