"""The teaching material's small programs without a claim, in CPython (standard library only), one per lesson:
the Java CLI's ``./run-bench.sh lesson NAME`` runs each beside its Java twin (org.poolbench.examples.Programs,
SyncPrimitives) and shows the two outputs side by side.

    python3 python/lesson_programs.py four-processes|pool-pids|gamma-map|producer-consumer|event-semaphore
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time


def print_num(n):
    print("process %d (pid %d) prints %d" % (n, os.getpid(), n), flush=True)


def four_processes():
    """Four ``Process(target=print_num, args=(i,))``, all started, then all joined: the order varies."""
    processes = [multiprocessing.Process(target=print_num, args=(i,)) for i in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print("parent %d: all four joined" % os.getpid())


def pid_of(_task):
    return os.getpid()


def pool_pids():
    """Eight tasks through ``Pool(2).map``, each returning the pid that ran it."""
    with multiprocessing.Pool(2) as pool:
        pids = pool.map(pid_of, range(8), 1)
        print("parent pid: %d" % os.getpid())
        print("worker pids (the pool's): %s" % sorted(p.pid for p in multiprocessing.active_children()))
        for i, pid in enumerate(pids):
            print("task %d ran in pid %d" % (i, pid))


def gamma_map():
    """``Pool.map(math.gamma, xs)``: results in the order of the inputs."""
    xs = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 10.0]
    with multiprocessing.Pool(2) as pool:
        for x, g in zip(xs, pool.map(math.gamma, xs)):
            print("gamma(%s) = %.10g" % (x, g))


def produce(queue):
    for x in range(1, 9):
        queue.put(x * x)
    queue.put(None)


def consume(queue, out):
    got = []
    while True:
        item = queue.get()
        if item is None:
            break
        got.append(item)
    out.put("consumer (pid %d) got: %s, then the sentinel: done" % (os.getpid(), " ".join(map(str, got))))


def producer_consumer():
    """A producer ``Process`` puts the squares of 1..8 and ``None`` on a ``Queue``; a consumer takes until ``None``."""
    queue, out = multiprocessing.Queue(), multiprocessing.Queue()
    consumer = multiprocessing.Process(target=consume, args=(queue, out))
    producer = multiprocessing.Process(target=produce, args=(queue,))
    consumer.start()
    producer.start()
    producer.join()
    print("producer (pid %d) put: %s, then the sentinel" % (producer.pid, " ".join(str(x * x) for x in range(1, 9))))
    print(out.get(timeout=60))
    consumer.join()


def worker(go, two, inside, most, checked_in):
    with checked_in.get_lock():
        checked_in.value += 1
    go.wait(60)
    with two:
        with inside.get_lock():
            inside.value += 1
            most.value = max(most.value, inside.value)
        time.sleep(0.05)
        with inside.get_lock():
            inside.value -= 1


def event_semaphore():
    """Four processes wait on an ``Event``, then pass a ``Semaphore(2)``: never more than two inside at once."""
    go, two = multiprocessing.Event(), multiprocessing.Semaphore(2)
    inside, most, checked_in = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=worker, args=(go, two, inside, most, checked_in)) for _ in range(4)]
    for w in workers:
        w.start()
    while checked_in.value < 4:
        time.sleep(0.005)
    print("Event: 4 workers checked in and wait; none done yet: %s; set()" % all(w.is_alive() for w in workers))
    go.set()
    for w in workers:
        w.join()
    print("Semaphore(2): most workers inside at once: %d; permits free at the end: %d"
          % (most.value, two.get_value()))


PROGRAMS = {"four-processes": four_processes, "pool-pids": pool_pids, "gamma-map": gamma_map,
            "producer-consumer": producer_consumer, "event-semaphore": event_semaphore}


def main(argv):
    if len(argv) != 1 or argv[0] not in PROGRAMS:
        sys.stderr.write("lesson_programs.py: unknown program %r; valid: %s\n"
                         % (" ".join(argv), ", ".join(PROGRAMS)))
        return 2
    PROGRAMS[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
