#!/usr/bin/env python3
"""Checks a run against the [validity] targets, from its CSVs only (standard library).

    python3 python/validity_check.py results/<run-id>

Prints: sequential (and py-sequential) time at the top core count over 1 core per workload (target 0.95..1.05), and
beside it the same ratio from the pairs of iterations that ran next to each other (the points take turns, so
iteration i at 1 core and iteration i at k cores are neighbours in time): their median with the sign test's 95 %
interval (the figure RunChecks checks), which a slow stretch of the machine on one side of a few pairs does not move,
and their geometric mean beside it; the
share of JVM scaling points at the top core count whose relative error (score_error / score) is at most 10 % (target
at least 80 %); the machine's ceiling from the ceiling family; and the points whose measured iterations drift (mean of
the last third minus the first third, over the mean; see IterationsCsv.drift), i.e. whose warm-up was too short.
Needs a run with at least two core counts for the first line (quick or full, not smoke).
"""
import csv, math, sys, statistics as st
run = sys.argv[1]
rows = list(csv.DictReader(open(run + "/results.csv")))
it = list(csv.DictReader(open(run + "/iterations.csv")))


def paired(backend, workload, k):
    """Median of the k-core / 1-core ratios of neighbouring iterations, and its distribution-free 95 % interval."""
    v = {1: {}, k: {}}
    for r in it:
        if (r["family"], r["backend"], r["workload"], r["metric"]) == ("scaling", backend, workload, "primary") \
                and int(r["cores"]) in v:
            v[int(r["cores"])][(r["fork"], int(r["iteration"]))] = float(r["value"])
    ratios = sorted(v[k][i] / v[1][i] for i in v[1] if i in v[k])
    n = len(ratios)
    if n < 6:
        return ""
    # the sign test's interval [r(l), r(n+1-l)]: l the largest rank with P(B <= l - 1) <= 2.5 %, B ~ Bin(n, 1/2)
    l = 1
    while sum(math.comb(n, j) for j in range(l + 1)) / 2 ** n <= 0.025:
        l += 1
    return "  paired: median %.3f [%.3f, %.3f] of %d pairs (geometric mean %.3f)" % (
        st.median(ratios), ratios[l - 1], ratios[n - l], n, math.exp(st.fmean(math.log(x) for x in ratios)))
ok = [r for r in rows if r["status"] == "ok" and r["score"]]
top = max(int(r["cores"]) for r in ok if r["family"] == "scaling")
print("sequential k-core / 1-core time (target within 0.95..1.05):")
for be in ("sequential", "py-sequential"):
    for w in ("factorial", "squares", "download"):
        s = {int(r["cores"]): float(r["score"]) for r in ok if r["family"] == "scaling" and r["backend"] == be and r["workload"] == w}
        if 1 in s and top in s:
            print("  %-14s %-10s %.3f%s" % (be, w, s[top] / s[1], paired(be, w, top)))
pts = [r for r in ok if r["family"] == "scaling" and int(r["cores"]) == top and not r["backend"].startswith("py-")]
good = [r for r in pts if r["score_error"] and float(r["score_error"]) / float(r["score"]) <= 0.10]
print("scaling points at %d cores with relative error <= 10%%: %d of %d (%.0f%%; target >= 80%%)" % (top, len(good), len(pts), 100 * len(good) / max(1, len(pts))))
try:
    py = [r for r in csv.DictReader(open(run + "/python-results.csv"))
          if r["status"] == "ok" and r["score"] and r["family"] == "scaling" and int(r["cores"]) == top]
    good = [r for r in py if r["score_error"] and float(r["score_error"]) / float(r["score"]) <= 0.10]
    print("CPython scaling points at %d cores with relative error <= 10%%: %d of %d (%.0f%%; target >= 80%%)"
          % (top, len(good), len(py), 100 * len(good) / max(1, len(py))))
    for r in py:
        if r not in good:
            print("  %.1f%%  %s %s chunksize=%s" % (100 * float(r["score_error"] or "nan") / float(r["score"]),
                                                   r["backend"], r["workload"], r["chunksize"]))
except FileNotFoundError:
    pass
seq1 = {r["workload"]: r for r in ok if r["family"] == "scaling" and r["backend"] == "sequential" and r["cores"] == "1"}
print("one-worker pool over sequential at 1 core (target within 0.90..1.10 on factorial; the other workloads'"
      " tiny tasks or waits pay the pool's messages on the one core, shown without a target):")
for r in ok:
    if r["family"] == "scaling" and r["cores"] == "1" and r["workers"] == "1" and r["backend"] in ("thread-pool", "process-pool") \
            and r["workload"] in seq1:
        s0, e0 = float(seq1[r["workload"]]["score"]), float(seq1[r["workload"]]["score_error"] or 0)
        s1, e1 = float(r["score"]), float(r["score_error"] or 0)
        q = s1 / s0
        print("  %-13s %-10s %.3f ± %.3f%s" % (r["backend"], r["workload"], q, q * math.hypot(e0 / s0, e1 / s1),
                                             "" if r["workload"] == "factorial" else "  (no target)"))
c = {(int(r["cores"]), int(r["workers"])): float(r["score"]) for r in ok if r["family"] == "ceiling"}
ce = {(int(r["cores"]), int(r["workers"])): float(r["score_error"] or 0) for r in ok if r["family"] == "ceiling"}
one = min((k for k, w in c if w == 1), default=None)  # the report's numerator: one thread on the fewest cores
for k in sorted({k for k, _ in c}):
    if one is not None and (k, k) in c and k > 1:
        ceil = c[(one, 1)] / c[(k, k)]
        err = ceil * math.hypot(ce[(one, 1)] / c[(one, 1)], ce[(k, k)] / c[(k, k)])
        above = []
        for r in ok:
            if r["family"] == "scaling" and int(r["cores"]) == k and r["workers"] == str(k) and r["speedup"] \
                    and r["workload"] in ("factorial", "squares") and r["workload"] in seq1 and not r["backend"].startswith("py-"):
                s0, e0 = float(seq1[r["workload"]]["score"]), float(seq1[r["workload"]]["score_error"] or 0)
                sp = float(r["speedup"])
                sp_err = sp * math.hypot(e0 / s0, float(r["score_error"] or 0) / float(r["score"]))
                if sp - sp_err > ceil + err:
                    above.append("%s %s %.2f" % (r["backend"], r["workload"], sp))
        best = max((float(r["speedup"]) for r in ok if r["family"] == "scaling" and int(r["cores"]) == k
                    and r["speedup"] and r["workload"] in ("factorial", "squares") and not r["backend"].startswith("py-")), default=float("nan"))
        print("ceiling at %d cores: %.2f ± %.2f; highest CPU-bound speedup %.2f; above the ceiling "
              "beyond both errors: %s" % (k, ceil, err, best, ", ".join(above) or "none"))
by = {}
for r in it:
    if r["metric"] == "primary" and r["fork"] == "1":
        by.setdefault(tuple(r[k] for k in ("family", "benchmark", "workload", "backend", "cores", "workers", "task_size", "chunksize", "tasks", "params")), []).append(float(r["value"]))
def drift(v):
    n = len(v); t = n // 3
    return 0 if n < 3 else (st.fmean(v[n - t:]) - st.fmean(v[:t])) / st.fmean(v)
bad = sorted(((drift(v), k) for k, v in by.items()), key=lambda x: x[0])
print("points whose measured iterations drift by more than 5%% (last third vs first third): %d of %d" % (sum(abs(d) > 0.05 for d, _ in bad), len(bad)))
for d, k in bad[:5]:
    print("  %+.0f%%  %s" % (100 * d, " ".join(x for x in k if x)))
