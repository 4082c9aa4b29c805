"""Work in forked processes: a result, an exception and a dead worker all come back."""

from __future__ import annotations

import os
import threading

import pytest

from execbrief.workers import ForkMap, can_fork, cpus, fork_call

needs_fork = pytest.mark.skipif(not can_fork() or cpus() < 2, reason="forking is not safe here")


@needs_fork
def test_a_forked_call_returns_its_result_from_another_process():
    wait = fork_call(lambda: (os.getpid(), [1, 2, 3]))

    assert wait is not None
    pid, values = wait()
    assert pid != os.getpid() and values == [1, 2, 3]


@needs_fork
def test_a_forked_call_returns_the_exception_it_raised():
    def fail():
        raise ValueError("bad input in notes/a.md")

    outcome = fork_call(fail)()

    assert isinstance(outcome, ValueError) and str(outcome) == "bad input in notes/a.md"


@needs_fork
def test_a_result_that_cannot_cross_becomes_an_error():
    outcome = fork_call(lambda: threading.Lock())()

    assert isinstance(outcome, RuntimeError) and "could not be sent back" in str(outcome)


class _NeedsTwo(Exception):
    def __init__(self, a, b):  # (pickles as one argument: cannot be unpickled)
        super().__init__(f"{a} {b}")


@needs_fork
def test_a_result_that_cannot_be_read_back_becomes_an_error():
    def fail():
        raise _NeedsTwo("bad", "input")

    outcome = fork_call(fail)()

    assert isinstance(outcome, RuntimeError) and "could not be read back" in str(outcome)


@needs_fork
def test_a_worker_that_dies_without_a_result_is_an_error():
    outcome = fork_call(lambda: os._exit(3))()

    assert isinstance(outcome, RuntimeError) and "exit code 3" in str(outcome)


def test_no_fork_beside_another_thread():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert fork_call(lambda: 1) is None
    finally:
        stop.set()
        thread.join()


_PARENT = os.getpid()


def _square_unless_killed(n: int) -> tuple[int, bool]:
    if n == 20 and os.getpid() != _PARENT:
        os._exit(9)  # as the kernel would kill a worker out of memory
    return n * n, os.getpid() == _PARENT


@needs_fork
def test_a_fork_map_gives_its_results_in_order_and_finishes_here_when_a_worker_is_killed():
    with ForkMap(_square_unless_killed, list(range(40)), parallel=True, chunksize=4) as squares:
        assert squares.workers > 1
        results = list(squares)

    assert [n for n, _ in results] == [n * n for n in range(40)]
    assert results[-1][1] and squares.workers == 1  # the last ones were done here


def test_a_fork_map_not_worth_it_works_here():
    with ForkMap(_square_unless_killed, [1, 2, 3], parallel=False) as squares:
        assert squares.workers == 1 and list(squares) == [(1, True), (4, True), (9, True)]
