#!/usr/bin/env python3
"""poolbench's CPython baseline: the same jobs as the JMH benchmarks, run through CPython's pools.

The Java CLI runs this program and merges its rows into the run's ``results.csv``; the charts then show CPython's
``multiprocessing.Pool``, ``ProcessPoolExecutor`` and ``ThreadPoolExecutor`` next to the JVM's backends. Standard
library only, Python 3.9+ (measured with 3.11).

Usage (what the Java CLI calls)::

    python3 python/poolbench_py.py --run-id ID --profile smoke|quick|full \\
        --families scaling,creation,granularity --workloads factorial,squares,download \\
        --cores 1,2 --workers-per-core 1 --download-url-template http://127.0.0.1:PORT/files/{i} \\
        --out results.csv --env-out environment.csv

Exit status: 0 on success; 2 with one line on stderr for a bad argument (naming the value and the valid choices)
or an unreachable download URL; 1 with one line on stderr when a measured job returns a wrong result or fails.
``--out`` and ``--env-out`` are written only at the end of a successful run (through a temporary file and a
rename), so a failed run never overwrites an earlier one.

What it measures (the Java twins are in ``src/main/java/org/poolbench/bench``)
------------------------------------------------------------------------------
scaling (``ScalingBenchmark.job``, ``ms/op``): one op is one whole job: 12 tasks of ``math.factorial`` cycling
n = 50000, 60000, 70000 (a task returns ``(n, bit_length, hash)``, not the 300 KB value), ``x*x`` over a million
numbers, or 32 downloads. For each k of ``--cores`` the program pins itself to the first k CPUs it may use
(``os.sched_setaffinity``; the pools' threads and processes, created afterwards, inherit the mask, and the set-up
checks that the workers really see k CPUs), then runs every backend with ``workers = k × --workers-per-core``:

=========================== ================================================= =========
backend                     call                                              chunksize
=========================== ================================================= =========
py-sequential               ``list(map(task, inputs))`` (workers 1)           (empty)
py-thread-pool              ``ThreadPoolExecutor(w).map(task, inputs)``       1
py-process-pool             ``multiprocessing.Pool(w).map(task, inputs)``     0 (CPython's rule)
py-process-pool             ``Pool(w).map(task, inputs, chunksize=1)``        1
py-process-pool-executor    ``ProcessPoolExecutor(w).map(task, inputs)``      1 (its default)
=========================== ================================================= =========

``chunksize`` is "tasks per unit of scheduling" as in ARCHITECTURE.md: 0 means ``Pool.map``'s own rule,
``ceil(n / (4 × workers))``; ``ThreadPoolExecutor.map`` makes one future per input (it ignores chunksize), hence 1.
Pools are created once per point, before the warm-up, and closed after it (JMH's ``@Setup(Level.Trial)``).

*Left out by design:* ``squares`` with the three backends that schedule one number at a time (thread pool, process
pool at chunksize 1, ``ProcessPoolExecutor``) is written as a ``skipped`` row in every profile:
a million one-number messages take about 20 s (threads) to 3 min (``ProcessPoolExecutor``) per job on 2 cores,
and a point needs at least (warm-up + measurement iterations) jobs: hours in the full profile. The granularity
family measures the same per-task cost directly (100! takes about a microsecond).

creation (``CreationBenchmark``, ``us/op``, at the highest k): ``pyThread`` is ``threading.Thread`` start + join;
``pyProcess`` is ``multiprocessing.Process(target=noop)`` start + join (+ ``close``), checking ``exitcode == 0``;
``pyPool`` (``workers`` = N for N = 1 and the highest k) creates ``Pool(N)``, maps one task per worker
(``chunksize=1``), checks the answers, then ``close`` + ``join``. Creation is the measurement here, so it happens
inside the op. The ``backend`` cell is empty, as for the JVM's creation rows.

granularity (``GranularityBenchmark.factorial``, ``us/op``, at the highest k): jobs of ``tasks`` factorials of size
``task_size`` = n (100: 16384, 300: 8192, 1000: 2048, 3000: 256, 10000: 32, 30000: 8 tasks; smoke: 100, 3000, 30000
only), one task per message (``chunksize=1``) on py-thread-pool and py-process-pool with k workers, and
py-sequential (workers 1) for the pure work. Per-task time = score / tasks.

Every op's result is checked outside the timed region against an answer computed in the set-up (factorial: the
digests of a sequential run; squares: ``x*x``; download: size, ``zlib.crc32`` and HTTP status 200 of a first
sequential download of every file); a wrong answer ends the run with exit status 1.

Statistics (comparable to JMH's average-time mode)
---------------------------------------------------
Profiles use JMH's iteration scheme with the Java profiles' numbers:

======= ===== ===================== =========================
profile forks warm-up               measurement
======= ===== ===================== =========================
smoke   1     1 iteration × 0.5 s   2 iterations × 0.5 s
quick   1     2 iterations × 1 s    5 iterations × 1 s
full    3     5 iterations × 2 s    10 iterations × 2 s
======= ===== ===================== =========================

* An iteration runs ops back to back until its time is up, and always at least one op (an op longer than the
  iteration is one op per iteration, as in JMH). Each op is timed on its own with ``time.perf_counter_ns``; the
  result check between ops is not timed (JMH's ``@TearDown(Level.Invocation)``).
* Iteration score = mean op time of that iteration (its timed nanoseconds / its ops). Warm-up iterations are
  discarded.
* score = mean of the measurement iterations' scores; with forks, the iterations of all forks are pooled, as JMH
  pools its forks.
* score_error = JMH's: the half-width of the 99.9 % confidence interval of that mean,
  ``t(0.9995, n-1) × s / sqrt(n)``, s the sample standard deviation of the n iteration scores, t Student's quantile
  (a table for n-1 = 1..30, the normal quantile 3.2905 beyond). Empty when n = 1. With the smoke profile's two
  iterations t = 636.6, so smoke error bars are wide by construction, exactly as JMH's are.
* A "fork" here is not a fresh interpreter: it is a fresh set-up (new pools, same interpreter). CPython has no JIT
  whose state a fork would reset; the pools are what a fork must renew.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import decimal
import gc
import math
import multiprocessing
import os
import platform
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

COLUMNS = ["run_id", "family", "benchmark", "workload", "backend", "cores", "workers", "task_size", "chunksize",
           "tasks", "mode", "score", "score_error", "unit", "speedup", "efficiency", "status", "note", "params"]

FAMILIES = ["scaling", "creation", "granularity"]
WORKLOADS = ["factorial", "squares", "download"]

FACTORIAL_SIZES = [50_000, 60_000, 70_000]
FACTORIAL_TASKS = 12
SQUARES_COUNT = 1_000_000
DOWNLOAD_FILES = 32

GRANULARITY_TASKS = {100: 16_384, 300: 8_192, 1_000: 2_048, 3_000: 256, 10_000: 32, 30_000: 8}
GRANULARITY_SMOKE_SIZES = [100, 3_000, 30_000]

#: Above this many numbers, squares on a one-number-per-message backend is skipped by design, in every profile.
SQUARES_SKIP_ABOVE = 100_000

#: Student's t quantile t(0.9995, df) for df = 1..30 (two-sided 99.9 %); NORMAL_9995 beyond.
T_9995 = [636.6192, 31.5991, 12.9240, 8.6103, 6.8688, 5.9588, 5.4079, 5.0413, 4.7809, 4.5869,
          4.4370, 4.3178, 4.2208, 4.1405, 4.0728, 4.0150, 3.9651, 3.9216, 3.8834, 3.8495,
          3.8193, 3.7921, 3.7676, 3.7454, 3.7251, 3.7066, 3.6896, 3.6739, 3.6594, 3.6460]
NORMAL_9995 = 3.2905


@dataclass(frozen=True)
class Profile:
    name: str
    forks: int
    warmup_iterations: int
    warmup_seconds: float
    iterations: int
    iteration_seconds: float


PROFILES = {
    "smoke": Profile("smoke", 1, 1, 0.5, 2, 0.5),
    "quick": Profile("quick", 1, 1, 1.0, 5, 1.0),
    "full": Profile("full", 3, 5, 2.0, 10, 2.0),
}


class CheckFailed(Exception):
    """A job returned a wrong result, or the machine does not look as a point claims (e.g. its core count)."""


class UsageError(Exception):
    """A bad argument or an unreachable download URL: exit status 2."""


# ---------------------------------------------------------------------------------------------------------------------
# Tasks: top level, so that pickle ships them to worker processes by name.

def factorial_digest(n):
    """The factorial task: ``(n, bit_length, hash)`` of ``n!``; enough to check it without carrying 300 KB back."""
    value = math.factorial(n)
    return (n, value.bit_length(), hash(value))


def square(x):
    """The tiny task."""
    return x * x


_OPENER = None


def fetch(url):
    """The download task: GET ``url`` into a temporary file, read it back, return ``(bytes, crc32, status)``.

    The file is anonymous (``tempfile.TemporaryFile``), so nothing is left on disk. Proxies from the environment are
    ignored: the server is on 127.0.0.1. Failures are raised as ``RuntimeError`` with a plain message, which every
    pool can pickle back to the parent.
    """
    global _OPENER
    if _OPENER is None:
        _OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with _OPENER.open(url, timeout=30) as response:
            status = response.status
            with tempfile.TemporaryFile(prefix="poolbench-download-") as f:
                while True:
                    block = response.read(65536)
                    if not block:
                        break
                    f.write(block)
                f.seek(0)
                size, crc = 0, 0
                while True:
                    block = f.read(65536)
                    if not block:
                        break
                    size += len(block)
                    crc = zlib.crc32(block, crc)
    except urllib.error.HTTPError as e:
        raise RuntimeError("download of %s failed: HTTP %d" % (url, e.code)) from None
    except (OSError, urllib.error.URLError) as e:
        raise RuntimeError("download of %s failed: %s" % (url, e)) from None
    return (size, crc, status)


def noop():
    """The target of the pyProcess creation benchmark."""


def plus_one(x):
    """The task of the pyPool creation benchmark."""
    return x + 1


def cpus_seen(_=None):
    """How many CPUs the calling thread or process may run on (checks that pinning reached the workers)."""
    return len(os.sched_getaffinity(0))


def _die_with_parent():
    """Pool initializer: on Linux, ask the kernel to kill this worker if the parent process dies (PR_SET_PDEATHSIG),
    so that not even a SIGKILL of the parent can leave a worker behind. Best effort elsewhere."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except Exception:  # noqa: BLE001 - not Linux, or no libc: the parent's clean-up is the only guard
        pass


# ---------------------------------------------------------------------------------------------------------------------
# Jobs and checks.

def check_results(name, expected, results):
    """Raises :class:`CheckFailed` unless ``results`` equals ``expected`` (same length, same items, same order); the
    message names the first wrong index."""
    results = None if results is None else list(results)
    if results is None or len(results) != len(expected):
        raise CheckFailed("%s: expected %d results, got %s"
                          % (name, len(expected), "none" if results is None else len(results)))
    if results != expected:
        for i, (e, r) in enumerate(zip(expected, results)):
            if e != r:
                raise CheckFailed("%s: wrong result at index %d: expected %r, got %r" % (name, i, e, r))
    return results


@dataclass
class Job:
    """One job: a task applied to every input; running it with any backend must give ``expected``, in order."""
    workload: str
    func: object
    inputs: list
    expected: list
    params: str = ""

    @property
    def tasks(self):
        return len(self.inputs)

    def check(self, results):
        check_results(self.workload, self.expected, results)


def factorial_job(sizes, tasks):
    inputs = [sizes[i % len(sizes)] for i in range(tasks)]
    digests = {n: factorial_digest(n) for n in sorted(set(inputs))}
    return Job("factorial", factorial_digest, inputs, [digests[n] for n in inputs])


def squares_job(count):
    inputs = list(range(count))
    return Job("squares", square, inputs, [x * x for x in inputs])


def download_urls(template, files):
    return [template.replace("{i}", str(i)) for i in range(files)]


def download_job(template, files):
    """The download job; its answer is a first, sequential download of every file (each must answer 200)."""
    urls = download_urls(template, files)
    expected = []
    for url in urls:
        try:
            digest = fetch(url)
        except RuntimeError as e:
            raise UsageError("--download-url-template: cannot download %s (%s)" % (url, e)) from None
        if digest[2] != 200:
            raise UsageError("--download-url-template: %s answered HTTP %d, expected 200" % (url, digest[2]))
        expected.append(digest)
    sizes = sorted({d[0] for d in expected})
    params = "fileBytes=%d" % sizes[0] if len(sizes) == 1 else "fileBytes=%d..%d" % (sizes[0], sizes[-1])
    return Job("download", fetch, urls, expected, params)


# ---------------------------------------------------------------------------------------------------------------------
# Backends: created in a point's set-up, ``map`` is the measured op, closed in its tear-down.

class Sequential:
    name = "py-sequential"
    api = "map"

    def __init__(self, workers, chunksize):
        self.workers = 1

    def map(self, func, inputs):
        return list(map(func, inputs))

    def cpus_seen(self):
        return {cpus_seen()}

    def close(self):
        pass

    def terminate(self):
        pass


class ThreadPool:
    name = "py-thread-pool"
    api = "concurrent.futures.ThreadPoolExecutor.map"

    def __init__(self, workers, chunksize):
        self.workers = workers
        self.executor = ThreadPoolExecutor(max_workers=workers)

    def map(self, func, inputs):
        return list(self.executor.map(func, inputs))

    def cpus_seen(self):
        # starts every thread (each submit starts one more until max_workers) and asks the threads
        return set(self.executor.map(cpus_seen, range(4 * self.workers)))

    def close(self):
        self.executor.shutdown(wait=True)

    def terminate(self):
        self.executor.shutdown(wait=True, cancel_futures=True)


class ProcessPool:
    name = "py-process-pool"
    api = "multiprocessing.Pool.map"

    def __init__(self, workers, chunksize):
        self.workers = workers
        self.chunksize = chunksize or None  # 0 = Pool.map's own rule
        self.pool = multiprocessing.Pool(workers, initializer=_die_with_parent)

    def map(self, func, inputs):
        return self.pool.map(func, inputs, self.chunksize)

    def cpus_seen(self):
        return set(self.pool.map(cpus_seen, range(4 * self.workers), 1))

    def close(self):
        self.pool.close()
        self.pool.join()

    def terminate(self):
        self.pool.terminate()
        self.pool.join()


class ProcessPoolExec:
    name = "py-process-pool-executor"
    api = "concurrent.futures.ProcessPoolExecutor.map"

    def __init__(self, workers, chunksize):
        self.workers = workers
        self.chunksize = chunksize or 1
        self.executor = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent)

    def map(self, func, inputs):
        return list(self.executor.map(func, inputs, chunksize=self.chunksize))

    def cpus_seen(self):
        return set(self.executor.map(cpus_seen, range(4 * self.workers)))

    def close(self):
        self.executor.shutdown(wait=True)

    def terminate(self):
        # shutdown() waits for running tasks; kill the workers first so that nothing can hang
        for p in list((getattr(self.executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                p.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def opened(backend_class, workers, chunksize, cores):
    """A backend for one trial (fork): created, checked to run on ``cores`` CPUs, closed (or terminated on error)."""
    backend = backend_class(workers, chunksize)
    try:
        seen = backend.cpus_seen()
        if seen != {cores}:
            raise CheckFailed("%s claims %d cores but its workers may use %s CPUs"
                              % (backend.name, cores, ", ".join(map(str, sorted(seen)))))
        yield backend
    except BaseException:
        backend.terminate()
        raise
    else:
        backend.close()


def trial_for(backend_class, workers, chunksize, cores, job):
    """One trial (fork) of a pool point, for :func:`measure`: opens the backend, yields the op (one whole job)."""
    @contextlib.contextmanager
    def trial():
        with opened(backend_class, workers, chunksize, cores) as backend:
            yield lambda: backend.map(job.func, job.inputs)
    return trial


# ---------------------------------------------------------------------------------------------------------------------
# Measurement (see the module docstring, "Statistics").

def t_quantile_9995(df):
    """Student's t(0.9995, df): the factor of JMH's 99.9 % confidence interval."""
    if df < 1:
        raise ValueError("df must be >= 1, got %r" % df)
    return T_9995[df - 1] if df <= len(T_9995) else NORMAL_9995


def summarize(iteration_scores):
    """``(score, score_error)`` as JMH reports them: the mean of the iteration scores and the half-width of its 99.9 %
    confidence interval (``None`` for fewer than three iterations, where JMH reports NaN too)."""
    n = len(iteration_scores)
    if n == 0:
        raise ValueError("no iterations")
    mean = statistics.fmean(iteration_scores)
    if n <= 2:
        return mean, None
    return mean, t_quantile_9995(n - 1) * statistics.stdev(iteration_scores) / math.sqrt(n)


def run_iteration(op, check, seconds):
    """Runs ``op`` back to back until ``seconds`` have passed (at least once), checking each result untimed; returns
    ``(mean op time in ns, ops)``."""
    clock = time.perf_counter_ns
    deadline = clock() + int(seconds * 1e9)
    timed = ops = 0
    while True:
        start = clock()
        result = op()
        timed += clock() - start
        ops += 1
        check(result)
        if clock() >= deadline:
            return timed / ops, ops


@dataclass
class Measurement:
    score_ns: float
    error_ns: float | None
    iterations: int
    ops: int


def measure(trial, check, profile, iteration_seconds=None):
    """Measures one point. ``trial()`` is a context manager yielding the op (a fresh set-up per fork)."""
    warmup_s = profile.warmup_seconds if iteration_seconds is None else iteration_seconds
    measure_s = profile.iteration_seconds if iteration_seconds is None else iteration_seconds
    scores, ops = [], 0
    for _ in range(profile.forks):
        # Every trial starts from a collected heap, as a JMH fork starts from a fresh one: otherwise a point would
        # inherit the garbage (and the collector's allocation counts) of whichever points ran before it, which differ
        # between core counts (at 1 core the sequential point runs first in a fresh interpreter, at 2 cores after
        # every 1-core point).
        gc.collect()
        with trial() as op:
            for _ in range(profile.warmup_iterations):
                run_iteration(op, check, warmup_s)
            for _ in range(profile.iterations):
                score, n = run_iteration(op, check, measure_s)
                scores.append(score)
                ops += n
    mean, error = summarize(scores)
    return Measurement(mean, error, len(scores), ops)


# ---------------------------------------------------------------------------------------------------------------------
# Pinning.

@contextlib.contextmanager
def pinned(k, allowed):
    """Pins this process (its main thread, and so every thread and process it starts from now on) to the first ``k``
    of the ``allowed`` CPUs; restores the old mask afterwards."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, sorted(allowed)[:k])
    try:
        if len(os.sched_getaffinity(0)) != k:
            raise CheckFailed("pinning to %d CPUs left this process on %d" % (k, len(os.sched_getaffinity(0))))
        yield
    finally:
        os.sched_setaffinity(0, before)


# ---------------------------------------------------------------------------------------------------------------------
# The run.

def plain(x):
    """A number in plain decimal notation (never 1e-05), as results.csv wants it; empty for None / NaN."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    if isinstance(x, int):
        return str(x)
    text = format(decimal.Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class Runner:
    """Runs the points of the chosen families and collects their rows."""

    def __init__(self, args, allowed):
        self.args = args
        self.allowed = allowed
        self.profile = PROFILES[args.profile]
        self.start_method = multiprocessing.get_start_method()
        self.rows = []
        self.point = 0
        self.jobs = {}

    # rows ---------------------------------------------------------------------------------------------------------
    def row(self, family, benchmark, unit, *, workload=None, backend=None, cores=None, workers=None, task_size=None,
            chunksize=None, tasks=None, measurement=None, status="ok", note="", params=""):
        scale = {"ms/op": 1e6, "us/op": 1e3}[unit]
        row = {
            "run_id": self.args.run_id, "family": family, "benchmark": benchmark, "workload": workload or "",
            "backend": backend or "", "cores": plain(cores), "workers": plain(workers),
            "task_size": plain(task_size), "chunksize": plain(chunksize), "tasks": plain(tasks),
            "mode": "avgt" if measurement else "", "unit": unit if measurement else "",
            "score": plain(measurement.score_ns / scale) if measurement else "",
            "score_error": plain(None if measurement is None or measurement.error_ns is None
                                 else measurement.error_ns / scale),
            "speedup": "", "efficiency": "", "status": status, "note": note, "params": params,
        }
        self.rows.append(row)
        what = " ".join(str(v) for v in (family, benchmark, workload, backend) if v)
        where = " ".join("%s=%s" % (k, v) for k, v in (("cores", cores), ("workers", workers),
                                                      ("task_size", task_size), ("chunksize", chunksize),
                                                      ("tasks", tasks)) if v is not None)
        if measurement:
            error = "" if measurement.error_ns is None else " ± %.4g" % (measurement.error_ns / scale)
            print("[%d] %s %s: %.4g%s %s (%d iterations, %d ops)" % (self.point, what, where,
                                                                     measurement.score_ns / scale, error, unit,
                                                                     measurement.iterations, measurement.ops),
                  flush=True)
        else:
            print("[%d] %s %s: %s (%s)" % (self.point, what, where, status, note), flush=True)

    def measure(self, trial, check, label):
        self.point += 1
        try:
            return measure(trial, check, self.profile, self.args.iteration_seconds)
        except CheckFailed as e:
            raise CheckFailed("%s: %s" % (label, e)) from None

    def params(self, *parts):
        return ";".join(p for p in parts if p)

    # jobs -----------------------------------------------------------------------------------------------------------
    def job(self, workload):
        tiny = self.args.tiny
        if workload not in self.jobs:  # each job once per run: its set-up (the verified answer) is not cheap
            if workload == "factorial":
                self.jobs[workload] = factorial_job([500, 600, 700] if tiny else FACTORIAL_SIZES, FACTORIAL_TASKS)
            elif workload == "squares":
                self.jobs[workload] = squares_job(1_000 if tiny else SQUARES_COUNT)
            else:  # one first, sequential download per run: the answer every download job is checked against
                self.jobs[workload] = download_job(self.args.download_url_template, 4 if tiny else DOWNLOAD_FILES)
        return self.jobs[workload]

    # families -------------------------------------------------------------------------------------------------------
    def scaling(self, k):
        backends = [(Sequential, None), (ThreadPool, 1), (ProcessPool, 0), (ProcessPool, 1), (ProcessPoolExec, 1)]
        for workload in self.args.workloads:
            job = self.job(workload)
            for backend_class, chunksize in backends:
                workers = 1 if backend_class is Sequential else k * self.args.workers_per_core
                common = dict(workload=workload, backend=backend_class.name, cores=k, workers=workers,
                              chunksize=chunksize, tasks=job.tasks)
                params = self.params(job.params, "api=" + backend_class.api,
                                     "start_method=" + self.start_method if "process" in backend_class.name else "")
                if workload == "squares" and chunksize == 1 and job.tasks > SQUARES_SKIP_ABOVE:
                    self.point += 1
                    self.row("scaling", "job", "ms/op", **common, status="skipped", params=params,
                             note="one message per number: %d of them take 20 s to minutes per job, and a point "
                                  "needs at least %d jobs (hours in full); the granularity family measures the "
                                  "per-task cost instead" % (job.tasks, self.profile.warmup_iterations
                                                             + self.profile.iterations))
                    continue
                trial = trial_for(backend_class, workers, chunksize, k, job)
                m = self.measure(trial, job.check, "scaling %s %s cores=%d workers=%d chunksize=%s"
                                 % (workload, backend_class.name, k, workers, chunksize))
                self.row("scaling", "job", "ms/op", **common, measurement=m, params=params)

    def creation(self, top):
        params = "start_method=" + self.start_method

        def thread_op():
            ran = []
            t = threading.Thread(target=ran.append, args=(1,))
            t.start()
            t.join()
            return len(ran)

        def thread_check(started):
            if started != 1:
                raise CheckFailed("a started thread did not run its target")

        def process_op():
            p = multiprocessing.Process(target=noop)
            p.start()
            p.join()
            code = p.exitcode
            p.close()
            return code

        def process_check(exitcode):
            if exitcode != 0:
                raise CheckFailed("a noop process exited with %r" % exitcode)

        for benchmark, op, check, p in (("pyThread", thread_op, thread_check, ""),
                                        ("pyProcess", process_op, process_check, params)):
            m = self.measure(lambda op=op: contextlib.nullcontext(op), check, "creation " + benchmark)
            self.row("creation", benchmark, "us/op", cores=top, measurement=m, params=p)

        for n in sorted({1, top}):
            def pool_op(n=n):
                pool = multiprocessing.Pool(n)
                try:
                    answers = pool.map(plus_one, [41] * n, 1)
                except BaseException:
                    pool.terminate()
                    pool.join()
                    raise
                pool.close()
                pool.join()
                return answers

            def pool_check(answers, n=n):
                check_results("pool of %d" % n, [42] * n, answers)

            m = self.measure(lambda op=pool_op: contextlib.nullcontext(op), pool_check, "creation pyPool %d" % n)
            self.row("creation", "pyPool", "us/op", cores=top, workers=n, measurement=m,
                     params=self.params(params, "api=multiprocessing.Pool"))

    def granularity(self, top):
        if "factorial" not in self.args.workloads:
            return
        sizes = GRANULARITY_SMOKE_SIZES if self.profile.name == "smoke" else sorted(GRANULARITY_TASKS)
        for n in sizes:
            tasks = GRANULARITY_TASKS[n] // (64 if self.args.tiny else 1) or 1
            job = factorial_job([n], tasks)
            for backend_class, chunksize in ((Sequential, None), (ThreadPool, 1), (ProcessPool, 1)):
                workers = 1 if backend_class is Sequential else top
                trial = trial_for(backend_class, workers, chunksize, top, job)
                m = self.measure(trial, job.check, "granularity factorial %s task_size=%d" % (backend_class.name, n))
                self.row("granularity", "factorial", "us/op", workload="factorial", backend=backend_class.name,
                         cores=top, workers=workers, task_size=n, chunksize=chunksize, tasks=tasks, measurement=m,
                         params=self.params("api=" + backend_class.api,
                                            "start_method=" + self.start_method
                                            if backend_class is ProcessPool else ""))

    def run(self):
        cores = self.args.cores
        top = max(cores)
        if "scaling" in self.args.families:
            for k in cores:
                with pinned(k, self.allowed):
                    self.scaling(k)
        if "creation" in self.args.families:
            with pinned(top, self.allowed):
                self.creation(top)
        if "granularity" in self.args.families:
            with pinned(top, self.allowed):
                self.granularity(top)
        return self.rows


# ---------------------------------------------------------------------------------------------------------------------
# Arguments.

class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        sys.stderr.write("%s: error: %s\n" % (self.prog, " ".join(message.split())))
        sys.exit(2)


def name_list(valid):
    def parse(text):
        names = [s.strip() for s in text.split(",") if s.strip()]
        if not names:
            raise argparse.ArgumentTypeError("empty list %r; valid: %s" % (text, ", ".join(valid)))
        for name in names:
            if name not in valid:
                raise argparse.ArgumentTypeError("unknown value '%s'; valid: %s" % (name, ", ".join(valid)))
        return [v for v in valid if v in names]  # canonical order, no duplicates
    return parse


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError("'%s' is not a positive integer; valid: 1, 2, 3, ..." % text)
    return value


def core_list(cpus):
    def parse(text):
        values = []
        for part in text.split(","):
            part = part.strip()
            if not part.isdigit() or not 1 <= int(part) <= cpus:
                raise argparse.ArgumentTypeError("'%s' is not a core count this process can pin to; valid: 1..%d "
                                                 "(it may use %d CPUs)" % (part, cpus, cpus))
            values.append(int(part))
        return sorted(set(values))
    return parse


def url_template(text):
    if "{i}" not in text or not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError("'%s' is not a download URL template; valid: http://HOST:PORT/files/{i} "
                                         "(http or https, with {i} for the file number)" % text)
    return text


def non_negative_float(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError("'%s' is not a number of seconds >= 0" % text)
    return value


def parse_args(argv, cpus):
    p = OneLineParser(prog="poolbench_py.py", allow_abbrev=False,
                      description="poolbench's CPython baseline: scaling, creation and granularity through CPython's "
                                  "pools, written in poolbench's results.csv schema.")
    p.add_argument("--run-id", required=True, help="the run id written in every row")
    p.add_argument("--profile", choices=list(PROFILES), default="quick", help="smoke, quick (default) or full")
    p.add_argument("--families", type=name_list(FAMILIES), default=list(FAMILIES),
                   help="comma list of %s (default: all)" % ", ".join(FAMILIES))
    p.add_argument("--workloads", type=name_list(WORKLOADS), default=list(WORKLOADS),
                   help="comma list of %s (default: all)" % ", ".join(WORKLOADS))
    p.add_argument("--cores", type=core_list(cpus), default=[cpus],
                   help="comma list of core counts to pin to, each 1..%d (default: %d)" % (cpus, cpus))
    p.add_argument("--workers-per-core", type=positive_int, default=1,
                   help="scaling only: workers = k × this for the pools (default 1)")
    p.add_argument("--download-url-template", type=url_template,
                   help="e.g. http://127.0.0.1:PORT/files/{i}; needed for the download workload")
    p.add_argument("--out", required=True, help="results CSV to write")
    p.add_argument("--env-out", required=True, help="environment CSV to write")
    p.add_argument("--iteration-seconds", type=non_negative_float, default=None, help=argparse.SUPPRESS)
    p.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # tests: tiny jobs
    args = p.parse_args(argv)
    if not args.run_id.strip():
        p.error("argument --run-id: empty run id; valid: any non-empty text")
    needs_download = "download" in args.workloads and "scaling" in args.families
    if needs_download and args.download_url_template is None:
        p.error("argument --download-url-template: missing; the download workload needs it "
                "(valid: http://HOST:PORT/files/{i}), or leave download out of --workloads")
    return args


# ---------------------------------------------------------------------------------------------------------------------
# Output.

def environment(args, allowed, start):
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    profile = PROFILES[args.profile]
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return [
        ("python_version", platform.python_version()),
        ("python_implementation", platform.python_implementation()),
        ("mp_start_method", multiprocessing.get_start_method()),
        ("python_executable", sys.executable),
        ("gil", "yes" if gil else "no"),
        ("python_profile", args.profile),
        ("python_forks", str(profile.forks)),
        ("python_warmup", "%d x %g s" % (profile.warmup_iterations, profile.warmup_seconds)),
        ("python_measurement", "%d x %g s" % (profile.iterations, profile.iteration_seconds)),
        ("python_iteration_seconds_override", "" if args.iteration_seconds is None else "%g" % args.iteration_seconds),
        ("python_cores_measured", ",".join(map(str, args.cores))),
        ("python_cpus_allowed", ",".join(map(str, sorted(allowed)))),
        ("python_start_time", start.isoformat(timespec="seconds")),
        ("python_load_average", "" if load is None else " ".join("%.2f" % x for x in load)),
    ]


def write_csv_atomically(path, header, rows):
    """Writes through a temporary file in the same folder and a rename: readers never see half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".poolbench-py-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_MAIN_PID = os.getpid()


def _on_sigterm(signum, frame):
    """In this process, SIGTERM unwinds (so every pool is terminated by its ``finally``); forked workers inherit this
    handler and simply die, as they would by default."""
    if os.getpid() != _MAIN_PID:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise SystemExit(128 + signum)


def main(argv=None):
    global _MAIN_PID
    allowed = os.sched_getaffinity(0)
    args = parse_args(sys.argv[1:] if argv is None else argv, len(allowed))
    _MAIN_PID = os.getpid()
    signal.signal(signal.SIGTERM, _on_sigterm)
    start = datetime.now(timezone.utc).astimezone()
    env = environment(args, allowed, start)
    began = time.monotonic()
    runner = Runner(args, allowed)
    try:
        rows = runner.run()
    except UsageError as e:
        sys.stderr.write("poolbench_py.py: error: %s\n" % e)
        return 2
    except CheckFailed as e:
        sys.stderr.write("poolbench_py.py: check failed: %s\n" % " ".join(str(e).split()))
        return 1
    except Exception as e:  # noqa: BLE001 - a failed job (e.g. a download error): one clear line, exit 1
        sys.stderr.write("poolbench_py.py: failed: %s: %s\n" % (type(e).__name__, " ".join(str(e).split())))
        return 1
    write_csv_atomically(args.out, COLUMNS, [[r[c] for c in COLUMNS] for r in rows])
    write_csv_atomically(args.env_out, ["key", "value"], env)
    print("wrote %s (%d rows) and %s in %.1f s" % (args.out, len(rows), args.env_out, time.monotonic() - began),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
