"""Kernels that treat each household on its own, built twice: serial, and split over threads.

A parallel region costs microseconds to start, and a sweep's evaluations of a municipality run
on cores that other workers already occupy: they use the serial build. A national run is one
process beside idle cores: from `PARALLEL_FROM` households on, and with more than one numba
thread, the same kernel runs with its `numba.prange` loops split over the threads. Each
household's result is computed by the same code in both builds, and the only sums across
households are of integers, so both builds give the same numbers bit for bit
(tests/test_kernels.py compares them). Worker processes of a pool get the cores divided among
them (sim/run/executor.py), so threads never outnumber cores.
"""
from __future__ import annotations

import types

import numba

PARALLEL_FROM = 200_000  # households; below this the thread start-up outweighs the work


def _renamed(py_func, suffix: str):
    """A copy of the function under another name: numba's on-disk cache is keyed by the
    function's name, not its build options, so the two builds need two names."""
    copy = types.FunctionType(py_func.__code__, py_func.__globals__, py_func.__name__ + suffix,
                              py_func.__defaults__, py_func.__closure__)
    copy.__qualname__ = py_func.__qualname__ + suffix
    copy.__doc__ = py_func.__doc__
    return copy


class PerHousehold:
    """`kernel.rows(n)(...)` calls the serial or the parallel build for n rows; calling the kernel
    itself calls the serial build."""

    def __init__(self, py_func):
        self.serial = numba.njit(cache=True, nogil=True)(py_func)
        self.parallel = numba.njit(cache=True, nogil=True, parallel=True)(_renamed(py_func, "_parallel"))
        self.__doc__ = py_func.__doc__

    def rows(self, n: int):
        return self.parallel if use_threads(n) else self.serial

    def __call__(self, *args):
        return self.serial(*args)


def use_threads(n: int) -> bool:
    return n >= PARALLEL_FROM and numba.get_num_threads() > 1


def per_household(py_func) -> PerHousehold:
    """Decorator: build `py_func` serially and in parallel (see the module's docstring)."""
    return PerHousehold(py_func)


def limit_threads(threads: int) -> None:
    """Use at most `threads` numba threads in this thread (a pool worker's share of the cores)."""
    numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))
