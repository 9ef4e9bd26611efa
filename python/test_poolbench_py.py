"""Tests of poolbench's CPython baseline: ``python3 -m unittest python/test_poolbench_py.py`` (about 15 s).

The end-to-end tests run the program as the Java CLI does, against a small loopback HTTP server started here, with
tiny jobs (``--tiny``) and tiny iterations (``--iteration-seconds``). No test asserts a timing.
"""

import contextlib
import csv
import http.server
import math
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import poolbench_py as pb  # noqa: E402

PROGRAM = os.path.join(HERE, "poolbench_py.py")
CPUS = len(os.sched_getaffinity(0))
CORES = "1,2" if CPUS >= 2 else "1"


def content(i):
    """The bytes of file i: deterministic, a different size per file."""
    return bytes((i * 31 + j * 7) % 256 for j in range(1000 + 10 * i))


class Handler(http.server.BaseHTTPRequestHandler):
    """``/files/<i>``: the file; ``/flaky/<i>``: the file the first time, one flipped byte afterwards."""
    seen = set()
    lock = threading.Lock()

    def do_GET(self):
        kind, _, number = self.path.strip("/").partition("/")
        if kind not in ("files", "flaky") or not number.isdigit():
            self.send_error(404)
            return
        body = content(int(number))
        if kind == "flaky":
            with Handler.lock:
                again = self.path in Handler.seen
                Handler.seen.add(self.path)
            if again:
                body = bytes([body[0] ^ 1]) + body[1:]
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _alive(pid):
    """True unless ``pid`` is gone or a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def leftovers(marker):
    """Processes (other than this one) whose command line contains ``marker``: forked pool workers keep their
    parent's command line, so a worker left behind by a run shows up here."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


class ProgramTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        cls.server.daemon_threads = True
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.base = "http://127.0.0.1:%d" % cls.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        cls.thread.join()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="poolbench-py-test-")
        self.out = os.path.join(self.tmp, "results.csv")
        self.env = os.path.join(self.tmp, "environment.csv")

    def tearDown(self):
        self.assertEqual([], leftovers(self.tmp), "processes left behind")
        for name in os.listdir(self.tmp):
            os.unlink(os.path.join(self.tmp, name))
        os.rmdir(self.tmp)

    def run_program(self, *extra, template=None, tiny=True):
        args = [sys.executable, PROGRAM, "--run-id", "test-run", "--out", self.out, "--env-out", self.env,
                "--download-url-template", template or self.base + "/files/{i}"]
        if tiny:
            args += ["--tiny", "--iteration-seconds", "0.01"]
        return subprocess.run(args + list(extra), capture_output=True, text=True, timeout=120)

    def rows(self):
        with open(self.out, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            self.assertEqual(pb.COLUMNS, header)
            return [dict(zip(header, r)) for r in reader]

    def test_a_lesson_runs_its_points_through_the_family_and_keeps_their_iterations(self):
        iterations_out = os.path.join(self.tmp, "iterations.csv")
        done = self.run_program("--profile", "lesson", "--lesson", "race", "--cores", str(CPUS),
                                "--iterations-out", iterations_out)
        self.assertEqual(0, done.returncode, done.stderr)
        rows = self.rows()
        self.assertEqual({"sync"}, {r["family"] for r in rows})
        primitives = {r["params"].split("primitive=")[1] for r in rows}
        self.assertEqual({"value-no-lock", "value-get-lock"}, primitives)
        lost = {r["params"].split("primitive=")[1]: float(r["score"]) for r in rows
                if r["benchmark"] == "processes:lostUpdates"}
        self.assertEqual(0, lost["value-get-lock"])
        with open(iterations_out, newline="") as f:
            kept = [r for r in csv.DictReader(f) if r["benchmark"] == "processes:increment"]
        self.assertEqual(2 * pb.PROFILES["lesson"].iterations, len(kept))

    def test_an_unknown_lesson_is_one_line_and_exit_2(self):
        done = self.run_program("--profile", "lesson", "--lesson", "threads-are-free")
        self.assertEqual(2, done.returncode)
        self.assertEqual(1, len(done.stderr.strip().splitlines()), done.stderr)
        self.assertIn("'threads-are-free'", done.stderr)
        self.assertIn("cpu-bound", done.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_every_lesson_program_is_there_and_a_bad_one_exits_2(self):
        programs = os.path.join(HERE, "lesson_programs.py")
        done = subprocess.run([sys.executable, programs, "gamma-map"], capture_output=True, text=True, timeout=60)
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertIn("gamma(10.0) = 362880", done.stdout)
        bad = subprocess.run([sys.executable, programs, "nope"], capture_output=True, text=True, timeout=60)
        self.assertEqual(2, bad.returncode)
        self.assertIn("four-processes", bad.stderr)

    def test_smoke_run_writes_every_family_and_backend(self):
        iterations_out = os.path.join(self.tmp, "iterations.csv")
        done = self.run_program("--profile", "smoke", "--families", "scaling,creation,granularity",
                                "--workloads", "factorial,squares,download", "--cores", CORES,
                                "--workers-per-core", "1", "--iterations-out", iterations_out)
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual("", done.stderr)
        rows = self.rows()
        for r in rows:
            self.assertEqual("test-run", r["run_id"])
            self.assertEqual("ok", r["status"], r)
            self.assertEqual("avgt", r["mode"])
            self.assertGreater(float(r["score"]), 0, r)
            self.assertEqual("", r["score_error"], r)  # two iterations per point: no error, as in JMH
            self.assertEqual("", r["speedup"])
            self.assertEqual("", r["efficiency"])
            self.assertNotIn("e", r["score"].lower(), "plain decimal notation")

        cores = [int(c) for c in CORES.split(",")]
        scaling = {(r["workload"], r["backend"], r["chunksize"], int(r["cores"]), int(r["workers"]), int(r["tasks"]))
                   for r in rows if r["family"] == "scaling"}
        expected = set()
        for k in cores:
            for workload, tasks in (("factorial", 12), ("squares", 1000), ("download", 4)):
                expected |= {(workload, "py-sequential", "", k, 1, tasks),
                             (workload, "py-thread-pool", "1", k, k, tasks),
                             (workload, "py-process-pool", "0", k, k, tasks),
                             (workload, "py-process-pool", "1", k, k, tasks),
                             (workload, "py-process-pool-executor", "1", k, k, tasks)}
        top = max(cores)
        # at the most cores: Pool by the other start methods (factorial), a process per chunk (factorial, squares)
        expected |= {("factorial", "py-process-pool[spawn]", "0", top, top, 12),
                     ("factorial", "py-process-pool[forkserver]", "0", top, top, 12),
                     ("factorial", "py-process-per-task", "0", top, top, 12),
                     ("squares", "py-process-per-task", "0", top, top, 1000)}
        self.assertEqual(expected, scaling)
        methods = {r["backend"]: r["params"] for r in rows if r["family"] == "scaling" and r["workload"] == "factorial"
                   and r["cores"] == str(top)}
        self.assertIn("start_method=spawn", methods["py-process-pool[spawn]"])
        self.assertIn("start_method=forkserver", methods["py-process-pool[forkserver]"])
        self.assertIn("start_method=fork", methods["py-process-pool"])
        self.assertTrue(all(pb.interpreter_note() in r["note"] for r in rows), "every row names its interpreter")
        self.assertTrue(all(r["benchmark"] == "job" and r["unit"] == "ms/op"
                            for r in rows if r["family"] == "scaling"))

        creation = {(r["benchmark"], r["workers"], r["backend"], r["cores"], r["unit"], r["params"])
                    for r in rows if r["family"] == "creation"}
        methods = ("fork", "spawn", "forkserver")
        self.assertEqual({("pyThread", "", "", str(top), "us/op", "")}
                         | {("pyProcess", "", "", str(top), "us/op", "start_method=" + m) for m in methods}
                         | {("pyPool", str(n), "", str(top), "us/op", "start_method=%s;api=multiprocessing.Pool" % m)
                            for n in {1, top} for m in methods}, creation)

        granularity = {(r["backend"], r["task_size"], r["tasks"], r["workers"], r["chunksize"])
                       for r in rows if r["family"] == "granularity"}
        expected = set()
        for n in (100, 3000, 30000):
            tasks = str(max(1, pb.GRANULARITY_TASKS[n] // 64))
            expected |= {("py-sequential", str(n), tasks, "1", ""), ("py-thread-pool", str(n), tasks, str(top), "1"),
                         ("py-process-pool", str(n), tasks, str(top), "1")}
        self.assertEqual(expected, granularity)
        self.assertTrue(all(r["benchmark"] == "factorial" and r["workload"] == "factorial" and r["unit"] == "us/op"
                            for r in rows if r["family"] == "granularity"))

        with open(self.env, newline="") as f:
            env = dict(csv.reader(f))
        self.assertEqual("value", env["key"])
        self.assertEqual(multiprocessing.get_start_method(), env["mp_start_method"])
        self.assertEqual("fork", env["python_pool_start_method"])
        self.assertEqual("fork,spawn,forkserver", env["python_start_methods"])
        self.assertEqual("CPython", env["python_implementation"])
        self.assertEqual(sys.version.split()[0], env["python_version"])
        self.assertIn(env["gil"], ("yes", "no"))
        self.assertTrue(env["python_executable"])
        self.assertEqual(CORES, env["python_cores_measured"])
        self.assertEqual(len(rows) + 1, len(done.stdout.splitlines()))  # a progress line per point, and a summary

        # every point's measured iterations, labelled like its row; their mean is its score
        with open(iterations_out, newline="") as f:
            reader = csv.reader(f)
            self.assertEqual(pb.ITERATION_COLUMNS, next(reader))
            its = [dict(zip(pb.ITERATION_COLUMNS, r)) for r in reader]
        key = ("family", "benchmark", "workload", "backend", "cores", "workers", "task_size", "chunksize", "tasks",
               "params")
        by_point, machine = {}, {}
        for i in its:
            self.assertIn(i["metric"], ("primary", pb.MACHINE_METRIC))
            self.assertEqual(("test-run", "avgt", "1", ""), (i["run_id"], i["mode"], i["fork"], i["invocation"]), i)
            (by_point if i["metric"] == "primary" else machine).setdefault(tuple(i[k] for k in key), []).append(i)
        self.assertEqual({tuple(r[k] for k in key) for r in rows}, set(by_point), "one set of iterations per row")
        for r in rows:
            mine = by_point[tuple(r[k] for k in key)]
            self.assertEqual(["1", "2"], [i["iteration"] for i in mine], "smoke: two iterations, numbered from 1")
            self.assertTrue(all(i["unit"] == r["unit"] for i in mine))
            self.assertAlmostEqual(float(r["score"]), statistics.fmean(float(i["value"]) for i in mine),
                                   delta=1e-9 * float(r["score"]))
        # a machine reading after each iteration of every point that takes turns, and of py-sequential's pairs
        scaling = {tuple(r[k] for k in key) for r in rows if r["family"] == "scaling"}
        self.assertTrue(scaling and scaling <= set(machine), sorted(scaling - set(machine)))
        for point, readings in machine.items():
            self.assertEqual(["1", "2"], [i["iteration"] for i in readings], point)
            self.assertTrue(all(i["unit"] == "ms" and 0 < float(i["value"]) < 1000 for i in readings), readings)

    def test_io_rows_pit_threads_against_processes_at_the_jvms_concurrency_levels(self):
        done = self.run_program("--profile", "smoke", "--families", "io", "--workloads", "download",
                                "--io-url-template", self.base + "/files/{i}", "--io-latency-ms", "20")
        self.assertEqual(0, done.returncode, done.stderr)
        rows = self.rows()
        got = {(r["family"], r["benchmark"], r["workload"], r["backend"], r["workers"], r["tasks"], r["params"],
                r["status"]) for r in rows}
        params = "fileBytes=1000..1010;latencyMs=20"  # two files (tiny), the test server's sizes
        self.assertEqual({("io", "download", "download", b, "1", "2", params, "ok")
                          for b in ("py-thread-pool", "py-process-pool")}, got)
        self.assertTrue(all(float(r["score"]) > 0 for r in rows))
        # without the io server's address the io family is a usage error
        done = self.run_program("--profile", "smoke", "--families", "io", "--workloads", "download")
        self.assertEqual(2, done.returncode)
        self.assertEqual(1, len(done.stderr.splitlines()))
        self.assertIn("--io-url-template", done.stderr)

    def test_sync_and_ipc_rows_mirror_the_java_families(self):
        done = self.run_program("--profile", "smoke", "--families", "sync,ipc", "--cores", CORES)
        self.assertEqual(0, done.returncode, done.stderr)
        rows = self.rows()
        top = str(max(int(c) for c in CORES.split(",")))
        sync = [r for r in rows if r["family"] == "sync"]
        n = pb.SYNC_INCREMENTS["smoke"] // 100
        expected = set()
        for backend, benchmark, primitives in (("py-threads", "threads", ["none", "lock"]),
                                               ("py-processes", "processes",
                                                ["value-no-lock", "value-get-lock", "array-no-lock"])):
            for k in pb.SYNC_CONTENDERS["smoke"]:
                for p in primitives:
                    for metric in ("", ":increment", ":lostUpdates", ":updates", ":plainSeen"):
                        expected.add((benchmark + metric, backend, str(k), "increments=%d;primitive=%s" % (n, p)))
        self.assertEqual(expected, {(r["benchmark"], r["backend"], r["workers"], r["params"]) for r in sync})
        for r in sync:
            self.assertEqual(top, r["cores"])
            self.assertEqual("#" if r["benchmark"].endswith("Updates") or r["benchmark"].endswith(":updates")
                             or r["benchmark"].endswith(":plainSeen") else "ns/op", r["unit"], r)
            if r["benchmark"].endswith(":lostUpdates") and "lock" in r["params"] and "no-lock" not in r["params"]:
                self.assertEqual(0.0, float(r["score"]), r)
            if r["benchmark"].endswith(":updates"):
                self.assertGreater(float(r["score"]), 0, r)
        # the plain global: the parent sees every add of its threads and none of its processes'
        by_key = {(r["benchmark"], r["workers"], r["params"]): float(r["score"]) for r in sync}
        for (benchmark, workers, params), seen in by_key.items():
            if benchmark.endswith(":plainSeen"):
                made = by_key[(benchmark.replace(":plainSeen", ":updates"), workers, params)]
                self.assertEqual(made if benchmark.startswith("threads") else 0.0, seen, (benchmark, params))
        ipc = {(r["benchmark"], r["backend"], r["mode"], r["unit"], r["params"]) for r in rows if r["family"] == "ipc"}
        expected = set()
        for size in pb.IPC_SIZES["smoke"]:
            for prefix, backend, transports in (("thread", "py-threads", ["queue-queue"]),
                                                ("process", "py-processes", ["pipe", "queue", "manager"])):
                for t in transports:
                    params = "messageBytes=%d;transport=%s" % (size, t)
                    expected |= {(prefix + "RoundTrip", backend, "avgt", "us/op", params),
                                 (prefix + "Stream", backend, "thrpt", "ops/s", params)}
        for t in ("queue", "pipes"):
            expected.add(("manyProducers", "py-processes", "thrpt", "ops/s",
                          "messageBytes=%d;transport=%s" % (pb.IPC_PRODUCER_BYTES, t)))
        self.assertEqual(expected, ipc)
        producers = {(r["params"], r["workers"]) for r in rows if r["benchmark"] == "manyProducers"}
        self.assertEqual({("messageBytes=16;transport=" + t, str(k)) for t in ("queue", "pipes")
                          for k in pb.ipc_producer_counts("smoke", int(top))}, producers)
        self.assertTrue(all(float(r["score"]) > 0 and r["cores"] == top for r in rows
                            if r["benchmark"] == "manyProducers"))

    def test_big_squares_on_one_message_per_number_backends_are_skipped_rows(self):
        done = self.run_program("--profile", "smoke", "--families", "scaling", "--workloads", "squares",
                                "--cores", "1", "--iteration-seconds", "0", tiny=False)
        self.assertEqual(0, done.returncode, done.stderr)
        rows = self.rows()
        skipped = {(r["backend"], r["chunksize"]) for r in rows if r["status"] == "skipped"}
        self.assertEqual({("py-thread-pool", "1"), ("py-process-pool", "1"), ("py-process-pool-executor", "1")},
                         skipped)
        for r in rows:
            if r["status"] == "skipped":
                self.assertEqual("", r["score"])
                self.assertIn("granularity family", r["note"])
            else:
                self.assertGreater(float(r["score"]), 0)
                self.assertEqual("1000000", r["tasks"])

    def test_bad_arguments_exit_2_with_one_line_naming_the_value(self):
        with open(self.out, "w") as f:
            f.write("an earlier run\n")
        cases = [
            (["--profile", "turbo"], ["turbo", "smoke", "quick", "full"]),
            (["--families", "scaling,bogus"], ["bogus", "scaling, creation, granularity"]),
            (["--workloads", "fibonacci"], ["fibonacci", "factorial, squares, download"]),
            (["--cores", "0"], ["'0'", "1..%d" % CPUS]),
            (["--cores", str(CPUS + 1)], [str(CPUS + 1), "1..%d" % CPUS]),
            (["--cores", "one"], ["one", "1..%d" % CPUS]),
            (["--workers-per-core", "-3"], ["-3", "positive"]),
            (["--download-url-template", "ftp://x/files"], ["ftp://x/files", "{i}"]),
            (["--bogus-flag"], ["--bogus-flag"]),
        ]
        for argv, words in cases:
            with self.subTest(argv=argv):
                done = self.run_program(*argv)
                self.assertEqual(2, done.returncode, done.stderr)
                self.assertEqual(1, len(done.stderr.splitlines()), done.stderr)
                for w in words:
                    self.assertIn(w, done.stderr)
        with open(self.out) as f:
            self.assertEqual("an earlier run\n", f.read(), "a failed run must not overwrite an earlier one")
        self.assertFalse(os.path.exists(self.env))

    def test_unreachable_download_url_exits_2(self):
        with socket_free_port() as port:
            done = self.run_program("--families", "scaling", "--workloads", "download", "--cores", "1",
                                    template="http://127.0.0.1:%d/files/{i}" % port)
        self.assertEqual(2, done.returncode, done.stderr)
        self.assertEqual(1, len(done.stderr.splitlines()), done.stderr)
        self.assertIn("/files/0", done.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_a_wrong_download_fails_the_run_with_exit_1(self):
        # /flaky/ serves each file right once (the set-up's verified answer), then with one byte flipped
        done = self.run_program("--profile", "smoke", "--families", "scaling", "--workloads", "download",
                                "--cores", "1", template=self.base + "/flaky/{i}")
        self.assertEqual(1, done.returncode, done.stderr)
        self.assertEqual(1, len(done.stderr.splitlines()), done.stderr)
        self.assertIn("wrong result at index 0", done.stderr)
        self.assertIn("py-sequential", done.stderr)
        self.assertFalse(os.path.exists(self.out))


class socket_free_port:
    """A port on 127.0.0.1 where nothing listens (bound, never listening, for the duration)."""

    def __enter__(self):
        import socket
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()


class UnitTest(unittest.TestCase):

    def tearDown(self):
        self.assertEqual([], multiprocessing.active_children())

    def test_check_results_names_the_first_wrong_index(self):
        job = pb.factorial_job([5, 6], 4)
        self.assertEqual([(5, 7, 120), (6, 10, 720), (5, 7, 120), (6, 10, 720)], job.expected)
        job.check(list(job.expected))
        wrong = list(job.expected)
        wrong[2] = (5, 7, 121)
        with self.assertRaisesRegex(pb.CheckFailed, r"factorial: wrong result at index 2: expected \(5, 7, 120\)"):
            job.check(wrong)
        with self.assertRaisesRegex(pb.CheckFailed, "expected 4 results, got 3"):
            job.check(job.expected[:3])
        with self.assertRaisesRegex(pb.CheckFailed, "got none"):
            job.check(None)

    def test_a_machine_reading_probes_every_cpu_it_is_given_and_leaves_the_threads_mask_as_it_was(self):
        allowed = sorted(os.sched_getaffinity(0))
        probed = []
        real = pb.probe_cpu
        pb.probe_cpu = lambda cpu: probed.append(cpu) or 0.001 * (1 + cpu)
        try:
            os.sched_setaffinity(0, {allowed[0]})
            reading = pb.machine_reading(allowed)
            self.assertEqual(min(len(allowed), pb.MACHINE_CPUS), len(set(probed)))
            self.assertTrue(set(probed) <= set(allowed))
            self.assertAlmostEqual(1 + max(probed), reading, msg="the slowest CPU's time, ms")
            self.assertEqual({allowed[0]}, os.sched_getaffinity(0))
        finally:
            pb.probe_cpu = real
            os.sched_setaffinity(0, set(allowed))
        self.assertGreater(pb.machine_reading([allowed[0]]), 0)
        self.assertEqual(set(allowed), os.sched_getaffinity(0))

    def test_a_job_runs_after_its_predecessors_results_are_gone_but_for_the_ones_kept_resident(self):
        import weakref

        class Item:
            pass

        n = 3 * pb.RESIDENT_STRIDE + 1
        made = []  # weak references to every op's results, per op
        seen = []  # per op after the first: how many of the previous op's results were still alive when it started

        def op():
            if made:
                seen.append(sum(1 for r in made[-1] if r() is not None))
            items = [Item() for _ in range(n)]
            made.append([weakref.ref(x) for x in items])
            return items

        pb.run_iteration(op, lambda result: None, 0.05)
        self.assertGreaterEqual(len(made), 2)
        # only every RESIDENT_STRIDE-th result (0, S, 2S, 3S) outlives its check
        self.assertEqual([4] * (len(made) - 1), seen)
        kept = [i for i, r in enumerate(made[-1]) if r() is not None]
        self.assertEqual([0, pb.RESIDENT_STRIDE, 2 * pb.RESIDENT_STRIDE, 3 * pb.RESIDENT_STRIDE], kept)
        pb.RESIDENT.keep(None)  # not a list: lets go of them all
        self.assertEqual(0, sum(1 for r in made[-1] if r() is not None))

    def test_a_backend_returning_a_wrong_result_fails_the_measurement_and_is_terminated(self):
        job = pb.squares_job(100)

        class Broken(pb.ProcessPool):
            def map(self, func, inputs):
                results = super().map(func, inputs)
                results[-1] += 1
                return results

        trial = pb.trial_for(Broken, 1, 0, len(os.sched_getaffinity(0)), job)
        with self.assertRaisesRegex(pb.CheckFailed, "squares: wrong result at index 99: expected 9801, got 9802"):
            pb.measure(trial, job.check, pb.PROFILES["smoke"], iteration_seconds=0)

    def test_every_backend_computes_the_right_answer(self):
        cores = len(os.sched_getaffinity(0))
        job = pb.factorial_job([300, 400, 500], 7)
        for backend_class, chunksize in ((pb.Sequential, None), (pb.ThreadPool, 1), (pb.ProcessPool, 0),
                                         (pb.ProcessPool, 1), (pb.ProcessPoolExec, 1)):
            with self.subTest(backend=backend_class.name, chunksize=chunksize):
                with pb.opened(backend_class, 2, chunksize, cores) as backend:
                    job.check(backend.map(job.func, job.inputs))

    def test_factorial_digest_is_bit_length_and_hash(self):
        v = math.factorial(1000)
        self.assertEqual((1000, v.bit_length(), hash(v)), pb.factorial_digest(1000))

    def test_fetch_checks_size_crc_and_status(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        t = threading.Thread(target=server.serve_forever, daemon=True)
        t.start()
        try:
            base = "http://127.0.0.1:%d" % server.server_address[1]
            self.assertEqual((len(content(3)), zlib.crc32(content(3)), 200), pb.fetch(base + "/files/3"))
            with self.assertRaisesRegex(RuntimeError, "HTTP 404"):
                pb.fetch(base + "/nothing/here")
        finally:
            server.shutdown()
            server.server_close()
            t.join()

    def test_summarize_is_jmh_mean_and_99_9_percent_half_width(self):
        self.assertEqual((5.0, None), pb.summarize([5.0]))
        self.assertEqual((1.5, None), pb.summarize([1.0, 2.0]))  # JMH: NaN below three iterations
        score, error = pb.summarize([1.0, 2.0, 3.0])
        self.assertEqual(2.0, score)
        self.assertAlmostEqual(31.5991 * 1.0 / math.sqrt(3), error, places=9)
        score, error = pb.summarize([4.0, 4.0, 4.0, 4.0])
        self.assertEqual((4.0, 0.0), (score, error))
        with self.assertRaises(ValueError):
            pb.summarize([])

    def test_t_table(self):
        self.assertEqual(636.6192, pb.t_quantile_9995(1))
        self.assertEqual(4.5869, pb.t_quantile_9995(10))
        self.assertEqual(3.6460, pb.t_quantile_9995(30))
        self.assertEqual(3.2905, pb.t_quantile_9995(31))
        values = [pb.t_quantile_9995(df) for df in range(1, 40)]
        self.assertEqual(sorted(values, reverse=True), values)
        # the table agrees with Student's t: P(T > t) = 0.0005, by numerical integration of the density
        # (closed forms for df 1 and 2)
        t1, t2 = pb.t_quantile_9995(1), pb.t_quantile_9995(2)
        self.assertAlmostEqual(0.0005, 0.5 - math.atan(t1) / math.pi, delta=0.0005 * 1e-4)
        self.assertAlmostEqual(0.0005, 0.5 - t2 / (2 * math.sqrt(2 + t2 * t2)), delta=0.0005 * 1e-4)
        for df in (3, 5, 10, 20, 29, 30):
            self.assertAlmostEqual(0.0005, upper_tail(pb.t_quantile_9995(df), df), delta=0.0005 * 1e-3)

    def test_measure_runs_warmup_and_measurement_iterations_at_least_one_op_each(self):
        calls = []
        profile = pb.Profile("test", forks=3, warmup_iterations=2, warmup_seconds=0, iterations=4,
                             iteration_seconds=0)

        class Trial:
            def __enter__(self):
                calls.append("setup")
                return lambda: calls.append("op") or 42

            def __exit__(self, *exc):
                calls.append("teardown")

        checked = []
        m = pb.measure(Trial, checked.append, profile)
        self.assertEqual(["setup"] + ["op"] * 6 + ["teardown"], calls[:8])
        self.assertEqual(3 * 8, len(calls))
        self.assertEqual([42] * 18, checked)
        self.assertEqual(12, m.iterations)  # forks pool their measurement iterations
        self.assertEqual(12, m.ops)
        self.assertGreater(m.score_ns, 0)

    def test_tree_pages_counts_new_pages_of_this_process_and_its_children(self):
        before = pb.tree_pages()
        block = bytearray(8 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        self.assertGreaterEqual(pb.tree_pages() - before, 1024, "8 MiB touched: at least 1024 new 4 KiB pages")
        child = subprocess.Popen([sys.executable, "-c", "b = bytearray(16 << 20)\n"
                                  "for i in range(0, len(b), 4096): b[i] = 1\n"
                                  "print('ready', flush=True)\nimport sys; sys.stdin.read()"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual("ready", child.stdout.readline().strip())
            child_pages = pb.tree_pages(child.pid)  # the child waits on stdin: its count stays put
            self.assertGreaterEqual(child_pages, 4096, "the child's 16 MiB")
            self.assertGreaterEqual(pb.tree_pages(), child_pages + before, "the child counts in the tree")
        finally:
            child.stdin.close()
            child.wait(10)
            child.stdout.close()
        self.assertEqual(0, pb.tree_pages(child.pid), "a process that is gone counts nothing")

    def test_warm_up_goes_on_until_a_round_costs_few_pages_or_the_cap(self):
        profile = pb.Profile("quick", 1, 2, 0.0, 1, 0.0)
        growth = iter([0, 9000, 5000, 3000, pb.SETTLED_PAGES - 1, 0])
        total = [0]

        def fake(pid=None):
            total[0] += next(growth)
            return total[0]
        real, pb.tree_pages = pb.tree_pages, fake
        try:
            s = pb.Settling(profile, cap_s=60)
            rounds = 0
            while True:
                rounds += 1
                if not s.more():
                    break
            self.assertEqual(4, rounds, "two rounds of the profile, then until one grew under SETTLED_PAGES")
            self.assertTrue(s.settled)
            self.assertEqual("warm-up 4 rounds, settled", s.describe())
            growth = iter([0, 9000, 6000, 4000, 3900, 0])
            steady = pb.Settling(profile, cap_s=60)
            self.assertEqual([True, True, True, False], [steady.more() for _ in range(4)],
                             "falling demand goes on; a round at 0.8 of the one before or more is steady")
            self.assertTrue(steady.settled)
            growth = iter([0] + [10_000 * 2 ** -i for i in range(50)])
            capped = pb.Settling(profile, cap_s=1e-9)
            self.assertTrue(capped.more(), "the profile's minimum runs whatever the cap")
            self.assertFalse(capped.more(), "at the cap, still faulting")
            self.assertFalse(capped.settled)
            self.assertIn("still faulting", capped.describe())
            growth = iter([0] + [10_000] * 10_000)
            smoke = pb.Settling(pb.PROFILES["smoke"])
            self.assertFalse(smoke.more(), "smoke has no cap: exactly its warm-up iterations")
            self.assertEqual("warm-up 1 round", smoke.describe())
        finally:
            pb.tree_pages = real

    def test_processes_lose_updates_without_a_lock_and_none_with_get_lock(self):
        n = 200_000
        lost = 0
        for _ in range(3):
            race = pb.SyncProcesses(2, n, "value-no-lock")
            try:
                lost = 2 * n - race.round()
            finally:
                race.close()
            if lost:
                break
        self.assertGreater(lost, 0, "two processes racing on a Value lost nothing in three rounds")
        race = pb.SyncProcesses(2, n // 4, "value-get-lock")
        try:
            self.assertEqual(2 * (n // 4), race.round())
        finally:
            race.close()
        threads = pb.SyncThreads(2, n, "lock")
        try:
            self.assertEqual(2 * n, threads.round())
        finally:
            threads.close()

    def test_every_ipc_transport_round_trips_and_counts_a_stream(self):
        for make, transport in ((lambda t: pb.IpcThreads(), "queue-queue"), (pb.IpcProcesses, "pipe"),
                                (pb.IpcProcesses, "queue"), (pb.IpcProcesses, "manager")):
            peer = make(transport)
            try:
                for size in (8, 1 << 20):
                    sent, got = pb.ipc_round_trip(peer, size)
                    self.assertEqual(size, len(sent))
                    self.assertEqual(sent, got, transport)
                    self.assertEqual(pb.IPC_BATCH * size, pb.ipc_stream(peer, size, bytes(size)), transport)
            finally:
                peer.close()
            if transport == "pipe":  # the peer ended by itself when its Pipe closed, not killed after a timeout
                self.assertEqual(0, peer.process.exitcode)

    def test_many_producers_deliver_every_message_once_through_a_queue_and_through_pipes(self):
        for transport in ("queue", "pipes"):
            for k in (1, 3):
                group = pb.IpcProducers(transport, k, messages=1000)
                processes = list(group.processes)
                pids = [p.pid for p in processes]
                try:
                    self.assertEqual(k, len(pids))
                    for _ in range(2):  # a second round: the round number in every message changes
                        self.assertEqual(1000, group.round_trip(), (transport, k))
                    self.assertEqual([334, 333, 333] if k == 3 else [1000], group.tally.counts)
                finally:
                    group.close()
                for pid in pids:
                    self.assertFalse(os.path.exists("/proc/%d" % pid) and _alive(pid), (transport, k, pid))
                # each ended by itself when its Pipe closed (a kill after the join's timeout would be -9)
                self.assertEqual([0] * k, [p.exitcode for p in processes], (transport, k))
        with self.assertRaises(ValueError):
            pb.IpcProducers("carrier-pigeon", 2)

    def test_many_producer_tally_catches_a_lost_a_repeated_a_garbled_and_a_stale_message(self):
        import struct

        def message(round_, p, seq, check=None):
            return struct.pack(">iiii", round_, p, seq, pb.ipc_check(p, seq) if check is None else check)

        tally = pb.IpcTally(2, 5)  # producer 0 sends 3, producer 1 sends 2
        self.assertEqual([3, 2], [pb.ipc_share(p, 2, 5) for p in range(2)])
        everything = [message(7, 0, 0), message(7, 1, 0), message(7, 0, 1), message(7, 0, 2), message(7, 1, 1)]
        tally.start(7)
        for m in everything:
            tally.add(m)
        tally.verify()  # all there, in any order
        # lost: one short
        tally.start(7)
        for m in everything[:-1]:
            tally.add(m)
        with self.assertRaisesRegex(pb.CheckFailed, "producer 1 delivered 1 of its 2"):
            tally.verify()
        # repeated: caught when it arrives
        tally.start(7)
        tally.add(everything[0])
        with self.assertRaisesRegex(pb.CheckFailed, "arrived twice"):
            tally.add(everything[0])
        # garbled, stale (another round), unknown producer or number, too short
        for bad, why in ((message(7, 0, 1, check=12345), "garbled"), (message(6, 0, 1), "round 6 arrived"),
                         (message(7, 2, 0), "not one of"), (message(7, 1, 2), "not one of"), (b"\0" * 8, "shorter")):
            tally.start(7)
            with self.assertRaisesRegex(pb.CheckFailed, why):
                tally.add(bad)
        # the same check words as Java's MessageTally.check
        self.assertEqual(-1724029546, pb.ipc_check(0, 0))
        self.assertEqual(-283307673, pb.ipc_check(3, 77))

    def test_plain_numbers(self):
        self.assertEqual("0.00001", pb.plain(1e-05))
        self.assertEqual("1234.5", pb.plain(1234.5))
        self.assertEqual("2", pb.plain(2.0))
        self.assertEqual("12", pb.plain(12))
        self.assertEqual("", pb.plain(None))
        self.assertEqual("", pb.plain(float("nan")))

    def test_pinned_restores_the_mask(self):
        before = os.sched_getaffinity(0)
        with pb.pinned(1, before):
            self.assertEqual(1, len(os.sched_getaffinity(0)))
            self.assertEqual({1}, pb.Sequential(1, None).cpus_seen())
        self.assertEqual(before, os.sched_getaffinity(0))

    def test_quick_scaling_gives_the_short_jobs_more_iterations_at_the_most_cores_only(self):
        args = type("Args", (), dict(run_id="t", profile="quick", workloads=["factorial"], iteration_seconds=None,
                                     tiny=True, download_url_template=None, workers_per_core=1))()
        runner = pb.Runner(args, os.sched_getaffinity(0))
        below = runner.scaling_profile("factorial", False)
        self.assertEqual((16, 0.3), (below.iterations, below.iteration_seconds))
        top = runner.scaling_profile("factorial", True)
        self.assertEqual((60, 0.0), (top.iterations, top.iteration_seconds), "factorial: one job per iteration")
        self.assertEqual((40, 0.3), (runner.scaling_profile("squares", True).iterations,
                                     runner.scaling_profile("squares", True).iteration_seconds))
        self.assertEqual(16, runner.scaling_profile("download", True).iterations)
        args.profile = "full"
        full = pb.Runner(args, os.sched_getaffinity(0))
        self.assertEqual(pb.PROFILES["full"], full.scaling_profile("factorial", True))

    def test_a_k_core_slice_starts_on_the_fastest_cpu(self):
        allowed = os.sched_getaffinity(0)
        if len(allowed) < 2:
            self.skipTest("needs two CPUs")
        args = type("Args", (), dict(run_id="t", profile="quick", workloads=["squares"], iteration_seconds=None,
                                     tiny=True, download_url_template=None, workers_per_core=1))()
        runner = pb.Runner(args, allowed)
        slowest_first = sorted(allowed)
        runner.cpus = pb.Cpus(allowed, probe=lambda c: 1.0 if c == slowest_first[0] else 0.5)
        masks = []
        real = pb.apply_mask
        pb.apply_mask = lambda mask, children=None: masks.append(set(mask)) or real(mask, children)
        try:
            runner.pin_sequential(len(allowed))
            runner.pin_sequential(1)
        finally:
            pb.apply_mask = real
            real(allowed, [])
        fastest = {slowest_first[1]}
        self.assertEqual([fastest, set(allowed), fastest], masks, "k cores: the fastest first, then every CPU")

    def test_an_iteration_of_zero_seconds_runs_exactly_one_job(self):
        calls = []
        score, ops = pb.run_iteration(lambda: calls.append(1) or len(calls), lambda r: None, 0.0)
        self.assertEqual((1, 1), (ops, len(calls)))
        self.assertGreater(score, 0)

    def test_quick_measures_one_worker_at_1_core_only_for_the_check_and_pool_map_with_its_own_chunk_size(self):
        args = type("Args", (), dict(run_id="t", profile="quick", workloads=["factorial", "squares", "download"],
                                     iteration_seconds=None, tiny=True, download_url_template=None,
                                     workers_per_core=1))()
        runner = pb.Runner(args, os.sched_getaffinity(0))
        job = type("Job", (), dict(tasks=1000))()

        def names(specs):
            return [(cls.name, chunksize, method) for cls, chunksize, method in specs]

        measured, skipped = runner.scaling_contenders(1, 2, "factorial", job)
        self.assertEqual([("py-thread-pool", 1, "fork"), ("py-process-pool", 0, "fork")], names(measured))
        for workload in ("squares", "download"):
            measured, skipped = runner.scaling_contenders(1, 2, workload, job)
            self.assertEqual([], measured, workload)
            self.assertTrue(any("only where the run checks it" in note for _, note in skipped), workload)
        measured, skipped = runner.scaling_contenders(2, 2, "factorial", job)
        self.assertNotIn(("py-process-pool", 1, "fork"), names(measured))
        self.assertIn(("py-process-pool-executor", 1, "fork"), names(measured))
        self.assertEqual([("py-process-pool", 1, "fork")], names(spec for spec, _ in skipped))
        args.profile = "full"
        full = pb.Runner(args, os.sched_getaffinity(0))
        self.assertIn(("py-process-pool", 1, "fork"), names(full.scaling_contenders(2, 2, "factorial", job)[0]))
        self.assertEqual([("py-thread-pool", 1, "fork"), ("py-process-pool", 0, "fork"), ("py-process-pool", 1, "fork"),
                          ("py-process-pool-executor", 1, "fork")],
                         names(full.scaling_contenders(1, 2, "download", job)[0]), "full: every pool at 1 core")

    def test_slices_cut_the_inputs_into_near_equal_consecutive_runs(self):
        self.assertEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]], pb.slices(list(range(10)), 3))
        self.assertEqual([[0], [1]], pb.slices([0, 1], 12))
        cut = pb.slices(list(range(1000)), 12)
        self.assertEqual(list(range(1000)), [x for part in cut for x in part])
        self.assertEqual({83, 84}, {len(part) for part in cut})

    @unittest.skipIf(CPUS < 2, "needs two CPUs")
    def test_sequential_paired_switches_core_counts_slice_by_slice_in_abba_order(self):
        seen = []  # (input, CPUs this process may use while the task ran)
        masks = []  # the mask itself

        def task(x):
            seen.append((x, len(os.sched_getaffinity(0))))
            masks.append(frozenset(os.sched_getaffinity(0)))
            return x + 1

        inputs = list(range(24))
        runner = _paired_runner(pb.Job("factorial", task, inputs, [x + 1 for x in inputs]))
        runner.sequential_paired([1, 2])
        # the warm-up (one job pair in smoke), then the measured jobs: all slice by slice, the order flipping
        # from one slice to the next across jobs
        warm = 2 * len(inputs)
        measured = seen[warm:]
        self.assertEqual(pb.PROFILES["smoke"].iterations * 2 * len(inputs), len(measured))
        parts = pb.slices(inputs, pb.SEQUENTIAL_SLICES)
        i = 0
        for turn, part in enumerate(parts * (1 + pb.PROFILES["smoke"].iterations)):
            for cores in ((1, 2) if turn % 2 == 0 else (2, 1)):
                self.assertEqual([(x, cores) for x in part], seen[i:i + len(part)])
                i += len(part)
        i = 0
        for turn, part in enumerate(parts * pb.PROFILES["smoke"].iterations, start=len(parts)):
            for cores in ((1, 2) if turn % 2 == 0 else (2, 1)):
                self.assertEqual([(x, cores) for x in part], measured[i:i + len(part)])
                i += len(part)
        # a 1-core slice runs on one of the run's CPUs (the fastest of the moment), a 2-core slice on every CPU here
        order = sorted(os.sched_getaffinity(0))
        measured_masks = masks[warm:]
        i = 0
        for turn, part in enumerate(parts * pb.PROFILES["smoke"].iterations, start=len(parts)):
            for cores in ((1, 2) if turn % 2 == 0 else (2, 1)):
                slice_masks = {frozenset(m) for m in measured_masks[i:i + len(part)]}
                self.assertEqual(1, len(slice_masks), "one mask per slice")
                mask = next(iter(slice_masks))
                self.assertEqual(cores, len(mask))
                self.assertTrue(mask <= set(order), mask)
                i += len(part)
        rows = [r for r in runner.rows if r["backend"] == "py-sequential"]
        self.assertEqual(["1", "2"], [r["cores"] for r in rows])
        self.assertTrue(all(float(r["score"]) > 0 for r in rows))


    @unittest.skipIf(CPUS < 2, "needs two CPUs")
    def test_the_one_core_pools_take_their_turns_with_the_sequential_pairs(self):
        seen = []  # (input, who ran it, CPUs its thread may use)

        def task(x):
            who = "main" if threading.current_thread() is threading.main_thread() else "pool"
            seen.append((x, who, len(os.sched_getaffinity(0))))
            return x + 1

        inputs = list(range(24))
        runner = _paired_runner(pb.Job("factorial", task, inputs, [x + 1 for x in inputs]))
        runner.sequential_paired([1, 2], {"factorial": [(pb.ThreadPool, 1, "fork")]})
        # each round: the pairs' job slice by slice (1, 2, then 2, 1, ... across rounds too) and the one-worker pool's
        # whole job on one CPU, the pairs first in even rounds and last in odd ones, warm-up and measurement alike
        parts = pb.slices(inputs, pb.SEQUENTIAL_SLICES)
        expected = []
        turn = 0
        for r in range(1 + pb.PROFILES["smoke"].iterations):
            pairs = []
            for part in parts:
                for cores in ((1, 2) if turn % 2 == 0 else (2, 1)):
                    pairs += [(x, "main", cores) for x in part]
                turn += 1
            pool = [(x, "pool", 1) for x in inputs]
            expected += pairs + pool if r % 2 == 0 else pool + pairs
        self.assertEqual(expected, seen)
        rows = {(r["backend"], r["cores"]): r for r in runner.rows}
        self.assertEqual({("py-sequential", "1"), ("py-sequential", "2"), ("py-thread-pool", "1")}, set(rows))
        pool = rows[("py-thread-pool", "1")]
        self.assertEqual(("1", "1", "ok"), (pool["workers"], pool["chunksize"], pool["status"]))
        self.assertIn("api=concurrent.futures.ThreadPoolExecutor.map", pool["params"])
        self.assertTrue(all(float(r["score"]) > 0 for r in rows.values()))
        # the pool's iterations carry the machine readings of the rounds they ran in, as sequential's do
        readings = [r for r in runner.iterations if r[4] == "py-thread-pool" and r[13] == pb.MACHINE_METRIC]
        self.assertEqual(pb.PROFILES["smoke"].iterations, len(readings))

    def test_only_factorials_one_core_pools_join_the_pairs_and_only_with_1_among_the_core_counts(self):
        args = type("Args", (), dict(run_id="t", profile="quick", workloads=["factorial", "squares"],
                                     iteration_seconds=0.0, tiny=True, download_url_template=None,
                                     workers_per_core=1))()
        runner = pb.Runner(args, os.sched_getaffinity(0))
        beside = runner.scaling_beside([1, 2])
        self.assertEqual({"factorial"}, set(beside))
        self.assertEqual({"py-thread-pool", "py-process-pool"}, {spec[0].name for spec in beside["factorial"]})
        self.assertEqual({}, runner.scaling_beside([2]))

    def test_a_wrong_answer_from_a_one_core_pool_in_the_pairs_names_the_pool(self):
        in_pool = lambda x: x + (2 if threading.current_thread() is not threading.main_thread() else 1)
        runner = _paired_runner(pb.Job("factorial", in_pool, [1, 2, 3], [2, 3, 4]))
        with self.assertRaises(pb.CheckFailed) as caught:
            runner.sequential_paired(sorted({1, CPUS}), {"factorial": [(pb.ThreadPool, 1, "fork")]})
        self.assertIn("py-thread-pool chunksize=1 cores=1", str(caught.exception))


def _paired_runner(job):
    """A smoke-profile runner whose factorial job is ``job``: for :meth:`Runner.sequential_paired` on a test task."""
    args = type("Args", (), dict(run_id="t", profile="smoke", workloads=["factorial"], iteration_seconds=0.0,
                                 tiny=True, download_url_template=None, workers_per_core=1))()
    runner = pb.Runner(args, os.sched_getaffinity(0))
    runner.jobs["factorial"] = job
    return runner


def _masks_of_worker(_):
    """A pool task: this worker's CPU mask."""
    return tuple(sorted(os.sched_getaffinity(0)))


class TurnsTest(unittest.TestCase):

    def test_alternation_index_is_javas(self):
        self.assertEqual([0, 1, 1, 0, 0, 1], [pb.alternation_index(i, 2) for i in range(6)])
        self.assertEqual([0, 1, 2, 2, 1, 0, 0], [pb.alternation_index(i, 3) for i in range(7)])
        self.assertEqual([0, 0], [pb.alternation_index(i, 1) for i in range(2)])
        with self.assertRaises(ValueError):
            pb.alternation_index(-1, 2)

    def test_the_fastest_cpus_win_the_probe_which_is_reused_for_a_while(self):
        probed = []
        speed = {1: 0.030, 3: 0.010, 5: 0.020}

        def probe(cpu):
            probed.append(cpu)
            return speed[cpu]
        cpus = pb.Cpus({5, 1, 3}, probe, max_age_s=3600)
        self.assertEqual({3}, cpus.fastest(1))
        self.assertEqual([1, 3, 5], probed, "every CPU probed")
        self.assertEqual({3, 5}, cpus.fastest(2), "the ranking is reused within its age")
        self.assertEqual([1, 3, 5], probed)
        self.assertEqual({1, 3, 5}, cpus.fastest(3), "every CPU, unprobed")
        fresh = pb.Cpus({5, 1, 3}, probe, max_age_s=0)
        probed.clear()
        fresh.fastest(1)
        speed[1] = 0.001
        self.assertEqual({1}, fresh.fastest(1), "a new probe follows the machine")
        self.assertEqual([1, 3, 5, 5, 3, 1], probed, "forward, then backward")
        with self.assertRaises(pb.CheckFailed):
            cpus.fastest(4)

    def test_the_real_probe_times_each_cpu(self):
        cpus = pb.Cpus(os.sched_getaffinity(0), max_age_s=0)
        if cpus.n > 1:
            mask = cpus.fastest(1)
            self.assertEqual(1, len(mask))
            self.assertEqual(set(cpus.order), set(cpus.last))
            self.assertTrue(all(t > 0 for t in cpus.last.values()))
        pb.apply_mask(cpus.order, [])

    @unittest.skipIf(CPUS < 2, "needs two CPUs")
    def test_contenders_take_turns_abba_and_every_worker_follows_the_mask(self):
        order = sorted(os.sched_getaffinity(0))
        cpus = pb.Cpus(order)
        ran = []  # (contender, masks its op saw: main thread, then each worker)

        def contender(name, backend_class, chunksize):
            @contextlib.contextmanager
            def trial():
                with pb.opened(backend_class, 2, chunksize, 1) as backend:
                    def op():
                        seen = set(backend.map(_masks_of_worker, range(8)))
                        ran.append((name, tuple(sorted(os.sched_getaffinity(0))), seen))
                        return seen
                    yield op
            return pb.Contender(name, trial, lambda seen: None)

        profile = pb.Profile("t", 1, 1, 0.0, 2, 0.0)
        log = []
        results = pb.take_turns([contender("threads", pb.ThreadPool, 1), contender("processes", pb.ProcessPool, 1)],
                                profile, 1, cpus, 0.0, log)
        self.assertEqual(2, len(results))
        self.assertTrue(all(m.iterations == 2 for m in results))
        # warm-up: A B; measurement: A B B A; each on one CPU, the fastest of the moment
        self.assertEqual([("threads", 0, "warmup"), ("processes", 0, "warmup"), ("threads", 1, "measure"),
                          ("processes", 1, "measure"), ("processes", 2, "measure"), ("threads", 2, "measure")],
                         [(k, i, phase) for k, _, i, phase, _ in log])
        for key, _, i, _, mask in log:
            self.assertEqual(1, len(mask), key)
            self.assertTrue(set(mask) <= set(order), key)
        # one op per iteration (0 s iterations); the op ran on the logged mask, and so did every worker it reached
        self.assertEqual([k for k, *_ in log], [name for name, _, _ in ran])
        for (key, _, _, _, mask), (_, main, workers) in zip(log, ran):
            self.assertEqual(mask, main)
            self.assertEqual({mask}, workers, key)
        self.assertEqual(set(order), os.sched_getaffinity(0), "every CPU again afterwards")

    def test_probe_parts_number_the_iterations(self):
        import io as _io
        answers = _io.StringIO("@invocation 7\n@ok\n")
        asked = _io.StringIO()
        args = type("Args", (), dict(run_id="t", profile="smoke", workloads=["factorial"], iteration_seconds=0.0,
                                     tiny=True, download_url_template=None, workers_per_core=1,
                                     start_methods=["fork"]))()
        runner = pb.Runner(args, os.sched_getaffinity(0), pb.Probe(True, answers, asked))
        top = len(os.sched_getaffinity(0))
        with pb.pinned(top, os.sched_getaffinity(0)):
            runner.creation(top)
        lines = asked.getvalue().splitlines()
        self.assertEqual(2, len(lines))
        self.assertTrue(lines[0].startswith("@probe begin\tcreation\tCPython creation: pyThread"), lines[0])
        self.assertTrue(lines[0].endswith("\t%d" % top))
        self.assertEqual("@probe end\t7", lines[1])
        self.assertTrue(runner.iterations)
        self.assertEqual({"7"}, {it[-1] for it in runner.iterations})


def upper_tail(t, df, steps=20000):
    """P(T > t) for Student's t with df degrees of freedom (Simpson's rule on x = t + y / (1 - y))."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def f(y):
        if y >= 1:
            return 0.0
        x = t + y / (1 - y)
        return c * (1 + x * x / df) ** (-(df + 1) / 2) / (1 - y) ** 2

    h = 1.0 / steps
    total = f(0) + f(1)
    for i in range(1, steps):
        total += (4 if i % 2 else 2) * f(i * h)
    return total * h / 3


if __name__ == "__main__":
    unittest.main()
