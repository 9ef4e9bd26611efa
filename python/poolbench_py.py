#!/usr/bin/env python3
"""poolbench's CPython baseline: the same jobs as the JMH benchmarks, run through CPython's pools.

The Java CLI runs this program and merges its rows into the run's ``results.csv``; the charts then show CPython's
``multiprocessing.Pool``, ``ProcessPoolExecutor`` and ``ThreadPoolExecutor`` next to the JVM's backends. Standard
library only, Python 3.9+ (measured with 3.11).

Usage (what the Java CLI calls)::

    python3 python/poolbench_py.py --run-id ID --profile smoke|quick|full \\
        --families scaling,creation,granularity,io --workloads factorial,squares,download \\
        --cores 1,2 --workers-per-core 1 --download-url-template http://127.0.0.1:PORT/files/{i} \\
        --io-url-template http://127.0.0.1:PORT2/files/{i} --io-latency-ms 20 --probe-stdio \\
        --out results.csv --env-out environment.csv [--iterations-out iterations.csv]

Exit status: 0 on success; 2 with one line on stderr for a bad argument (naming the value and the valid choices)
or an unreachable download URL; 1 with one line on stderr when a measured job returns a wrong result or fails.
``--out`` and ``--env-out`` are written only at the end of a successful run (through a temporary file and a
rename), so a failed run never overwrites an earlier one; so is ``--iterations-out``, if given: every measured
iteration of the ``ms/op`` and ``us/op`` points in the columns of the Java side's ``iterations.csv``
(``ITERATION_COLUMNS``), so that ``compare`` can test CPython's points on their raw values as it does the JVM's.

What it measures (the Java twins are in ``src/main/java/org/poolbench/bench``)
------------------------------------------------------------------------------
Pinning, turns and probe readings (docs/METHODOLOGY.md, "The CPython baseline")
---------------------------------------------------------------------------------
The run's CPUs C = [c0 .. c(n-1)] are those this process may use at start. A k-core point (k < n) runs each
iteration on the k CPUs that a probe (``PROBE_N!`` on each CPU in turn) found fastest just before it (:class:`Cpus`);
k = n is every CPU. The mask is set before each iteration, outside the timed region, on every thread of this process
and of every child process (the pools' workers), and read back from each (:func:`apply_mask`): the vCPUs of a shared
VM run at different speeds for minutes at a time, a single thread at full cores runs on the fast one, and speedup
on unequal processors is defined against the fastest.
The points of a group (the pools of a workload at one core count; every granularity point; the creation points;
the io points at one concurrency) take turns in one interpreter (:func:`take_turns`): all set-ups opened before the
warm-up, then one contender per iteration in the order of Java's ``results.Alternation.index`` (A B B A ...).
With ``--probe-stdio`` (the Java CLI) each part asks the launcher for a machine probe reading before and after it
(:class:`Probe`) and tags its iterations with the noise.csv row that holds them.

scaling (``ScalingBenchmark.job``, ``ms/op``): one op is one whole job: 12 tasks of ``math.factorial`` cycling
n = 50000, 60000, 70000 (a task returns ``(n, bit_length, hash)``, not the 300 KB value), ``x*x`` over a million
numbers, or 32 downloads. For each k of ``--cores`` every backend runs with ``workers = k × --workers-per-core``
(the set-up checks that the workers really see k CPUs):

=========================== ================================================= =========
backend                     call                                              chunksize
=========================== ================================================= =========
py-sequential               ``list(map(task, inputs))`` (workers 1)           (empty)
py-thread-pool              ``ThreadPoolExecutor(w).map(task, inputs)``       1
py-process-pool             ``multiprocessing.Pool(w).map(task, inputs)``     0 (CPython's rule)
py-process-pool             ``Pool(w).map(task, inputs, chunksize=1)``        1
py-process-pool-executor    ``ProcessPoolExecutor(w).map(task, inputs)``      1 (its default)
py-process-pool[spawn],     ``get_context(method).Pool(w).map(...)``          0
py-process-pool[forkserver] (factorial, most cores only)
py-process-per-task         a ``Process`` per chunk, at most w alive          0 (Pool's rule)
                            (factorial and squares, most cores only)
=========================== ================================================= =========

The pools without a method in their name use ``fork`` explicitly (the names of runs made before the other methods,
which still compare). py-sequential is measured at every k in one interpreter that switches its own CPU mask between
slices of each job (``Runner.sequential_paired``; each 1-core slice on the fastest CPU of the moment), so that its
k-core / 1-core ratio compares work done in the same second; factorial's 1-core pools take their turns with the pairs,
so that a one-worker pool over sequential at 1 core does too.

``chunksize`` is "tasks per unit of scheduling" as in ARCHITECTURE.md: 0 means ``Pool.map``'s own rule,
``ceil(n / (4 × workers))``; ``ThreadPoolExecutor.map`` makes one future per input (it ignores chunksize), hence 1.
Pools are created once per point, before the warm-up of their group, and closed after it (JMH's
``@Setup(Level.Trial)``).

*Left out by design:* ``squares`` with the three backends that schedule one number at a time (thread pool, process
pool at chunksize 1, ``ProcessPoolExecutor``) is written as a ``skipped`` row in every profile:
a million one-number messages take about 20 s (threads) to 3 min (``ProcessPoolExecutor``) per job on 2 cores,
and a point needs at least (warm-up + measurement iterations) jobs: hours in the full profile. The granularity
family measures the same per-task cost directly (100! takes about a microsecond).

creation (``CreationBenchmark``, ``us/op``, at the highest k): ``pyThread`` is ``threading.Thread`` start + join;
``pyProcess`` is ``multiprocessing.Process(target=noop)`` start + join (+ ``close``), checking ``exitcode == 0``;
``pyPool`` (``workers`` = N for N = 1 and the highest k) creates ``Pool(N)``, maps one task per worker
(``chunksize=1``), checks the answers, then ``close`` + ``join``. ``pyProcess`` and ``pyPool`` run by each start
method (``params`` ``start_method=fork|spawn|forkserver``; quick: spawn and forkserver pools of one worker only).
Creation is the measurement here, so it happens inside the op. The ``backend`` cell is empty, as for the JVM's
creation rows.

io (``IoBenchmark``, ``ms/op``, at the highest k): one op downloads ``tasks`` files (128; smoke 32) from the io
server (``--io-url-template``, each file answered after ``--io-latency-ms``) with c downloads in flight: py-thread-pool
and py-process-pool (``Pool``, fork, ``chunksize=1``) with c workers, c = 1, 4, 16, 64, 256 (smoke 1, 16).
py-process-pool stops at 16 workers as the JVM's worker JVMs do (a ``skipped`` row above), and quick measures c = 1
with py-thread-pool only, as the JVM's quick does. ``params`` are the JVM rows' (``fileBytes=...;latencyMs=...``).

granularity (``GranularityBenchmark.factorial``, ``us/op``, at the highest k): jobs of ``tasks`` factorials of size
``task_size`` = n (100: 16384, 300: 8192, 1000: 2048, 3000: 256, 10000: 32, 30000: 8 tasks; quick: 300..10000; smoke: 100, 3000, 30000
only), one task per message (``chunksize=1``) on py-thread-pool and py-process-pool with k workers, and
py-sequential (workers 1) for the pure work. Per-task time = score / tasks.

sync (``SyncBenchmark``, at the highest k): k contenders (smoke 1, 2; quick 1, 2, 4; full 1..4) each add 1
``increments`` times per round (100 000; smoke 20 000: CPython adds ~100x slower than the JVM) to one counter,
started together at a barrier. ``py-threads``: threads on a Python attribute, ``none`` (``box.value = box.value +
1``) or ``lock`` (inside ``threading.Lock``). ``py-processes``: long-lived ``multiprocessing.Process`` contenders on
``Value('q')`` without (``value-no-lock``) and with (``value-get-lock``) ``get_lock()``, or on
``Array('q', 1, lock=False)`` (``array-no-lock``). Four rows per point, as JMH writes them for the Java class:
``threads``/``processes`` (ns per round), ``…:increment`` (ns per add), ``…:lostUpdates`` and ``…:updates``
(counts summed over every round of the point, warm-up included; their ratio is the fraction lost), and
``…:plainSeen``: of those updates, how many this interpreter saw in a plain module global to which every contender
also adds its n once per round (all for threads, none for processes: processes share nothing unless told to).

ipc (``IpcBenchmark``): message sizes 8 B .. 1 MiB (smoke 8; quick 8, 8192, 1 MiB). ``threadRoundTrip`` /
``processRoundTrip`` (``us/op``): one message to a peer and back; ``threadStream`` / ``processStream`` (``thrpt``,
messages/s): 64 messages one way, then the peer's byte count (checked). Transports: ``queue-queue`` (two
``queue.Queue``, a peer thread), ``pipe`` (``multiprocessing.Pipe()``, ``send_bytes``), ``queue`` (two
``multiprocessing.Queue``), ``manager`` (``Manager().list()``: ``append`` + ``pop`` per round trip; 64 ``append``,
``len`` and ``del l[:]`` per stream).
``manyProducers`` (``thrpt``, messages/s, ``workers`` = k producers: smoke the highest k, at least 2; quick 1, 2, 4
and the highest k; full also twice the highest k): k ``multiprocessing.Process`` producers, started in the point's set-up
and ended in its tear-down, send one consumer 16384 messages of 16 bytes per round, an equal share each, through
``queue`` (one ``multiprocessing.Queue``) or ``pipes`` (one ``multiprocessing.Pipe()`` per producer, read with
``multiprocessing.connection.wait``); the consumer checks every message exactly once and unchanged (``IpcTally``).

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
quick   1     1 iteration × 0.5 s   8 iterations × 0.5 s (scaling: 16 × 0.3 s)
full    3     5 iterations × 2 s    10 iterations × 2 s
======= ===== ===================== =========================

* Warm-up runs the profile's iterations, then goes on (round after round) until a round costs this process and its
  live children under :data:`SETTLED_PAGES` new pages (minor faults, ``/proc/<pid>/stat``) or no fewer than
  :data:`STEADY_SHARE` of the round before, for at most :data:`WARMUP_CAP_S` seconds (:class:`Settling`). CPython's allocator keeps asking the kernel for fresh pages for
  dozens of jobs: a million squares took 185 ms with 10 000 faults in its first job and 43 ms with none from about
  the 30th on, so a fixed half-second warm-up left a trend in the measured iterations. Contenders that take turns
  warm for at least :data:`TURNS_WARMUP_ROUNDS` rounds.
* quick's scaling points take 16 iterations of 0.3 s (one job each, as its jobs take 0.1–1.8 s): twice the samples
  in about the same time, since an iteration always runs whole jobs.

* An iteration runs ops back to back until its time is up, and always at least one op (an op longer than the
  iteration is one op per iteration, as in JMH). Each op is timed on its own with ``time.perf_counter_ns``; the
  result check between ops is not timed (JMH's ``@TearDown(Level.Invocation)``).
* Each op's result is let go of before the next op starts, but for one item in :data:`RESIDENT_STRIDE`, kept until
  the next job's check (:class:`Resident`): the memory a job used stays mapped, as a long-running program's does.
* After each measured iteration that takes turns, :func:`machine_reading` times ``PROBE_N!`` on each of the
  iteration's CPUs (untimed) and the slowest goes to iterations.csv as metric ``machine.factorial``: ``compare``
  allows a point to move as far as these readings did between two runs.
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
import dataclasses
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
from dataclasses import dataclass, field
from datetime import datetime, timezone

COLUMNS = ["run_id", "family", "benchmark", "workload", "backend", "cores", "workers", "task_size", "chunksize",
           "tasks", "mode", "score", "score_error", "unit", "speedup", "efficiency", "status", "note", "params"]

# results/IterationsCsv.COLUMNS; invocation is noise.csv's row of the part (empty when run without --probe-stdio)
ITERATION_COLUMNS = ["run_id", "family", "benchmark", "workload", "backend", "cores", "workers", "task_size",
                     "chunksize", "tasks", "params", "mode", "unit", "metric", "fork", "iteration", "value",
                     "invocation"]

FAMILIES = ["scaling", "creation", "granularity", "io", "sync", "ipc"]
WORKLOADS = ["factorial", "squares", "download"]

FACTORIAL_SIZES = [50_000, 60_000, 70_000]
FACTORIAL_TASKS = 12
SQUARES_COUNT = 1_000_000
DOWNLOAD_FILES = 32
# py-sequential's paired core counts take turns per slice of a job (Runner.sequential_paired): one factorial task each
SEQUENTIAL_SLICES = 12
# ... and the 1-core pools of these workloads take their turns with them: a one-worker pool over sequential at 1 core is
# the run's check of its baseline (RunChecks.oneWorker, on factorial)
BASELINE_CHECK_WORKLOADS = ("factorial",)

GRANULARITY_TASKS = {100: 16_384, 300: 8_192, 1_000: 2_048, 3_000: 256, 10_000: 32, 30_000: 8}
GRANULARITY_SMOKE_SIZES = [100, 3_000, 30_000]
# quick: the sizes around the crossovers; 100! and 30000! (pools far behind, far ahead) only in full, to keep quick
# within its 25 minutes
GRANULARITY_QUICK_SIZES = [300, 1_000, 3_000, 10_000]

#: The io family (IoBenchmark's twin): files per job and concurrency levels per profile, as the JVM's Plan.io has them
IO_FILES = {"smoke": 32, "quick": 128, "full": 128, "lesson": 128}
IO_CONCURRENCY = {"smoke": [1, 16], "quick": [1, 4, 16, 64, 256], "full": [1, 4, 16, 64, 256], "lesson": [16, 64]}
#: The most worker processes an io point starts (the JVM's Plan.IO_PROCESS_CAP worker JVMs)
IO_PROCESS_CAP = 16

#: The pool-amortizes lesson's squares job (the JVM's lesson asks ScalingBenchmark for as many tasks)
LESSON_SQUARES = 100_000

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
    # quick warms for one iteration of 0.5 s, at least one job: CPython 3.11 has no JIT, and its specializing
    # interpreter adapts a function within its first few calls
    "quick": Profile("quick", 1, 1, 0.5, 8, 0.5),
    "full": Profile("full", 3, 5, 2.0, 10, 2.0),
    # the Java CLI's `lesson NAME`: one claim's few points within a minute, beside the JVM's (--lesson)
    "lesson": Profile("lesson", 1, 1, 0.3, 8, 0.3),
}
#: Warm-up rounds that contenders taking turns run at least (then until the pages settle, as every warm-up):
#: with two, the first measured round of quick's factorial pools at 2 cores still ran 1.3-1.5x slower than the rest
#: (thread pool 664 against 490-515 ms, Pool 420 against 267-287 ms), each point's widest outlier.
TURNS_WARMUP_ROUNDS = {"quick": 3}

#: The scaling family's measurement where it differs from the profile's (iterations, seconds): see the table above.
SCALING_MEASUREMENT = {"quick": (16, 0.3)}
#: ... and the iterations at the most cores, per workload, where a profile gives more. factorial's and squares' jobs
#: vary by 11-22 % from iteration to iteration there (both CPUs busy, the machine's slow stretches last seconds), as
#: the JVM's do (14-15 %, which its 45 iterations bring within 10 %); 16 iterations left their intervals at 12-21 %,
#: 40 of 0.3 s (two jobs in some) left 7 of a run's factorial points at 10.5-12.4 %; 60 of one job each left them at
#: 3.9-5.0 % in one run, 48 at 10.0-10.4 % in the next (the 99.9 % half-width is about 0.56 x the spread at 40
#: iterations, 0.50 x at 48, 0.45 x at 60). download's vary by 1-3 % and keep 16.
SCALING_TOP_ITERATIONS = {"quick": {"factorial": 60, "squares": 40}}
#: ... and the workloads whose points at the most cores run one job per iteration: factorial's jobs there take
#: 0.3-0.6 s, and with 0.3 s iterations the pools' ran two jobs in 36 of 60 iterations, a quarter of the part's time.
SCALING_TOP_ONE_JOB = {"quick": ("factorial",)}
#: py-sequential's paired measurement (iterations, seconds per core count) where it differs from the profile's:
#: squares' job pairs take about 0.12 s, and its iterations drift with the machine as the pools' do (8 of 0.5 s
#: left its interval at 27-37 %); factorial's pair is one per iteration and varies by 2-6 % over 16.
SEQUENTIAL_ITERATIONS = {"quick": {"squares": (40, 0.3)}}

#: Warm-up is over once a round costs the process tree fewer new pages than this (1 MiB of 4 KiB pages), or at least
#: STEADY_SHARE of the round before (no longer falling: big factorials map and unmap their buffers in every job)...
SETTLED_PAGES = 256
STEADY_SHARE = 0.8
#: ... or once this much warm-up has run (per group of contenders, per fork), settled or not. A profile without a cap
#: (smoke: a check that everything runs, not a measurement) warms exactly its iterations.
WARMUP_CAP_S = {"quick": 8.0, "full": 30.0}


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


def slices(inputs, count):
    """``inputs`` cut into ``count`` (or ``len(inputs)``, if fewer) consecutive runs of near-equal length."""
    count = max(1, min(count, len(inputs)))
    bounds = [len(inputs) * i // count for i in range(count + 1)]
    return [inputs[bounds[i]:bounds[i + 1]] for i in range(count)]


def download_urls(template, files):
    return [template.replace("{i}", str(i)) for i in range(files)]


def download_job(template, files, option="--download-url-template"):
    """The download job; its answer is a first, sequential download of every file (each must answer 200)."""
    urls = download_urls(template, files)
    expected = []
    for url in urls:
        try:
            digest = fetch(url)
        except RuntimeError as e:
            raise UsageError("%s: cannot download %s (%s)" % (option, url, e)) from None
        if digest[2] != 200:
            raise UsageError("%s: %s answered HTTP %d, expected 200" % (option, url, digest[2]))
        expected.append(digest)
    sizes = sorted({d[0] for d in expected})
    params = "fileBytes=%d" % sizes[0] if len(sizes) == 1 else "fileBytes=%d..%d" % (sizes[0], sizes[-1])
    return Job("download", fetch, urls, expected, params)


# ---------------------------------------------------------------------------------------------------------------------
# Backends: created in a point's set-up, ``map`` is the measured op, closed in its tear-down.

class Sequential:
    name = "py-sequential"
    api = "map"

    def __init__(self, workers, chunksize, method=None):
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

    def __init__(self, workers, chunksize, method=None):
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


#: The start methods measured as rows; ``fork`` (Linux's default up to 3.13) keeps the plain backend names.
START_METHODS = ["fork", "spawn", "forkserver"]
DEFAULT_START_METHOD = "fork"


def method_name(base, method):
    """``base`` for the default start method, else ``base[method]`` (e.g. ``py-process-pool[spawn]``)."""
    return base if method == DEFAULT_START_METHOD else "%s[%s]" % (base, method)


class ProcessPool:
    name = "py-process-pool"
    api = "multiprocessing.Pool.map"

    def __init__(self, workers, chunksize, method=DEFAULT_START_METHOD):
        self.workers = workers
        self.method = method
        self.name = method_name(ProcessPool.name, method)
        self.chunksize = chunksize or None  # 0 = Pool.map's own rule
        self.pool = multiprocessing.get_context(method).Pool(workers, initializer=_die_with_parent)

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

    def __init__(self, workers, chunksize, method=DEFAULT_START_METHOD):
        self.workers = workers
        self.method = method
        self.name = method_name(ProcessPoolExec.name, method)
        self.chunksize = chunksize or 1
        self.executor = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                                            mp_context=multiprocessing.get_context(method))

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


def _run_chunk(conn, func, chunk):
    """The target of a py-process-per-task process: one chunk, its results sent back through ``conn``."""
    _die_with_parent()
    try:
        conn.send(("ok", [func(x) for x in chunk]))
    except BaseException as e:  # noqa: BLE001 - sent back as text: the parent raises it
        conn.send(("error", "%s: %s" % (type(e).__name__, e)))
    finally:
        conn.close()


class ProcessPerTask:
    """``py-process-per-task``: a fresh ``multiprocessing.Process`` per chunk (``Pool.map``'s chunk rule when the
    chunk size is 0), at most ``workers`` alive at once, each ended when its chunk is done: the material's
    ``Process(target=...)`` pattern, and the twin of the JVM's process-per-task (a worker JVM per chunk). Its cost over
    py-process-pool is the cost of creating processes, which a pool amortizes."""
    name = "py-process-per-task"
    api = "multiprocessing.Process per chunk"

    def __init__(self, workers, chunksize, method=DEFAULT_START_METHOD):
        self.workers = workers
        self.method = method
        self.chunksize = chunksize
        self.ctx = multiprocessing.get_context(method)
        self.alive = []

    def map(self, func, inputs):
        n = len(inputs)
        size = self.chunksize or max(1, -(-n // (4 * self.workers)))
        chunks = [inputs[i:i + size] for i in range(0, n, size)]
        results = [None] * len(chunks)
        running = []  # (index, process, connection), oldest first

        def finish():
            index, process, conn = running.pop(0)
            try:
                status, value = conn.recv()
            except EOFError:
                status, value = "error", "the process died (exit code %s)" % process.exitcode
            conn.close()
            process.join()
            self.alive.remove(process)
            code = process.exitcode
            process.close()
            if status != "ok":
                raise RuntimeError("py-process-per-task: the chunk starting at input %d failed: %s"
                                   % (index * size, value))
            if code != 0:
                raise RuntimeError("py-process-per-task: a chunk's process exited with %r" % code)
            results[index] = value

        for index, chunk in enumerate(chunks):
            if len(running) >= self.workers:
                finish()
            parent, child = self.ctx.Pipe(duplex=False)
            process = self.ctx.Process(target=_run_chunk, args=(child, func, chunk))
            process.start()
            child.close()
            self.alive.append(process)
            running.append((index, process, parent))
        while running:
            finish()
        return [r for chunk in results for r in chunk]

    def cpus_seen(self):
        return {cpus_seen()}  # its processes are created in each op, from this process: they inherit its mask

    def close(self):
        self.terminate()

    def terminate(self):
        for process in self.alive:
            with contextlib.suppress(Exception):
                process.kill()
                process.join()
        self.alive = []


@contextlib.contextmanager
def opened(backend_class, workers, chunksize, cores, method=DEFAULT_START_METHOD):
    """A backend for one trial (fork): created, checked to run on ``cores`` CPUs, closed (or terminated on error)."""
    backend = backend_class(workers, chunksize, method)
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


def trial_for(backend_class, workers, chunksize, cores, job, method=DEFAULT_START_METHOD):
    """One trial (fork) of a pool point: opens the backend, yields the op (one whole job)."""
    @contextlib.contextmanager
    def trial():
        with opened(backend_class, workers, chunksize, cores, method) as backend:
            yield lambda: backend.map(job.func, job.inputs)
    return trial


# ---------------------------------------------------------------------------------------------------------------------
# sync and ipc: shared state and messages (the Java twins are SyncBenchmark and IpcBenchmark).

#: Adds per contender per round; CPython is ~100x slower per add than the JVM, so fewer than the JVM's 10^6.
SYNC_INCREMENTS = {"smoke": 20_000, "quick": 100_000, "full": 100_000, "lesson": 100_000}
SYNC_CONTENDERS = {"smoke": [1, 2], "quick": [1, 2, 4], "full": [1, 2, 3, 4], "lesson": [2]}
IPC_SIZES = {"smoke": [8], "quick": [8, 8192, 1_048_576], "full": [8, 1024, 65_536, 1_048_576], "lesson": [8]}
IPC_BATCH = 64


class _Box:
    """The threads' shared counter."""
    value = 0


#: A plain module global, not shared memory: every contender adds its n to the copy in its own interpreter once per
#: round, after the timed adds (``plainSeen``: the parent sees the threads' adds and none of the processes').
_PLAIN = 0
_PLAIN_LOCK = threading.Lock()


def _add_plain(n):
    global _PLAIN
    with _PLAIN_LOCK:
        _PLAIN += n


def _add_none(box, n, _lock):
    for _ in range(n):
        box.value = box.value + 1


def _add_locked(box, n, lock):
    for _ in range(n):
        with lock:
            box.value = box.value + 1


def _value_add(value, n, locked):
    """``value.value = value.value + 1`` n times, inside ``get_lock()`` or not (the material's bank balance)."""
    if locked:
        lock = value.get_lock()
        for _ in range(n):
            with lock:
                value.value = value.value + 1
    else:
        for _ in range(n):
            value.value = value.value + 1


def _array_add(array, n, _locked):
    """``array[0] = array[0] + 1`` n times on a lock-free ``Array('q', 1, lock=False)``."""
    for _ in range(n):
        array[0] = array[0] + 1


def _contender_process(target, shared, n, locked, start, done):
    """A contender process: per round, waits at ``start``, adds n times, waits at ``done``; ends when a barrier
    is aborted (the parent's tear-down)."""
    _die_with_parent()
    try:
        while True:
            start.wait()
            target(shared, n, locked)
            _add_plain(n)
            done.wait()
    except threading.BrokenBarrierError:
        pass


class SyncThreads:
    """k threads of this interpreter racing on a Python attribute: ``box.value = box.value + 1`` (``none``) or the
    same under a ``threading.Lock`` (``lock``)."""

    def __init__(self, k, n, primitive):
        self.k, self.n, self.primitive = k, n, primitive
        self.box = _Box()
        self.lock = threading.Lock()
        target = _add_locked if primitive == "lock" else _add_none
        self.start, self.done = threading.Barrier(k + 1), threading.Barrier(k + 1)

        def loop():
            try:
                while True:
                    self.start.wait()
                    target(self.box, n, self.lock)
                    _add_plain(n)
                    self.done.wait()
            except threading.BrokenBarrierError:
                pass
        self.threads = [threading.Thread(target=loop, daemon=True) for _ in range(k)]
        for t in self.threads:
            t.start()

    def round(self):
        self.box.value = 0
        self.start.wait()
        self.done.wait()
        return self.box.value

    def close(self):
        self.start.abort()
        self.done.abort()
        for t in self.threads:
            t.join(10)


class SyncProcesses:
    """k processes racing on shared memory: ``multiprocessing.Value('q')`` without (``value-no-lock``) or with
    (``value-get-lock``) ``get_lock()``, or ``Array('q', 1, lock=False)`` (``array-no-lock``)."""

    def __init__(self, k, n, primitive):
        self.k, self.n, self.primitive = k, n, primitive
        if primitive == "array-no-lock":
            self.shared, target, locked = multiprocessing.Array("q", 1, lock=False), _array_add, False
        else:
            self.shared, target, locked = multiprocessing.Value("q", 0), _value_add, primitive == "value-get-lock"
        self.start, self.done = multiprocessing.Barrier(k + 1), multiprocessing.Barrier(k + 1)
        self.processes = [multiprocessing.Process(target=_contender_process,
                                                  args=(target, self.shared, n, locked, self.start, self.done))
                          for _ in range(k)]
        for p in self.processes:
            p.start()

    def _get(self):
        return self.shared[0] if self.primitive == "array-no-lock" else self.shared.value

    def round(self):
        if self.primitive == "array-no-lock":
            self.shared[0] = 0
        else:
            self.shared.value = 0
        self.start.wait(60)
        self.done.wait(600)
        return self._get()

    def close(self):
        self.start.abort()
        self.done.abort()
        for p in self.processes:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join()


class IpcThreads:
    """A peer thread behind two ``queue.Queue``s; the protocol of Java's IpcEcho: first byte 1 = echo, else count;
    ``b""`` = answer the count."""

    def __init__(self):
        import queue
        self.requests, self.replies = queue.Queue(), queue.Queue()
        self.thread = threading.Thread(target=self._peer, daemon=True)
        self.thread.start()

    def _peer(self):
        received = 0
        while True:
            m = self.requests.get()
            if m is None:
                return
            if not m:
                self.replies.put(received)
                received = 0
            elif m[0] == 1:
                self.replies.put(m)
            else:
                received += len(m)

    def send(self, m):
        self.requests.put(m)

    def recv(self):
        return self.replies.get()

    def close(self):
        self.requests.put(None)
        self.thread.join(10)


def _ipc_peer_pipe(conn, parent_end):
    _die_with_parent()
    parent_end.close()  # a forked child holds a copy: while it does, the parent's close would not end our recv
    received = 0
    try:
        while True:
            m = conn.recv_bytes()
            if not m:
                conn.send_bytes(received.to_bytes(8, "big"))
                received = 0
            elif m[0] == 1:
                conn.send_bytes(m)
            else:
                received += len(m)
    except EOFError:
        pass


def _ipc_peer_queue(requests, replies):
    _die_with_parent()
    received = 0
    while True:
        m = requests.get()
        if m is None:
            return
        if not m:
            replies.put(received.to_bytes(8, "big"))
            received = 0
        elif m[0] == 1:
            replies.put(m)
        else:
            received += len(m)


class IpcProcesses:
    """A peer process behind ``multiprocessing.Pipe()`` (``pipe``: ``send_bytes``/``recv_bytes``) or two
    ``multiprocessing.Queue``s (``queue``), or a ``Manager().list()`` (``manager``: a round trip is ``append`` +
    ``pop``, a stream is 64 ``append``s, then ``len`` and ``del l[:]``)."""

    def __init__(self, transport):
        self.transport = transport
        self.manager = self.process = None
        if transport == "pipe":
            self.conn, child = multiprocessing.Pipe()
            self.process = multiprocessing.Process(target=_ipc_peer_pipe, args=(child, self.conn))
            self.process.start()
            child.close()
        elif transport == "queue":
            self.requests, self.replies = multiprocessing.Queue(), multiprocessing.Queue()
            self.process = multiprocessing.Process(target=_ipc_peer_queue, args=(self.requests, self.replies))
            self.process.start()
        else:
            self.manager = multiprocessing.Manager()
            self.list = self.manager.list()

    def send(self, m):
        if self.transport == "pipe":
            self.conn.send_bytes(m)
        else:
            self.requests.put(m)

    def recv(self):
        return self.conn.recv_bytes() if self.transport == "pipe" else self.replies.get()

    def close(self):
        if self.manager is not None:
            self.manager.shutdown()
            return
        if self.transport == "pipe":
            self.conn.close()
        else:
            self.requests.put(None)
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        if self.transport == "queue":
            for q in (self.requests, self.replies):
                q.close()
                q.join_thread()


def ipc_round_trip(peer, size):
    """One round trip of a ``size``-byte message (first byte 1: echo); returns (sent, got)."""
    m = bytes([1]) + os.urandom(min(size - 1, 8)) + bytes(max(size - 9, 0))
    if getattr(peer, "manager", None) is not None:
        peer.list.append(m)
        return m, peer.list.pop()
    peer.send(m)
    return m, peer.recv()


def ipc_stream(peer, size, zeros):
    """64 messages one way, then the count; returns the bytes the peer says it got."""
    if getattr(peer, "manager", None) is not None:
        for _ in range(IPC_BATCH):
            peer.list.append(zeros)
        n = len(peer.list)
        del peer.list[:]
        return n * size
    for _ in range(IPC_BATCH):
        peer.send(zeros)
    peer.send(b"")
    got = peer.recv()
    return got if isinstance(got, int) else int.from_bytes(got, "big")


# Many producers, one consumer ("Queue for many producers"; the Java twin is IpcBenchmark.manyProducers and its
# check MessageTally). A round is IPC_PRODUCER_MESSAGES messages of IPC_PRODUCER_BYTES bytes, an equal share from
# each of k producer processes, each share followed by an empty message; a message is ``>iiii``: round, producer,
# number, check word (the same SplitMix64 fold as Java's).

IPC_PRODUCER_MESSAGES = 16_384
IPC_PRODUCER_BYTES = 16
#: How long the consumer waits for the next message before it calls the round lost.
IPC_PRODUCER_TIMEOUT = 60.0
_MASK64 = (1 << 64) - 1


def ipc_producer_counts(profile, top):
    """The producer counts k (Plan.producers): smoke only the top core count, at least 2 (one producer is two ends);
    quick 1, 2, 4 and the top core count; full also twice it."""
    if profile in ("smoke", "lesson"):
        return [max(2, top)]
    k = {1, 2, 4, top}
    if profile == "full":
        k.add(2 * top)
    return sorted(k)


def ipc_share(p, producers, messages):
    """How many of a round's ``messages`` producer ``p`` of ``producers`` sends (MessageTally.share)."""
    return messages // producers + (1 if p < messages % producers else 0)


def ipc_check(p, seq):
    """The check word of message ``seq`` of producer ``p``, a signed 32-bit int (MessageTally.check)."""
    z = ((p << 32 | (seq & 0xFFFFFFFF)) + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    z ^= z >> 31
    v = (z ^ (z >> 32)) & 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


class IpcTally:
    """The consumer's check (MessageTally): every message of the round once, unchanged, from this round; at the end
    the count, each producer's count and the sum of the check words. A failure raises CheckFailed."""

    def __init__(self, producers, messages):
        if producers < 1 or messages < producers:
            raise ValueError("a round needs at least one producer and one message per producer, got %d producers "
                             "and %d messages" % (producers, messages))
        self.producers, self.messages = producers, messages
        self.offset = [0]
        for p in range(producers):
            self.offset.append(self.offset[-1] + ipc_share(p, producers, messages))
        self.checks = [ipc_check(p, seq) for p in range(producers)
                       for seq in range(self.offset[p + 1] - self.offset[p])]
        self.expected_sum = sum(self.checks)
        self.start(0)

    def start(self, round_):
        self.round = round_
        self.count = self.sum = 0
        self.counts = [0] * self.producers
        self.seen = bytearray(self.messages)

    def add(self, m):
        import struct
        if len(m) < IPC_PRODUCER_BYTES:
            raise CheckFailed("a message of %d bytes, shorter than its %d-byte header" % (len(m), IPC_PRODUCER_BYTES))
        r, p, seq, check = struct.unpack_from(">iiii", m)
        if r != self.round:
            raise CheckFailed("a message of round %d arrived in round %d" % (r, self.round))
        if not (0 <= p < self.producers and 0 <= seq < self.offset[p + 1] - self.offset[p]):
            raise CheckFailed("message %d of producer %d is not one of this round's" % (seq, p))
        at = self.offset[p] + seq
        if check != self.checks[at]:
            raise CheckFailed("message %d of producer %d arrived garbled" % (seq, p))
        if self.seen[at]:
            raise CheckFailed("message %d of producer %d arrived twice" % (seq, p))
        self.seen[at] = 1
        self.counts[p] += 1
        self.count += 1
        self.sum += check

    def verify(self):
        for p in range(self.producers):
            want = self.offset[p + 1] - self.offset[p]
            if self.counts[p] != want:
                raise CheckFailed("producer %d delivered %d of its %d messages in round %d"
                                  % (p, self.counts[p], want, self.round))
        if self.count != self.messages or self.sum != self.expected_sum:
            raise CheckFailed("round %d received %d of %d messages (check sum %d, expected %d)"
                              % (self.round, self.count, self.messages, self.sum, self.expected_sum))


def _ipc_producer(p, size, orders, queue, parent_ends):
    """Producer ``p``: on each order ``>ii`` (round, count) on its Pipe end, sends ``count`` messages and then
    ``b""`` into ``queue``, or on the same Pipe end when ``queue`` is None; ends when the Pipe closes.
    ``parent_ends`` are the consumer's ends of the Pipes made so far: a forked child holds copies of them, and
    while it does, closing them in the consumer would not end any producer's ``recv``."""
    import struct
    _die_with_parent()
    for c in parent_ends:
        c.close()
    m = bytearray(size)
    checks = []
    orders.send_bytes(b"")  # ready
    try:
        while True:
            round_, count = struct.unpack(">ii", orders.recv_bytes())
            while len(checks) < count:
                checks.append(ipc_check(p, len(checks)))
            for seq in range(count):
                struct.pack_into(">iiii", m, 0, round_, p, seq, checks[seq])
                if queue is None:
                    orders.send_bytes(m)
                else:
                    queue.put(bytes(m))
            if queue is None:
                orders.send_bytes(b"")
            else:
                queue.put(b"")
    except EOFError:
        pass
    finally:
        if queue is not None:
            queue.close()
            queue.join_thread()


class IpcProducers:
    """k producer processes and one consumer (this interpreter): ``queue``, one ``multiprocessing.Queue`` that every
    producer puts into; or ``pipes``, one ``multiprocessing.Pipe()`` per producer, read with
    ``multiprocessing.connection.wait``. Each producer takes its orders on its own Pipe end."""

    def __init__(self, transport, k, messages=IPC_PRODUCER_MESSAGES, size=IPC_PRODUCER_BYTES):
        if transport not in ("queue", "pipes"):
            raise ValueError("unknown many-producer transport %r; valid: queue, pipes" % transport)
        self.transport, self.k, self.messages = transport, k, messages
        self.tally = IpcTally(k, messages)
        self.round = 0
        self.queue = multiprocessing.Queue() if transport == "queue" else None
        self.conns, self.processes = [], []
        try:
            for p in range(k):
                mine, theirs = multiprocessing.Pipe()
                self.conns.append(mine)
                process = multiprocessing.Process(target=_ipc_producer,
                                                  args=(p, size, theirs, self.queue, list(self.conns)), daemon=True)
                self.processes.append(process)
                process.start()
                theirs.close()
            for c in self.conns:
                if not c.poll(IPC_PRODUCER_TIMEOUT) or c.recv_bytes() != b"":
                    raise CheckFailed("a producer process did not start")
        except BaseException:
            self.close()
            raise

    def round_trip(self):
        """One round: orders every producer, takes every message, checks them; returns the count."""
        import queue as queue_module
        import struct
        from multiprocessing.connection import wait
        self.round += 1
        tally = self.tally
        tally.start(self.round)
        for p, c in enumerate(self.conns):
            c.send_bytes(struct.pack(">ii", self.round, ipc_share(p, self.k, self.messages)))
        if self.queue is not None:
            ended = 0
            while ended < self.k:
                try:
                    m = self.queue.get(timeout=IPC_PRODUCER_TIMEOUT)
                except queue_module.Empty:
                    raise CheckFailed("no message in the Queue for %g s: %d of %d arrived, %d of %d producers done"
                                      % (IPC_PRODUCER_TIMEOUT, tally.count, self.messages, ended, self.k)) from None
                if m:
                    tally.add(m)
                else:
                    ended += 1
        else:
            pending = list(self.conns)
            while pending:
                ready = wait(pending, IPC_PRODUCER_TIMEOUT)
                if not ready:
                    raise CheckFailed("no message on any Pipe for %g s: %d of %d arrived"
                                      % (IPC_PRODUCER_TIMEOUT, tally.count, self.messages))
                for c in ready:
                    m = c.recv_bytes()
                    if m:
                        tally.add(m)
                    else:
                        pending.remove(c)
        tally.verify()
        return tally.count

    def close(self):
        for c in self.conns:
            c.close()  # the producer's recv ends with EOFError
        for process in self.processes:
            if process.pid is None:
                continue
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()
        if self.queue is not None:
            self.queue.close()
            self.queue.join_thread()
        self.conns, self.processes = [], []


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


#: Of a job's results, one in this many stays alive until the next job's results replace it (:class:`Resident`).
RESIDENT_STRIDE = 1024


class Resident:
    """Keeps the memory of the last job's results mapped between jobs, as a long-running program's heap (and the
    JVM's) stays mapped.

    CPython's small-object allocator takes memory from the kernel in 1 MiB arenas and unmaps an arena as soon as
    nothing in it is alive. A squares job's million results fill about 32 of them; when nothing else lives there the
    next job faults them in again: on the reference machine about 7 200 page faults a job, 124 ms where the work
    itself takes 40 (12.6 us a fault). Whether that happens would depend on which of the harness's own small objects
    (records, probe readings) happened to land in those arenas, so the figure drifted over a part's first dozen
    iterations and differed between core counts. :meth:`keep`, called after a job's check (untimed), holds one result
    in :data:`RESIDENT_STRIDE` of each list it is given and lets go of the previous job's: every arena the job used
    stays mapped and the next job fills the same ones, whatever else the harness allocates."""

    def __init__(self):
        self.kept = ()

    def keep(self, *results):
        self.kept = tuple(r[::RESIDENT_STRIDE] for r in results if isinstance(r, list))


#: The interpreter's one :class:`Resident`: every point's jobs run in the same heap, so one set of kept results serves
#: all of them (a part's contenders run the same workload).
RESIDENT = Resident()


def run_iteration(op, check, seconds):
    """Runs ``op`` back to back until ``seconds`` have passed (at least once), checking each result untimed; returns
    ``(mean op time in ns, ops)``. Each result is let go of before the next op starts (all but what
    :data:`RESIDENT` keeps), so a job never runs beside its predecessor's results."""
    clock = time.perf_counter_ns
    deadline = clock() + int(seconds * 1e9)
    timed = ops = 0
    while True:
        start = clock()
        result = op()
        timed += clock() - start
        ops += 1
        check(result)
        RESIDENT.keep(result)
        del result
        if clock() >= deadline:
            return timed / ops, ops


@dataclass
class Measurement:
    score_ns: float
    error_ns: float | None
    iterations: int
    ops: int
    # (fork, ns) per measured iteration, in the order they ran; empty where a point keeps none
    samples: list = field(default_factory=list)
    # how the warm-up ended (Settling.describe), where it was measured
    warmup: str = ""
    # (fork, ms) of machine_reading() after each measured iteration, where taken
    machine: list = field(default_factory=list)


def measure(trial, check, profile, iteration_seconds=None):
    """Measures one point. ``trial()`` is a context manager yielding the op (a fresh set-up per fork)."""
    scores, ops = iteration_scores(trial, check, profile, iteration_seconds)
    mean, error = summarize(scores)
    # each fork contributes profile.iterations scores, in fork order
    return Measurement(mean, error, len(scores), ops,
                       [(i // profile.iterations + 1, s) for i, s in enumerate(scores)])


def tree_pages(pid=None):
    """Minor page faults so far of process ``pid`` (default: this one) and its live descendants, from
    ``/proc/<pid>/stat`` (field 10) and ``/proc/<pid>/task/*/children``; processes that end meanwhile are skipped."""
    pid = os.getpid() if pid is None else pid
    total = 0
    try:
        with open("/proc/%d/stat" % pid) as f:
            total += int(f.read().rsplit(")", 1)[1].split()[7])
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                for child in f.read().split():
                    total += tree_pages(int(child))
    except (OSError, IndexError, ValueError):
        pass  # gone meanwhile, or no /proc: counts nothing
    return total


class Settling:
    """Warm-up until the process tree's demand for new pages stops falling: call :meth:`more` after each warm-up
    round (the profile's rounds first); it says whether to run another. ``rounds`` and ``settled`` say how it
    ended."""

    def __init__(self, profile, cap_s=None, minimum=None):
        self.cap_ns = int((WARMUP_CAP_S.get(profile.name, 0.0) if cap_s is None else cap_s) * 1e9)
        self.minimum = profile.warmup_iterations if minimum is None else max(minimum, profile.warmup_iterations)
        self.start = time.perf_counter_ns()
        self.pages = tree_pages()
        self.last = None  # the previous round's new pages
        self.rounds = 0
        self.settled = False

    def more(self):
        self.rounds += 1
        now_pages = tree_pages()
        grew, self.pages = now_pages - self.pages, now_pages
        falling = self.last is None or grew < STEADY_SHARE * self.last
        self.last = grew
        if self.rounds < self.minimum:
            return True
        self.settled = grew < SETTLED_PAGES or not falling
        return not self.settled and time.perf_counter_ns() - self.start < self.cap_ns

    def describe(self):
        rounds = "warm-up %d round%s" % (self.rounds, "" if self.rounds == 1 else "s")
        if self.cap_ns == 0:  # a profile that does not wait for the pages (smoke)
            return rounds
        return rounds + (", settled" if self.settled else ", still faulting at the cap")


def iteration_scores(trial, check, profile, iteration_seconds=None):
    """The measured iterations' mean op times in ns (warm-up discarded), and how many ops they ran."""
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
            settling = Settling(profile)
            run_iteration(op, check, warmup_s)
            while settling.more():
                run_iteration(op, check, warmup_s)
            for _ in range(profile.iterations):
                score, n = run_iteration(op, check, measure_s)
                scores.append(score)
                ops += n
    return scores, ops


# ---------------------------------------------------------------------------------------------------------------------
# Pinning: the fastest k of the run's CPUs.

def alternation_index(iteration, n):
    """Which of ``n`` contenders the 0-based ``iteration`` runs with: rounds of n iterations, forward in even rounds
    and backward in odd ones (A B B A A B ..., A B C C B A ...); Java's ``results.Alternation.index``."""
    if n <= 0 or iteration < 0:
        raise ValueError("iteration %r of %r alternated values" % (iteration, n))
    rnd, pos = divmod(iteration, n)
    return pos if rnd % 2 == 0 else n - 1 - pos


#: The probe's factorial: about 5 ms in CPython on a 2020s core, long enough to feel a slow vCPU.
PROBE_N = 12_000
#: A probe's ranking is reused for this long before the CPUs are probed again (slices are ~0.1 s, iterations 0.2 s+).
PROBE_MAX_AGE_S = 0.5


#: iterations.csv's metric for :func:`machine_reading`, one row per measured iteration beside the primary one.
MACHINE_METRIC = "machine.factorial"
#: A machine reading probes at most this many of the iteration's CPUs (in turn), so that it stays ~20 ms on any machine.
MACHINE_CPUS = 4
_machine_turn = 0


def machine_reading(cpus=None):
    """How fast the iteration's CPUs (``cpus``, default this thread's) do big-number work at this moment: the time the
    slowest of them takes for ``PROBE_N!`` (:func:`probe_cpu` on each, at most :data:`MACHINE_CPUS` of them, in turn),
    ms. This thread's CPU mask is restored afterwards. Taken after every measured iteration that takes turns, untimed.

    Why: the machine runs in phases of seconds to minutes in which one vCPU computes the same factorial 1.5-1.8x as
    slowly as the others (its thread charged that much more user time), while the launcher's spin and copy readings
    around a part do not move; a pool's job on all CPUs then takes up to that much longer, as it waits for the worker
    on the slow one. Two runs differ by the phases their parts fell into; these readings let ``compare`` tell that from
    a change of the code (MachineDrift.probeRatios). One reading on whichever CPU the thread runs misses half of them."""
    global _machine_turn
    mask = os.sched_getaffinity(0)
    order = sorted(mask if cpus is None else cpus)
    if len(order) > MACHINE_CPUS:
        order = [order[(_machine_turn + i) % len(order)] for i in range(MACHINE_CPUS)]
        _machine_turn += MACHINE_CPUS
    try:
        return 1e3 * max(probe_cpu(c) for c in order)
    finally:
        os.sched_setaffinity(0, mask)


def probe_cpu(cpu):
    """This thread alone on ``cpu``: the time of ``PROBE_N!`` (the second of two; the first refills caches)."""
    os.sched_setaffinity(0, {cpu})
    math.factorial(PROBE_N)
    start = time.perf_counter()
    math.factorial(PROBE_N)
    return time.perf_counter() - start


class Cpus:
    """The run's CPUs C = [c0 .. c(n-1)]: the ones this process may use when it starts, in ascending order.

    A k-core point (k < n) runs each iteration (and py-sequential each 1-core slice) on the k CPUs that a probe found
    fastest just before it: each CPU in turn computes ``PROBE_N!`` and the k quickest win; a ranking is reused for
    ``PROBE_MAX_AGE_S``; k = n is every CPU, unprobed. Why (as the JVM's FastestCpus): on this kind of machine the
    vCPUs run at different speeds for minutes at a time, a single thread given every CPU runs on the fast one, and
    speedup on unequal processors is defined against the fastest; a 1-core point on any other CPU, or on each in turn,
    would make the baseline slower than the same code at full cores."""

    def __init__(self, allowed, probe=probe_cpu, max_age_s=PROBE_MAX_AGE_S):
        self.order = sorted(allowed)
        if not self.order:
            raise CheckFailed("this process may use no CPU")
        self.probe = probe
        self.max_age_s = max_age_s
        self.ranked = None
        self.ranked_at = 0.0
        self.probes = 0
        self.last = {}

    @property
    def n(self):
        return len(self.order)

    def fastest(self, k):
        if not 1 <= k <= self.n:
            raise CheckFailed("%d cores asked of %d CPUs" % (k, self.n))
        if k == self.n:
            return frozenset(self.order)
        if self.ranked is None or time.monotonic() - self.ranked_at > self.max_age_s:
            # forward on one probe, backward on the next, so that no CPU is always probed first
            sequence = self.order if self.probes % 2 == 0 else list(reversed(self.order))
            self.last = {c: self.probe(c) for c in sequence}
            self.probes += 1
            self.ranked = sorted(self.order, key=lambda c: self.last[c])
            self.ranked_at = time.monotonic()
        return frozenset(self.ranked[:k])


def _threads_of(pid):
    """The thread ids of process ``pid`` (Linux: /proc/PID/task); ``[pid]`` where /proc is missing."""
    try:
        return [int(t) for t in os.listdir("/proc/%d/task" % pid)]
    except FileNotFoundError:
        return []  # the process has ended
    except OSError:
        return [pid]


def worker_pids():
    """The live child processes this interpreter started through multiprocessing (pool workers among them)."""
    return sorted(p.pid for p in multiprocessing.active_children() if p.pid is not None)


def apply_mask(mask, children=None):
    """Pins every thread of this process and of each child process (``children``: pids; default every live
    multiprocessing child) to ``mask``, then checks that each thread reports exactly that mask. Returns the pids set.

    ``os.sched_setaffinity(pid, ...)`` on Linux sets one thread, so each thread id under /proc/PID/task is set: a
    thread pool's threads and a Pool's handler threads follow the mask too. Called between iterations, never inside
    the timed region."""
    mask = set(mask)
    pids = [os.getpid()] + list(worker_pids() if children is None else children)
    for pid in pids:
        for tid in _threads_of(pid):
            try:
                os.sched_setaffinity(tid, mask)
            except ProcessLookupError:
                continue  # a thread that ended meanwhile
    for pid in pids:
        for tid in _threads_of(pid):
            try:
                seen = os.sched_getaffinity(tid)
            except ProcessLookupError:
                continue
            if seen != mask:
                raise CheckFailed("thread %d of process %d runs on CPUs %s, not the mask %s"
                                  % (tid, pid, sorted(seen), sorted(mask)))
    return pids


@contextlib.contextmanager
def pinned(k, allowed):
    """Pins this process (every thread, and so every thread and process it starts from now on) to the ``k`` fastest of
    the ``allowed`` CPUs (:class:`Cpus`); restores every CPU to it and its children afterwards."""
    cpus = Cpus(allowed)
    apply_mask(cpus.fastest(k), [])
    try:
        if len(os.sched_getaffinity(0)) != k:
            raise CheckFailed("pinning to %d CPUs left this process on %d" % (k, len(os.sched_getaffinity(0))))
        yield cpus
    finally:
        apply_mask(set(allowed))


@dataclass
class Contender:
    """One point of a group that takes turns: ``trial()`` opens its set-up (a context manager yielding the op), and
    ``check`` verifies each op's result, untimed. ``key`` names it in the mask log."""
    key: str
    trial: object
    check: object


def take_turns(contenders, profile, cores, cpus, iteration_seconds=None, log=None, setup=None):
    """Measures ``contenders`` together, as the JVM's alternated backends are: every set-up is opened before the
    warm-up (in the order given), then the warm-up runs rounds of one iteration per contender until
    :class:`Settling` says the process tree has settled, and the measurement ``iterations x len(contenders)``
    iterations, the g-th with contender ``alternation_index(g, m)``. Before each iteration (outside its timed region)
    the process and all its children are pinned to the ``cores`` fastest CPUs of the moment (:meth:`Cpus.fastest`).
    Returns one :class:`Measurement` per contender, in order.

    ``log``, if a list, receives ``(key, fork, own iteration, phase, sorted mask)`` for every iteration. ``setup``, if
    given, is a context manager factory opened once per fork before the contenders' set-ups (pools they share); its
    value is then passed to each ``trial``."""
    warmup_s = profile.warmup_seconds if iteration_seconds is None else iteration_seconds
    measure_s = profile.iteration_seconds if iteration_seconds is None else iteration_seconds
    m = len(contenders)
    scores = [[] for _ in contenders]
    samples = [[] for _ in contenders]
    machine = [[] for _ in contenders]
    ops = [0] * m
    warmups = []
    for fork in range(1, profile.forks + 1):
        gc.collect()
        own = [0] * m
        apply_mask(cpus.fastest(cores))
        with contextlib.ExitStack() as stack:
            shared = stack.enter_context(setup()) if setup is not None else None
            bound = []
            for c in contenders:
                bound.append(stack.enter_context(c.trial(shared) if setup is not None else c.trial()))
            def one(x, phase, seconds):
                mask = cpus.fastest(cores)
                apply_mask(mask)
                if log is not None:
                    log.append((contenders[x].key, fork, own[x], phase, tuple(sorted(mask))))
                own[x] += 1
                try:
                    return run_iteration(bound[x], contenders[x].check, seconds)
                except CheckFailed as e:
                    raise CheckFailed("%s: %s" % (contenders[x].key, e)) from None

            settling = Settling(profile, minimum=TURNS_WARMUP_ROUNDS.get(profile.name))
            g = 0
            while True:  # warm-up rounds: the profile's, then until the tree's pages settle (Settling)
                for _ in range(m):
                    one(alternation_index(g, m), "warmup", warmup_s)
                    g += 1
                if not settling.more():
                    break
            warmups.append(settling.describe())
            for g in range(profile.iterations * m):
                x = alternation_index(g, m)
                score, n = one(x, "measure", measure_s)
                scores[x].append(score)
                samples[x].append((fork, score))
                machine[x].append((fork, machine_reading()))
                ops[x] += n
        apply_mask(frozenset(cpus.order))
    out = []
    for x in range(m):
        mean, error = summarize(scores[x])
        out.append(Measurement(mean, error, len(scores[x]), ops[x], samples[x], "; ".join(warmups), machine[x]))
    return out


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


class Probe:
    """The machine probe's readings around each part of the run (``--probe-stdio``): the program writes
    ``@probe begin<TAB>family<TAB>description<TAB>cores`` on stdout and waits for ``@invocation N`` on stdin; at the
    part's end it writes ``@probe end<TAB>N`` and waits for ``@ok``. The Java side (``cli.PythonBaseline``) takes a
    ``bench.MachineProbe`` reading at each (while this program waits, so nothing else of the run is running) and
    writes noise.csv's row N; the part's iterations carry N in iterations.csv's ``invocation`` column, so ``compare``
    gives CPython's points the same allowance for the machine's move as the JVM's. Without the flag the column stays
    empty."""

    def __init__(self, enabled, reader=None, writer=None):
        self.enabled = enabled
        self.reader = reader or sys.stdin
        self.writer = writer or sys.stdout

    def _ask(self, line, expect):
        self.writer.write(line + "\n")
        self.writer.flush()
        answer = self.reader.readline()
        if not answer.startswith(expect):
            raise CheckFailed("machine probe: expected %r from the launcher, got %r" % (expect, answer.strip()))
        return answer[len(expect):].strip()

    @contextlib.contextmanager
    def part(self, family, description, cores):
        if not self.enabled:
            yield None
            return
        text = self._ask("@probe begin\t%s\t%s\t%d" % (family, " ".join(description.split()), cores),
                         "@invocation ")
        if not text.isdigit():
            raise CheckFailed("machine probe: %r is not an invocation number" % text)
        try:
            yield int(text)
        finally:
            self._ask("@probe end\t%s" % text, "@ok")


class Runner:
    """Runs the points of the chosen families and collects their rows."""

    def __init__(self, args, allowed, probe=None):
        self.args = args
        self.allowed = allowed
        self.cpus = Cpus(allowed)
        self.profile = PROFILES[args.profile]
        self.rows = []
        self.iterations = []  # ITERATION_COLUMNS rows
        self.point = 0
        self.jobs = {}
        self.probe = probe or Probe(False)
        self.invocation = None  # noise.csv's row of the part under way, if probed
        self.interpreter = interpreter_note()

    @contextlib.contextmanager
    def part(self, family, description, cores):
        with self.probe.part(family, description, cores) as invocation:
            self.invocation = invocation
            try:
                yield
            finally:
                self.invocation = None

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
            "speedup": "", "efficiency": "", "status": status,
            "note": "; ".join(x for x in (note, self.interpreter) if x), "params": params,
        }
        self.rows.append(row)
        if measurement:
            for metric, metric_unit, values, divisor in (("primary", unit, measurement.samples, scale),
                                                         (MACHINE_METRIC, "ms", measurement.machine, 1)):
                number = {}
                for fork, value in values:
                    number[fork] = number.get(fork, 0) + 1
                    self.iterations.append([row[c] for c in ITERATION_COLUMNS[:11]] + [
                        "avgt", metric_unit, metric, fork, number[fork], plain(value / divisor),
                        plain(self.invocation)])
        what = " ".join(str(v) for v in (family, benchmark, workload, backend) if v)
        where = " ".join("%s=%s" % (k, v) for k, v in (("cores", cores), ("workers", workers),
                                                      ("task_size", task_size), ("chunksize", chunksize),
                                                      ("tasks", tasks)) if v is not None)
        if measurement:
            error = "" if measurement.error_ns is None else " ± %.4g" % (measurement.error_ns / scale)
            print("[%d] %s %s %s: %.4g%s %s (%d iterations, %d ops%s)" % (
                self.point, what, params, where, measurement.score_ns / scale, error, unit, measurement.iterations,
                measurement.ops, ", " + measurement.warmup if measurement.warmup else ""), flush=True)
        else:
            print("[%d] %s %s: %s (%s)" % (self.point, what, where, status, note), flush=True)

    def measure(self, trial, check, label):
        self.point += 1
        try:
            return measure(trial, check, self.profile, self.args.iteration_seconds)
        except CheckFailed as e:
            raise CheckFailed("%s: %s" % (label, e)) from None

    def turns(self, contenders, cores, label, setup=None, profile=None):
        """:func:`take_turns` for one group (with ``profile``, default the run's)."""
        self.point += len(contenders)
        try:
            return take_turns(contenders, profile or self.profile, cores, self.cpus, self.args.iteration_seconds,
                              None, setup)
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
            elif workload == "io":
                files = IO_FILES[self.profile.name] // (16 if tiny else 1)
                self.jobs[workload] = download_job(self.args.io_url_template, files, "--io-url-template")
            else:  # one first, sequential download per run: the answer every download job is checked against
                self.jobs[workload] = download_job(self.args.download_url_template, 4 if tiny else DOWNLOAD_FILES)
        return self.jobs[workload]

    # families -------------------------------------------------------------------------------------------------------
    def scaling_contenders(self, k, top, workload, job):
        """The (backend class, chunksize, start method) of every scaling point at ``k`` cores, and the skipped ones
        as (the same, note). At the most cores: factorial also through ``Pool`` started by spawn and forkserver, and
        factorial and squares through py-process-per-task (the amortization claim's twin of the JVM's)."""
        plan = [(ThreadPool, 1, "fork"), (ProcessPool, 0, "fork"), (ProcessPool, 1, "fork"),
                (ProcessPoolExec, 1, "fork")]
        if k == top and workload == "factorial":
            plan += [(ProcessPool, 0, m) for m in START_METHODS if m != DEFAULT_START_METHOD]
        if k == top and workload in ("factorial", "squares"):
            plan.append((ProcessPerTask, 0, "fork"))
        measured, skipped = [], []
        workers = k * self.args.workers_per_core
        quick = self.profile.name == "quick"
        for backend_class, chunksize, method in plan:
            if (quick and k == 1 < top and workers == 1
                    and (backend_class, chunksize) in ((ProcessPool, 1), (ProcessPoolExec, 1))):
                skipped.append(((backend_class, chunksize, method),
                                "quick measures this from 2 cores: at 1 core one worker runs every task in turn "
                                "whatever the chunk size or API, and py-process-pool with its own chunk size stands "
                                "for it; full measures every core count"))
            elif quick and k == 1 < top and workload not in BASELINE_CHECK_WORKLOADS:
                skipped.append(((backend_class, chunksize, method),
                                "quick measures one worker at 1 core only where the run checks it (factorial, "
                                "beside py-sequential); full measures every core count"))
            elif quick and k > 1 and (backend_class, chunksize) == (ProcessPool, 1):
                skipped.append(((backend_class, chunksize, method),
                                "quick measures Pool.map with its own chunk size; py-process-pool-executor stands "
                                "for chunksize=1, and the granularity family measures the per-task cost; full "
                                "measures it"))
            elif workload == "squares" and chunksize == 1 and job.tasks > SQUARES_SKIP_ABOVE:
                skipped.append(((backend_class, chunksize, method),
                                "one message per number: %d of them take 20 s to minutes per job, and a point "
                                "needs at least %d jobs (hours in full); the granularity family measures the "
                                "per-task cost instead" % (job.tasks, self.profile.warmup_iterations
                                                           + self.profile.iterations)))
            else:
                measured.append((backend_class, chunksize, method))
        return measured, skipped

    def scaling_fields(self, spec, k, workload, job):
        """The row fields and params of the scaling point ``spec`` (backend class, chunksize, start method) at ``k``
        cores."""
        backend_class, chunksize, method = spec
        name = method_name(backend_class.name, method) if backend_class is not ThreadPool else ThreadPool.name
        common = dict(workload=workload, backend=name, cores=k, workers=k * self.args.workers_per_core,
                      chunksize=chunksize, tasks=job.tasks)
        params = self.params(job.params, "api=" + backend_class.api,
                             "start_method=" + method if "process" in backend_class.name else "")
        return common, params

    def scaling_beside(self, cores):
        """workload -> the 1-core pools that take their turns with the sequential pairs (:meth:`sequential_paired`),
        when 1 is among ``cores``: factorial's, whose speed over sequential at 1 core is the run's check of its
        baseline. squares' pool stays apart: beside it, a million results unpickled in the interpreter every round
        moved py-sequential squares' 2-core / 1-core ratio from 1.02 to 1.05 in a quick run."""
        if 1 not in cores:
            return {}
        top = max(cores)
        return {w: self.scaling_contenders(1, top, w, self.job(w))[0] for w in self.args.workloads
                if w in BASELINE_CHECK_WORKLOADS}

    def scaling(self, k, top, beside=()):
        """The scaling points of every pool at ``k`` cores, taking turns per workload (py-sequential, and the
        workloads in ``beside``, whose pools :meth:`sequential_paired` measured: only their skipped rows here)."""
        workers = k * self.args.workers_per_core
        for workload in self.args.workloads:
            job = self.job(workload)
            measured, skipped = self.scaling_contenders(k, top, workload, job)
            if workload in beside:
                measured = []

            def describe(*spec):
                return self.scaling_fields(spec, k, workload, job)

            for spec, note in skipped:
                common, params = describe(*spec)
                self.point += 1
                self.row("scaling", "job", "ms/op", **common, status="skipped", params=params, note=note)
            if not measured:
                continue
            contenders = []
            for spec in measured:
                common, _ = describe(*spec)
                contenders.append(Contender("%s chunksize=%s" % (common["backend"], spec[1]),
                                            trial_for(spec[0], workers, spec[1], k, job, spec[2]), job.check))
            with self.part("scaling", "CPython scaling %s, %d cores, %s" % (
                    workload, k, ", ".join(c.key for c in contenders)), k):
                results = self.turns(contenders, k, "scaling %s cores=%d workers=%d" % (workload, k, workers),
                                     profile=self.scaling_profile(workload, k == top))
                for spec, m in zip(measured, results):
                    common, params = describe(*spec)
                    self.row("scaling", "job", "ms/op", **common, measurement=m, params=params)

    def scaling_profile(self, workload=None, top=False):
        """The run's profile with the scaling family's measurement (:data:`SCALING_MEASUREMENT`), if it has one; with
        ``top``, the iterations of :data:`SCALING_TOP_ITERATIONS` for ``workload`` where it gives more."""
        if self.profile.name not in SCALING_MEASUREMENT:
            return self.profile
        iterations, seconds = SCALING_MEASUREMENT[self.profile.name]
        if top:
            iterations = max(iterations, SCALING_TOP_ITERATIONS.get(self.profile.name, {}).get(workload, 0))
            if workload in SCALING_TOP_ONE_JOB.get(self.profile.name, ()):
                seconds = 0.0  # run_iteration ends after its first job
        return dataclasses.replace(self.profile, iterations=iterations, iteration_seconds=seconds)

    def pin_sequential(self, k):
        """This process (every thread) on the ``k`` fastest CPUs (:meth:`Cpus.fastest`), checked; returns the mask.
        Unlike the JVM's sequential points, the thread is left free at every CPU: the interpreter has no other thread
        that more cores could serve, so pinning it would make "k cores" the same as one; a ratio off 1 at k cores
        then says where the scheduler took the lone thread (METHODOLOGY.md, "which CPUs k cores are"). At k > 1 it
        is first moved to the fastest CPU, where 1-core slices run, so that every slice starts from the same CPU."""
        mask = self.cpus.fastest(k)
        if len(mask) > 1:
            # each slice starts on the fastest CPU, where the 1-core slices run, and may then go anywhere: a thread
            # whose mask only widens stays where the last move left it (after a machine reading, the last CPU
            # probed). squares' 2-core slices ran 1.11x as long as its 1-core ones with this too, in the runs of
            # 2026-12-07 (1.00-1.02 in a fresh interpreter): the cause is open (METHODOLOGY.md)
            apply_mask(self.cpus.fastest(1), [])
        apply_mask(mask, [])  # checks the mask took
        return mask

    def sequential_paired(self, cores, beside=None):
        """py-sequential at every core count in one interpreter whose CPU mask is switched between *slices* of the job
        (SEQUENTIAL_SLICES of them: one factorial task, a twelfth of the squares, two or three downloads), in ABBA order
        from slice to slice (1, 2, 2, 1, 1, 2, ...). A core count's job time is the sum of
        its slices' times, so both core counts run the same job within the same second, and a phase of the machine
        (METHODOLOGY.md, "Blocking") that lasts longer than a slice falls on both alike. A k-core slice (k below the
        run's n CPUs) runs on the k CPUs a probe found fastest just before it (:meth:`pin_sequential`; the vCPUs of
        this kind of machine run at different speeds in phases); the warm-up likewise. CPython does not size
        anything by the CPUs it may use, so this measures what an interpreter pinned to k from the start would. An
        iteration runs rounds of whole jobs (each job's answer checked) until the profile's iteration time has passed
        per core count and pool. factorial, one job pair per iteration, gets twice the profile's iterations per
        core count; :data:`SEQUENTIAL_ITERATIONS` overrides both where a profile names a workload.

        ``beside`` (workload -> the (backend class, chunksize, start method) of :meth:`scaling_contenders` at 1 core)
        adds the 1-core pools: each opened once per fork on the fastest CPU, each runs one whole job per round, in
        turn with the pairs' job, on the fastest CPU of the moment with its threads and worker processes. Their speed
        over sequential at 1 core is the run's check of its baseline, so they share its seconds, as the JVM's
        one-worker pools share its sequential's JVM (``thread-pool@1:1``)."""
        p = self.profile
        warmup_s = p.warmup_seconds if self.args.iteration_seconds is None else self.args.iteration_seconds
        measure_s = p.iteration_seconds if self.args.iteration_seconds is None else self.args.iteration_seconds
        clock = time.perf_counter_ns
        for workload in self.args.workloads:
            job = self.job(workload)
            sequential = Sequential(1, None)
            pools = list((beside or {}).get(workload, []))
            # an entry: ("seq", k) or ("pool", index into pools)
            entries = [("seq", k) for k in cores] + [("pool", i) for i in range(len(pools))]
            parts = slices(job.inputs, SEQUENTIAL_SLICES)
            n = p.iterations * (2 if workload == "factorial" and p.name != "smoke" else 1)
            seconds = measure_s
            if workload in SEQUENTIAL_ITERATIONS.get(p.name, {}) and self.args.iteration_seconds is None:
                n, seconds = SEQUENTIAL_ITERATIONS[p.name][workload]
            scores = {e: [] for e in entries}
            samples = {e: [] for e in entries}
            machine = []
            ops = dict.fromkeys(entries, 0)
            turn = 0  # counts slices, so that the pairs' order flips from one slice to the next, across jobs too
            rounds = 0  # counts rounds, so that the pairs' place among the pools turns from one round to the next

            def paired(seconds, opened_pools):
                """One iteration: rounds until ``seconds`` per entry have passed; returns each entry's timed ns and the
                rounds run. In a round the pairs run one job slice by slice, and each pool runs one whole job (its
                own op, as in :func:`take_turns`), the pairs' place turning from round to round (pairs, A, B, then
                B, A, pairs, ...)."""
                nonlocal turn, rounds
                spent = dict.fromkeys(entries, 0)
                jobs = 0
                deadline = clock() + int(seconds * len(entries) * 1e9)
                m = 1 + len(pools)
                while True:
                    answers = {e: [] for e in entries}
                    for g in range(m):
                        x = alternation_index(rounds * m + g, m)
                        if x == 0:  # the sequential pairs, slice by slice
                            for part in parts:
                                for k in (cores if turn % 2 == 0 else list(reversed(cores))):
                                    self.pin_sequential(k)
                                    start = clock()
                                    answer = sequential.map(job.func, part)
                                    spent[("seq", k)] += clock() - start
                                    answers[("seq", k)].extend(answer)
                                turn += 1
                        else:
                            apply_mask(self.cpus.fastest(1))  # the pool's threads and worker processes with it
                            start = clock()
                            answer = opened_pools[x - 1].map(job.func, job.inputs)
                            spent[("pool", x - 1)] += clock() - start
                            answers[("pool", x - 1)] = answer
                    rounds += 1
                    jobs += 1
                    for e in entries:
                        self.checked(workload, self.entry_name(e, pools), job.check, answers[e])
                    RESIDENT.keep(*answers.values())
                    del answers, answer
                    if clock() >= deadline:
                        return spent, jobs

            beside_text = "" if not pools else ", with %s at 1 core" % ", ".join(
                "%s chunksize=%s" % (self.scaling_fields(spec, 1, workload, job)[0]["backend"], spec[1])
                for spec in pools)
            with self.part("scaling", "CPython scaling %s, py-sequential paired at cores %s%s"
                           % (workload, "/".join(map(str, cores)), beside_text), max(cores)):
                try:
                    for fork in range(1, p.forks + 1):
                        gc.collect()
                        with contextlib.ExitStack() as stack:
                            self.pin_sequential(1)  # the pools start on the fastest CPU, checked by opened()
                            workers = self.args.workers_per_core
                            opened_pools = [stack.enter_context(opened(spec[0], workers, spec[1], 1, spec[2]))
                                            for spec in pools]
                            settling = Settling(p)
                            paired(warmup_s, opened_pools)  # warm-up: the slices it warms for, as measuring runs
                            while settling.more():
                                paired(warmup_s, opened_pools)
                            warmed = settling.describe()
                            for _ in range(n):
                                spent, jobs = paired(seconds, opened_pools)
                                for e in entries:
                                    score = spent[e] / jobs
                                    scores[e].append(score)
                                    samples[e].append((fork, score))
                                    ops[e] += jobs
                                machine.append((fork, machine_reading(self.cpus.order)))  # one per round, for all
                finally:  # every CPU back, also after a failed check
                    apply_mask(self.cpus.order, [])
                for e in entries:
                    mean, error = summarize(scores[e])
                    measurement = Measurement(mean, error, len(scores[e]), ops[e], samples[e], warmed, machine)
                    self.point += 1
                    if e[0] == "seq":
                        self.row("scaling", "job", "ms/op", workload=workload, backend=Sequential.name, cores=e[1],
                                 workers=1, tasks=job.tasks, measurement=measurement,
                                 params=self.params(job.params, "api=" + Sequential.api))
                    else:
                        common, params = self.scaling_fields(pools[e[1]], 1, workload, job)
                        self.row("scaling", "job", "ms/op", **common, measurement=measurement, params=params)

    @staticmethod
    def entry_name(entry, pools):
        """How a failed check names an entry of :meth:`sequential_paired`."""
        if entry[0] == "seq":
            return "%s cores=%d" % (Sequential.name, entry[1])
        spec = pools[entry[1]]
        return "%s chunksize=%s cores=1" % (spec[0].name, spec[1])

    @staticmethod
    def checked(workload, name, fn, *args):
        """``fn(*args)``, a failed check naming the point (``name``: backend and cores) it failed in."""
        try:
            return fn(*args)
        except CheckFailed as e:
            raise CheckFailed("scaling %s %s: %s" % (workload, name, e)) from None

    def creation(self, top, methods=None, pools=True):
        """Creation points at the most cores, taking turns: a thread; a process and pools of 1 and ``top`` workers
        by each start method (``methods``: these start methods only; ``pools``: False leaves the pools out)."""
        methods = self.args.start_methods if methods is None else methods

        def thread_op():
            ran = []
            t = threading.Thread(target=ran.append, args=(1,))
            t.start()
            t.join()
            return len(ran)

        def thread_check(started):
            if started != 1:
                raise CheckFailed("a started thread did not run its target")

        def process_op(ctx):
            p = ctx.Process(target=noop)
            p.start()
            p.join()
            code = p.exitcode
            p.close()
            return code

        def process_check(exitcode):
            if exitcode != 0:
                raise CheckFailed("a noop process exited with %r" % exitcode)

        def pool_op(ctx, n):
            pool = ctx.Pool(n)
            try:
                answers = pool.map(plus_one, [41] * n, 1)
            except BaseException:
                pool.terminate()
                pool.join()
                raise
            pool.close()
            pool.join()
            return answers

        def nothing(op):
            return lambda: contextlib.nullcontext(op)

        points = [(Contender("pyThread", nothing(thread_op), thread_check), "pyThread", None, "")]
        for method in methods:
            ctx = multiprocessing.get_context(method)
            points.append((Contender("pyProcess[%s]" % method, nothing(lambda ctx=ctx: process_op(ctx)),
                                     process_check), "pyProcess", None, "start_method=" + method))
        for method in methods if pools else []:
            ctx = multiprocessing.get_context(method)
            # quick: spawn and forkserver pools of one worker only (what a worker costs by each method), to keep
            # the quick profile within its 25 minutes; fork and the full profile: 1 and top workers
            counts = [1] if self.profile.name == "quick" and method != DEFAULT_START_METHOD else sorted({1, top})
            for n in counts:
                def pool_check(answers, n=n, method=method):
                    check_results("pool of %d (%s)" % (n, method), [42] * n, answers)
                points.append((Contender("pyPool[%s] %d" % (method, n),
                                         nothing(lambda ctx=ctx, n=n: pool_op(ctx, n)), pool_check),
                               "pyPool", n, self.params("start_method=" + method, "api=multiprocessing.Pool")))
        with self.part("creation", "CPython creation: " + ", ".join(p[0].key for p in points), top):
            results = self.turns([p[0] for p in points], top, "creation")
            for (_, benchmark, workers, params), m in zip(points, results):
                self.row("creation", benchmark, "us/op", cores=top, workers=workers, measurement=m, params=params)

    def granularity(self, top, sizes=None, backends=None):
        """Every task size and backend at the most cores, taking turns in one group; the pools (``top`` workers,
        chunksize 1) are shared by the sizes and created per fork before the warm-up."""
        if "factorial" not in self.args.workloads:
            return
        if sizes is None:
            sizes = {"smoke": GRANULARITY_SMOKE_SIZES, "quick": GRANULARITY_QUICK_SIZES}.get(
                self.profile.name, sorted(GRANULARITY_TASKS))
        if backends is None:
            backends = ((Sequential, None), (ThreadPool, 1), (ProcessPool, 1))

        @contextlib.contextmanager
        def pools():
            with opened(ThreadPool, top, 1, top) as threads, opened(ProcessPool, top, 1, top) as processes:
                yield {Sequential: Sequential(1, None), ThreadPool: threads, ProcessPool: processes}

        contenders, points = [], []
        for n in sizes:
            tasks = GRANULARITY_TASKS[n] // (64 if self.args.tiny else 1) or 1
            job = factorial_job([n], tasks)
            for backend_class, chunksize in backends:
                def trial(shared, backend_class=backend_class, job=job):
                    backend = shared[backend_class]
                    return contextlib.nullcontext(lambda: backend.map(job.func, job.inputs))
                contenders.append(Contender("%s task_size=%d" % (backend_class.name, n), trial, job.check))
                points.append((backend_class, chunksize, n, tasks))
        with self.part("granularity", "CPython granularity factorial, task sizes %s"
                       % "/".join(map(str, sizes)), top):
            results = self.turns(contenders, top, "granularity factorial", setup=pools)
            for (backend_class, chunksize, n, tasks), m in zip(points, results):
                workers = 1 if backend_class is Sequential else top
                self.row("granularity", "factorial", "us/op", workload="factorial", backend=backend_class.name,
                         cores=top, workers=workers, task_size=n, chunksize=chunksize, tasks=tasks, measurement=m,
                         params=self.params("api=" + backend_class.api,
                                            "start_method=fork" if backend_class is ProcessPool else ""))

    def io(self, top, pairs=None):
        """Threads against processes on the download workload at the JVM io family's concurrency levels (IoBenchmark:
        128 files of 16 KiB, each answered after the server's latency; smoke 32 files at 1 and 16): py-thread-pool and
        py-process-pool (``Pool``, fork, chunksize 1) with c workers, taking turns at each c. Processes are capped at
        IO_PROCESS_CAP as the JVM's worker JVMs are; quick leaves concurrency 1 (files x latency on any backend) to full."""
        job = self.job("io")
        params = self.params("fileBytes=%s" % job.params.split("=", 1)[1],
                             "latencyMs=%d" % self.args.io_latency_ms)
        levels = IO_CONCURRENCY[self.profile.name]
        if pairs is not None:  # a lesson: one group of (backend class, concurrency) points taking turns
            self.io_group(top, job, params, pairs)
            return
        if self.args.tiny:
            levels = [c for c in levels if c <= 4] or levels[:1]
        for c in levels:
            plan, skipped = [], []
            for backend_class in (ThreadPool, ProcessPool):
                if backend_class is ProcessPool and c > IO_PROCESS_CAP:
                    skipped.append((backend_class, "capped at %d worker processes, as the JVM's io family is at %d "
                                                   "worker JVMs" % (IO_PROCESS_CAP, IO_PROCESS_CAP)))
                elif c == 1 and self.profile.name == "quick":
                    skipped.append((backend_class, "quick starts CPython's io at concurrency 4: one download at a "
                                                   "time is files x latency on every backend (scaling's "
                                                   "py-sequential download shows it); full measures it"))
                else:
                    plan.append(backend_class)
            common = dict(workload="download", cores=top, workers=c, tasks=job.tasks)
            for backend_class, note in skipped:
                self.point += 1
                self.row("io", "download", "ms/op", backend=backend_class.name, **common, status="skipped",
                         note=note, params=params)
            contenders = [Contender("%s workers=%d" % (b.name, c), trial_for(b, c, 1, top, job), job.check)
                          for b in plan]
            with self.part("io", "CPython io download, concurrency %d, %s" % (c, ", ".join(b.name for b in plan)),
                           top):
                results = self.turns(contenders, top, "io download workers=%d" % c)
                for backend_class, m in zip(plan, results):
                    self.row("io", "download", "ms/op", backend=backend_class.name, **common, measurement=m,
                             params=params, note="api=%s; start_method=%s" % (
                                 backend_class.api, "fork" if backend_class is ProcessPool else "-"))

    def io_group(self, top, job, params, pairs):
        """io points of different backends and concurrency levels taking turns in one group."""
        contenders = [Contender("%s workers=%d" % (b.name, c), trial_for(b, c, 1, top, job), job.check)
                      for b, c in pairs]
        with self.part("io", "CPython io download, " + ", ".join(c.key for c in contenders), top):
            results = self.turns(contenders, top, "io download")
            for (backend_class, c), m in zip(pairs, results):
                self.row("io", "download", "ms/op", backend=backend_class.name, workload="download", cores=top,
                         workers=c, tasks=job.tasks, measurement=m, params=params, note="api=%s; start_method=%s" % (
                             backend_class.api, "fork" if backend_class is ProcessPool else "-"))

    def raw_row(self, family, benchmark, mode, unit, score, error, *, backend, cores, workers=None, params="",
                samples=None):
        """A row with any unit (the pool families' :meth:`row` knows ms/op and us/op only); ``samples``, if given,
        are its iterations' values in its unit (iterations.csv)."""
        if samples:
            key = [self.args.run_id, family, benchmark, "", backend, plain(cores), plain(workers), "", "", "", params]
            for i, v in enumerate(samples, 1):
                self.iterations.append(key + [mode, unit, "primary", 1, i, plain(v), plain(self.invocation)])
        self.rows.append({
            "run_id": self.args.run_id, "family": family, "benchmark": benchmark, "workload": "",
            "backend": backend, "cores": plain(cores), "workers": plain(workers), "task_size": "", "chunksize": "",
            "tasks": "", "mode": mode, "unit": unit, "score": plain(score), "score_error": plain(error),
            "speedup": "", "efficiency": "", "status": "ok", "note": "", "params": params,
        })
        print("[%d] %s %s %s workers=%s %s: %.6g %s" % (self.point, family, benchmark, backend, workers, params,
                                                       score, unit), flush=True)

    def sync(self, top, groups=None, contenders=None):
        """Contenders on a shared counter; ``groups`` (backend names to primitives) and ``contenders`` (counts)
        narrow it to a lesson's points."""
        profile = self.profile.name
        n = SYNC_INCREMENTS[profile] // (100 if self.args.tiny else 1)
        for cls, backend, benchmark, primitives in (
                (SyncThreads, "py-threads", "threads", ["none", "lock"]),
                (SyncProcesses, "py-processes", "processes", ["value-no-lock", "value-get-lock", "array-no-lock"])):
            if groups is not None:
                if backend not in groups:
                    continue
                primitives = groups[backend]
            for k in (SYNC_CONTENDERS[profile] if contenders is None else contenders):
                for primitive in primitives:
                    racy = "no-lock" in primitive or primitive == "none"
                    counts = {"lost": 0, "updates": 0, "plain": 0, "last_plain": _PLAIN}

                    def check(total, k=k, racy=racy, counts=counts):
                        expected = k * n
                        if (racy and not 1 <= total <= expected) or (not racy and total != expected):
                            raise CheckFailed("counter is %s after %d x %d adds%s" % (
                                total, k, n, "" if racy else " under a lock: updates were lost"))
                        counts["lost"] += expected - total
                        counts["updates"] += expected
                        counts["plain"] += _PLAIN - counts["last_plain"]  # what this interpreter saw of _PLAIN
                        counts["last_plain"] = _PLAIN

                    @contextlib.contextmanager
                    def trial(cls=cls, k=k, primitive=primitive):
                        race = cls(k, n, primitive)
                        try:
                            yield race.round
                        finally:
                            race.close()

                    self.point += 1
                    scores, _ = iteration_scores(trial, check, self.profile, self.args.iteration_seconds)
                    mean, error = summarize(scores)
                    params = "increments=%d;primitive=%s" % (n, primitive)
                    common = dict(backend=backend, cores=top, workers=k, params=params)
                    self.raw_row("sync", benchmark, "avgt", "ns/op", mean, error, **common)
                    per = [x / (k * n) for x in scores]
                    self.raw_row("sync", benchmark + ":increment", "avgt", "ns/op", *summarize(per), **common,
                                 samples=per)
                    self.raw_row("sync", benchmark + ":lostUpdates", "avgt", "#", counts["lost"], None, **common)
                    self.raw_row("sync", benchmark + ":updates", "avgt", "#", counts["updates"], None, **common)
                    self.raw_row("sync", benchmark + ":plainSeen", "avgt", "#", counts["plain"], None, **common)

    def ipc(self, top, transports=None, streams=True, producers=True):
        """Messages between threads and between processes; ``transports`` (the processes' only, when given),
        ``streams`` and ``producers`` narrow it to a lesson's points."""
        sizes = IPC_SIZES[self.profile.name]
        for make, backend, prefix, kinds in (
                (lambda t: IpcThreads(), "py-threads", "thread", ["queue-queue"]),
                (IpcProcesses, "py-processes", "process", ["pipe", "queue", "manager"])):
            if transports is not None:
                kinds = [] if backend == "py-threads" else [t for t in kinds if t in transports]
            for transport in kinds:
                for size in sizes:
                    zeros = bytes(size)

                    @contextlib.contextmanager
                    def round_trips(make=make, transport=transport, size=size):
                        peer = make(transport)
                        try:
                            yield lambda: ipc_round_trip(peer, size)
                        finally:
                            peer.close()

                    def check_echo(result, size=size):
                        sent, got = result
                        if got != sent:
                            raise CheckFailed("the peer sent back %d bytes that are not the %d sent"
                                              % (len(got), size))

                    @contextlib.contextmanager
                    def streams(make=make, transport=transport, size=size, zeros=zeros):
                        peer = make(transport)
                        try:
                            yield lambda: ipc_stream(peer, size, zeros)
                        finally:
                            peer.close()

                    def check_count(got, size=size):
                        if got != IPC_BATCH * size:
                            raise CheckFailed("the peer received %s bytes, not %d x %d" % (got, IPC_BATCH, size))

                    params = "messageBytes=%d;transport=%s" % (size, transport)
                    self.point += 1
                    m = measure(round_trips, check_echo, self.profile, self.args.iteration_seconds)
                    self.raw_row("ipc", prefix + "RoundTrip", "avgt", "us/op", m.score_ns / 1e3,
                                 None if m.error_ns is None else m.error_ns / 1e3, backend=backend, cores=top,
                                 params=params, samples=[ns / 1e3 for _, ns in m.samples])
                    if not streams:
                        continue
                    self.point += 1
                    scores, _ = iteration_scores(streams, check_count, self.profile, self.args.iteration_seconds)
                    rate, error = summarize([IPC_BATCH * 1e9 / x for x in scores])
                    self.raw_row("ipc", prefix + "Stream", "thrpt", "ops/s", rate, error, backend=backend,
                                 cores=top, params=params)
        # many producers, one consumer: a Queue against a Pipe per producer (IpcBenchmark.manyProducers)
        messages = IPC_PRODUCER_MESSAGES // (16 if self.args.tiny else 1)
        for transport in ("queue", "pipes") if producers else ():
            for k in ipc_producer_counts(self.profile.name, top):
                @contextlib.contextmanager
                def producers(transport=transport, k=k):
                    group = IpcProducers(transport, k, messages)
                    try:
                        yield group.round_trip
                    finally:
                        group.close()

                def check_round(count):
                    if count != messages:  # round_trip verified each message; this guards the count it reports
                        raise CheckFailed("a round delivered %d of %d messages" % (count, messages))

                self.point += 1
                scores, _ = iteration_scores(producers, check_round, self.profile, self.args.iteration_seconds)
                rates = [messages * 1e9 / x for x in scores]
                rate, error = summarize(rates)
                self.raw_row("ipc", "manyProducers", "thrpt", "ops/s", rate, error, backend="py-processes",
                             cores=top, workers=k, samples=rates,
                             params="messageBytes=%d;transport=%s" % (IPC_PRODUCER_BYTES, transport))

    # lessons: the Java CLI's `lesson NAME` (cli/Lesson), a claim's few points through the families' own code -----
    def lesson(self, name):
        """Runs ``lesson_<name>`` (dashes as underscores) at the most cores; a name without one is a usage error."""
        part = getattr(self, "lesson_" + name.replace("-", "_"), None)
        if part is None:
            raise UsageError("no CPython part for lesson '%s'; valid: %s" % (name, ", ".join(lesson_names())))
        top = max(self.args.cores)
        with pinned(top, self.allowed):
            part(top)
        return self.rows

    def pools_taking_turns(self, workload, specs, top):
        """Scaling points (``(backend class, workers, chunksize)``) of one workload taking turns, as scaling rows."""
        job = self.job(workload)
        contenders = [Contender(b.name, trial_for(b, w, c, top, job), job.check) for b, w, c in specs]
        with self.part("scaling", "CPython lesson %s: %s" % (workload, ", ".join(b.name for b, _, _ in specs)), top):
            results = self.turns(contenders, top, "lesson %s" % workload)
            for (b, w, c), m in zip(specs, results):
                self.row("scaling", "job", "ms/op", workload=workload, backend=b.name, cores=top, workers=w,
                         chunksize=c, tasks=job.tasks, measurement=m,
                         params=self.params(job.params, "api=" + b.api, "start_method=fork" if "process" in b.name
                                            else ""))

    def lesson_cpu_bound(self, top):
        self.pools_taking_turns("factorial", [(Sequential, 1, 0), (ThreadPool, top, 1), (ProcessPool, top, 0)], top)

    def lesson_pool_amortizes(self, top):
        # squares of 100 000 numbers (the JVM's lesson: tasks=100000): a process per chunk is 8 starts per job
        self.jobs.setdefault("squares", squares_job(1_000 if self.args.tiny else LESSON_SQUARES))
        self.pools_taking_turns("squares", [(ProcessPool, top, 0), (ProcessPerTask, top, 0)], top)

    def lesson_creation(self, top):
        self.creation(top, methods=[DEFAULT_START_METHOD], pools=False)

    def lesson_tiny_tasks(self, top):
        self.granularity(top, sizes=[300], backends=((Sequential, None), (ProcessPool, 1)))

    def lesson_io_bound(self, top):
        self.io(top, pairs=[(ThreadPool, 64), (ProcessPool, IO_PROCESS_CAP)])

    def lesson_race(self, top):
        self.sync(top, groups={"py-processes": ["value-no-lock", "value-get-lock"]}, contenders=[top])

    def lesson_shared_state(self, top):
        self.sync(top, groups={"py-threads": ["lock"], "py-processes": ["value-get-lock"]}, contenders=[top])

    def lesson_queue_vs_pipe(self, top):
        self.ipc(top, transports=["pipe", "queue"], streams=False, producers=True)

    def lesson_manager(self, top):
        self.ipc(top, transports=["manager"], streams=False, producers=False)
        self.sync(top, groups={"py-processes": ["value-get-lock"]}, contenders=[1])

    def run(self):
        if self.args.lesson:
            return self.lesson(self.args.lesson)
        cores = self.args.cores
        top = max(cores)
        if "scaling" in self.args.families:
            # sequential at every core count first, measured together (sequential_paired): the k-core / 1-core
            # check compares slices taken side by side, not blocks apart on a machine whose speed drifts
            # with it, the 1-core pools: their speed over sequential at 1 core checks the baseline itself
            beside = self.scaling_beside(cores)
            self.sequential_paired(cores, beside)
            for k in cores:
                with pinned(k, self.allowed):
                    self.scaling(k, top, beside=beside if k == 1 else ())
        if "creation" in self.args.families:
            with pinned(top, self.allowed):
                self.creation(top)
        if "granularity" in self.args.families:
            with pinned(top, self.allowed):
                self.granularity(top)
        if "io" in self.args.families and "download" in self.args.workloads:
            with pinned(top, self.allowed):
                self.io(top)
        if "sync" in self.args.families:
            with pinned(top, self.allowed), self.part("sync", "CPython sync", top):
                self.sync(top)
        if "ipc" in self.args.families:
            with pinned(top, self.allowed), self.part("ipc", "CPython ipc", top):
                self.ipc(top)
        return self.rows


def lesson_names():
    """The lessons this program has a CPython part for (``Runner.lesson_*``), as the Java CLI names them."""
    return sorted(n[len("lesson_"):].replace("_", "-") for n in dir(Runner)
                  if n.startswith("lesson_") and n != "lesson_names")


def interpreter_note():
    """Which interpreter measured a row, for its note: implementation, version, GIL on or off."""
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    return "python=%s %s, GIL %s" % (platform.python_implementation(), platform.python_version(),
                                     "on" if gil else "off")


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


def non_negative_int(text):
    if not text.isdigit():
        raise argparse.ArgumentTypeError("'%s' is not a whole number >= 0; valid: 0, 1, 2, ..." % text)
    return int(text)


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
    p.add_argument("--iterations-out", default=None, help="per-iteration CSV to write (iterations.csv's columns)")
    p.add_argument("--io-url-template", type=url_template,
                   help="the io family's files (16 KiB each, answered after --io-latency-ms), like "
                        "--download-url-template; needed for the io family")
    p.add_argument("--io-latency-ms", type=non_negative_int, default=20,
                   help="the io server's latency per file, written in the io rows' params (default 20)")
    p.add_argument("--probe-stdio", action="store_true",
                   help="ask the launcher on stdout/stdin for a machine probe reading around each part (the Java CLI)")
    p.add_argument("--iteration-seconds", type=non_negative_float, default=None, help=argparse.SUPPRESS)
    p.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # tests: tiny jobs
    p.add_argument("--lesson", default=None, help="one lesson's CPython part instead of --families (the Java CLI's "
                                                  "`lesson NAME`; use --profile lesson)")
    args = p.parse_args(argv)
    if args.lesson is not None and args.lesson not in lesson_names():
        p.error("argument --lesson: unknown lesson '%s'; valid: %s" % (args.lesson, ", ".join(lesson_names())))
    if not args.run_id.strip():
        p.error("argument --run-id: empty run id; valid: any non-empty text")
    args.start_methods = [m for m in START_METHODS if m in multiprocessing.get_all_start_methods()]
    if args.lesson is not None:
        args.families = []
        if args.lesson == "io-bound" and args.io_url_template is None:
            p.error("argument --io-url-template: missing; the io-bound lesson needs it (valid: http://HOST:PORT/files/{i})")
    if "io" in args.families and "download" in args.workloads and args.io_url_template is None:
        p.error("argument --io-url-template: missing; the io family needs it (valid: http://HOST:PORT/files/{i}), "
                "or leave io out of --families")
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
        ("mp_start_method", multiprocessing.get_start_method()),  # the sync and ipc families' (the default context)
        ("python_pool_start_method", DEFAULT_START_METHOD),  # the pools' without a [method] in their name
        ("python_start_methods", ",".join(args.start_methods)),
        ("python_executable", sys.executable),
        ("gil", "yes" if gil else "no"),
        ("python_profile", args.profile),
        ("python_forks", str(profile.forks)),
        ("python_warmup", "%d x %g s" % (profile.warmup_iterations, profile.warmup_seconds)),
        ("python_measurement", "%d x %g s%s" % (profile.iterations, profile.iteration_seconds, "".join(
            "; scaling %d x %g s" % SCALING_MEASUREMENT[profile.name] for _ in [0]
            if profile.name in SCALING_MEASUREMENT) + "".join(
            "; scaling at the most cores, %s %d iterations%s" % (
                w, n, " of one job" if w in SCALING_TOP_ONE_JOB.get(profile.name, ()) else "")
            for w, n in SCALING_TOP_ITERATIONS.get(profile.name, {}).items()) + "".join(
            "; py-sequential %s %d x %g s" % (w, n, t) for w, (n, t) in SEQUENTIAL_ITERATIONS.get(profile.name, {}).items()))),
        ("python_warmup_rule", "then rounds until one costs the process tree under %d new pages or at least %g of the "
         "round before, at most %g s" % (SETTLED_PAGES, STEADY_SHARE, WARMUP_CAP_S.get(profile.name, 0.0))),
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
    runner = Runner(args, allowed, Probe(args.probe_stdio))
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
    if args.iterations_out:
        write_csv_atomically(args.iterations_out, ITERATION_COLUMNS, runner.iterations)
    print("wrote %s (%d rows) and %s in %.1f s" % (args.out, len(rows), args.env_out, time.monotonic() - began),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
