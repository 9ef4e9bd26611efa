package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;
import org.poolbench.results.Units;

/**
 * Whether a recorded run reproduces: its rows against the rows of a new run of the same plan, judged on what does not
 * depend on the machine's absolute speed (docs/METHODOLOGY.md, "Reproducing a run"). Rows in, verdicts out: nothing
 * here runs or reads anything.
 *
 * <ul>
 *   <li>each claim of "What the measurements say" ({@link ClaimsView}), JVM and CPython: the same verdict or not;</li>
 *   <li>headline figures that are ratios of two times of one run (speedups per core count, process-pool over
 *   thread-pool, creation ratios): an equivalence test with a tolerance, Holm's correction over all of them;</li>
 *   <li>crossover task sizes (granularity) and lost-update shares (sync): rules on a grid and on shares, no test;</li>
 *   <li>absolute times: listed with their ratio and the machines' ratio beside them, never judged.</li>
 * </ul>
 *
 * @param figures   the claims and headline figures, in report order
 * @param times     every point both runs timed: machine-dependent, not judged
 * @param machine   the machines' ceiling readings
 * @param rule      the rule applied, in words
 */
public record Reproduction(List<Figure> figures, List<Time> times, Machine machine, String rule) {

    /** The default tolerance: a figure may move by this fraction (either way) and still reproduce. */
    public static final double TOLERANCE = 0.10;
    /** The family-wise error rate of the tests (Holm). */
    public static final double ALPHA = 0.05;
    /** JMH's score error is a 99.9 % half-width; divided by this it is a standard error (normal approximation). */
    static final double Z_999 = 3.2905;
    private static final double Z_95 = 1.96;

    /** What became of one claim or figure. */
    public enum Verdict {
        REPRODUCED("reproduced"), NOT_REPRODUCED("not reproduced"), NOT_COMPARABLE("not comparable");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One claim or figure, recorded against now. For claims the values are the verdicts in words and the intervals
     * are empty; for figures, values and 95 % intervals formatted, {@code ratio} now/recorded and {@code p} the test's
     * p-value (null where no test applies).
     *
     * @param kind  claim, speedup, process-pool over thread-pool, creation ratio, crossover, lost updates
     * @param why   what the verdict rests on (the Holm limit, the reason it is not comparable, …)
     */
    public record Figure(String kind, String name, String recorded, String recordedInterval, String now,
                         String nowInterval, Double ratio, Double p, Verdict verdict, String why) {
    }

    /** An absolute time of one point in both runs (µs); {@code ratio} is now over recorded. */
    public record Time(String point, Integer cores, double recordedMicros, double nowMicros, double ratio) {
    }

    /**
     * The machines side by side: {@code spinRatio} is now over recorded for the spin loop on one thread (the single
     * core's speed; null without ceiling rows in both), {@code ceilings} per core count the machine ceiling (the spin
     * loop on k threads against one) recorded and now.
     */
    public record Machine(Double spinRatio, Map<Integer, double[]> ceilings) {

        /** The ratio now/recorded of the ceiling at {@code cores}, or null. */
        public Double ceilingRatio(Integer cores) {
            double[] c = cores == null ? null : ceilings.get(cores);
            return c == null || Double.isNaN(c[0]) || Double.isNaN(c[1]) ? null : c[1] / c[0];
        }
    }

    /** True when every claim and figure that could be compared reproduced. */
    public boolean reproduced() {
        return failures().isEmpty();
    }

    /** The claims and figures that did not reproduce. */
    public List<Figure> failures() {
        return figures.stream().filter(f -> f.verdict() == Verdict.NOT_REPRODUCED).toList();
    }

    /** How many figures got {@code v}. */
    public long count(Verdict v) {
        return figures.stream().filter(f -> f.verdict() == v).count();
    }

    /**
     * The rows of a run restricted as {@code reproduce --families/--workloads} restricts the new one: the families
     * given (all when null) and, for rows that name a workload of {@code workloadNames}, the workloads given (all
     * when null). Rows of other workloads (the ceiling's spin loop, sync's counters) are kept with their family.
     */
    public static List<ResultRow> restrict(List<ResultRow> rows, List<String> families, List<String> workloads,
                                           List<String> workloadNames) {
        return rows.stream().filter(r -> families == null || families.contains(r.family()))
                .filter(r -> workloads == null || r.workload() == null || !workloadNames.contains(r.workload())
                        || workloads.contains(r.workload()))
                .toList();
    }

    /**
     * The comparison.
     *
     * @param recorded        the recorded run's rows (already restricted to what was re-run)
     * @param now             the new run's rows
     * @param speedupFamilies the families whose speedups are recomputed from the times (the registry's)
     * @param coresNow        the CPUs this machine lets a run use: points above it are not comparable
     * @param pythonNow       whether this machine ran the CPython baseline
     * @param tolerance       the fraction a figure may move and still reproduce ({@link #TOLERANCE})
     */
    public static Reproduction of(List<ResultRow> recorded, List<ResultRow> now, Set<String> speedupFamilies,
                                  int coresNow, boolean pythonNow, double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance " + tolerance + " is not a fraction from 0 to below 1");
        }
        List<ResultRow> rec = Speedups.fill(recorded, speedupFamilies).stream().filter(ResultRow::measured).toList();
        List<ResultRow> cur = Speedups.fill(now, speedupFamilies).stream().filter(ResultRow::measured).toList();
        Context cx = new Context(coresNow, pythonNow, shortCeilings(rec, cur, tolerance));
        List<Figure> out = new ArrayList<>(claims(rec, cur, cx));
        List<Pending> tested = new ArrayList<>();
        tested.addAll(speedups(recorded, rec, now, cur, cx));
        tested.addAll(poolOverThreads(rec, cur, cx));
        tested.addAll(creationRatios(rec, cur, cx));
        List<Figure> judged = holm(tested, tolerance);
        out.addAll(judged);
        long tests = judged.stream().filter(f -> f.p() != null).count();
        out.addAll(crossovers(rec, cur, cx));
        out.addAll(lostShares(rec, cur, cx));
        String rule = "figures: reproduced unless the difference between recorded and now exceeds ±"
                + Format.percent(tolerance) + " significantly (one-sided test of |ln(now/recorded)| > ln(1 + "
                + Format.number(tolerance) + "), standard errors from JMH's 99.9 % half-widths), Holm's correction"
                + " over the " + tests + " tests at a family-wise "
                + Format.percent(ALPHA) + "; claims: the same verdict; crossovers: the same task size or the next"
                + " one on the grid; lost updates: none in both, or some in both within 25 points";
        return new Reproduction(List.copyOf(out), MachineSide.times(rec, cur), MachineSide.machine(rec, cur), rule);
    }

    /** What decides comparability: this machine's CPUs and whether CPython ran here. */
    private record Context(int coresNow, boolean pythonNow, Map<Integer, String> shortCeilings) {

        /** Why a JVM speedup at {@code cores} cannot be compared, or null: the machine's ceiling fell short there. */
        String shortCeiling(Integer cores, boolean python) {
            return cores == null || python ? null : shortCeilings.get(cores);
        }

        /** Why a figure of {@code cores} and {@code python} cannot be compared here, or null. */
        String notComparable(Integer cores, boolean python) {
            if (cores != null && cores > coresNow) {
                return "needs " + cores + " cores; this machine has " + coresNow;
            }
            if (python && !pythonNow) {
                return "the CPython baseline did not run here";
            }
            return null;
        }
    }

    /** A ratio with its standard error on the log scale (0: none known). */
    private record Estimate(double value, double logSe) {

        static Estimate time(ResultRow r) {
            return new Estimate(Rows.micros(r), Units.relativeError(r) / Z_999);
        }

        Estimate over(Estimate o) {
            return new Estimate(value / o.value, Math.hypot(logSe, o.logSe));
        }

        String interval() {
            return logSe == 0 ? "" : "[" + Format.number(value * Math.exp(-Z_95 * logSe)) + ", "
                    + Format.number(value * Math.exp(Z_95 * logSe)) + "]";
        }
    }

    /** A figure waiting for Holm: its p-value, or a fixed verdict (not comparable) with its reason. */
    private record Pending(String kind, String name, Estimate recorded, Estimate now, Double p, String why) {
    }

    /**
     * Core counts at which this machine's ceiling (the spin loop on k threads against one) fell short of the
     * recorded one: the top of its 99.9 % interval more than the tolerance below the recorded value. Such a machine
     * did not give k cores' worth of parallel work while it measured (loaded, throttled, or fewer real cores than it
     * shows), so its speedups at k say nothing about the recorded ones.
     */
    static Map<Integer, String> shortCeilings(List<ResultRow> rec, List<ResultRow> cur, double tolerance) {
        Map<Integer, Point> now = new TreeMap<>();
        ScalingView.ceiling(cur).forEach(p -> now.put((int) p.x(), p));
        Map<Integer, String> out = new TreeMap<>();
        for (Point a : ScalingView.ceiling(rec)) {
            Point b = now.get((int) a.x());
            if (b != null && b.y() + b.error() < a.y() / (1 + tolerance)) {
                out.put((int) a.x(), "this machine's ceiling at " + (int) a.x() + " cores was " + Format.times(b.y())
                        + " ± " + Format.number(b.error()) + " against " + Format.times(a.y()) + " recorded: it did not"
                        + " give " + (int) a.x() + " cores' worth of parallel work while it measured");
            }
        }
        return out;
    }

    // ---- claims

    /** The claims about CPU-bound work on several cores (their verdicts rest on parallel speedups). */
    private static final Set<String> CPU_CLAIMS = Set.of("Use processes for CPU-bound work (they beat threads there).",
            "Threads cannot speed up CPU-bound work.");

    private static List<Figure> claims(List<ResultRow> rec, List<ResultRow> cur, Context cx) {
        ClaimsView a = ClaimsView.of(rec);
        ClaimsView b = ClaimsView.of(cur);
        List<Figure> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        // the claims on CPU-bound parallel work rest on the most cores measured: a short ceiling there voids them
        String shortTop = cx.shortCeiling(rec.stream().filter(r -> "scaling".equals(r.family()) && r.cores() != null)
                .map(ResultRow::cores).max(Integer::compare).orElse(null), false);
        for (int i = 0; i < a.claims().size(); i++) {
            ClaimsView.Claim ca = a.claims().get(i);
            ClaimsView.Claim cb = b == null ? null : b.claims().stream()
                    .filter(c -> c.claim().equals(ca.claim())).findFirst().orElse(null);
            boolean parallel = CPU_CLAIMS.contains(ca.claim()) && shortTop != null;
            out.add(claim(ca.claim() + " (JVM)", ca.jvmOutcome(), cb == null ? null : cb.jvmOutcome(),
                    cb == null ? "" : cb.jvm(), false, cx, parallel ? shortTop : null));
            out.add(claim(ca.claim() + " (CPython)", ca.pythonOutcome(), cb == null ? null : cb.pythonOutcome(),
                    cb == null ? "" : cb.python(), true, cx, null));
        }
        return out.stream().filter(Objects::nonNull).toList();
    }

    private static Figure claim(String name, ClaimsView.Outcome a, ClaimsView.Outcome b, String evidence,
                                boolean python, Context cx, String shortCeiling) {
        if (a == ClaimsView.Outcome.NOT_MEASURED) {
            return null; // the recorded run says nothing here: nothing to reproduce
        }
        String rec = a.toString();
        String now = b == null ? ClaimsView.Outcome.NOT_MEASURED.toString() : b.toString();
        String why;
        Verdict v;
        String reason = cx.notComparable(null, python);
        if (reason == null) {
            reason = shortCeiling;
        }
        if (reason != null) {
            v = Verdict.NOT_COMPARABLE;
            why = reason;
        } else if (a == ClaimsView.Outcome.NOT_RESOLVED || b == ClaimsView.Outcome.NOT_RESOLVED) {
            v = Verdict.NOT_COMPARABLE;
            why = "not resolved by the run's own checks";
        } else if (b == null || b == ClaimsView.Outcome.NOT_MEASURED) {
            v = Verdict.NOT_COMPARABLE;
            why = "not measured now";
        } else {
            v = a == b ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
            why = (a == b ? "same verdict" : "different verdict") + (evidence.isEmpty() ? "" : "; now " + evidence);
        }
        return new Figure("claim", name, rec, "", now, "", null, null, v, why);
    }

    // ---- tested figures

    /** What identifies a point across runs and code versions: the point key without the load's own parameters. */
    static List<Object> key(ResultRow r) {
        Map<String, String> params = new TreeMap<>(r.paramMap());
        params.keySet().removeAll(Set.of("fileBytes", "latencyMs", "increments"));
        return List.of(Objects.toString(r.family(), ""), Objects.toString(r.benchmark(), ""),
                Objects.toString(r.workload(), ""), Objects.toString(r.backend(), ""), Objects.toString(r.cores(), ""),
                Objects.toString(r.workers(), ""), Objects.toString(r.taskSize(), ""),
                Objects.toString(r.chunksize(), ""), params.toString());
    }

    static Map<List<Object>, ResultRow> byKey(List<ResultRow> rows) {
        Map<List<Object>, ResultRow> out = new LinkedHashMap<>();
        rows.forEach(r -> out.putIfAbsent(key(r), r));
        return out;
    }

    static String describe(ResultRow r) {
        StringBuilder sb = new StringBuilder(Objects.toString(r.workload(), r.benchmark()) + ", " + r.backend());
        if (r.cores() != null) {
            sb.append(", ").append(r.cores()).append(r.cores() == 1 ? " core" : " cores");
        }
        if (r.workers() != null) {
            sb.append(", ").append(r.workers()).append(r.workers() == 1 ? " worker" : " workers");
        }
        if (r.chunksize() != null && r.chunksize() > 0) {
            sb.append(", chunksize ").append(r.chunksize());
        }
        String method = r.param("start_method");
        if (method != null && r.backend() != null && !r.backend().contains("[")) {
            sb.append(", ").append(method);
        }
        return sb.toString();
    }

    /** Every scaling speedup of the recorded run (not the baselines themselves), with its interval. */
    private static List<Pending> speedups(List<ResultRow> recAll, List<ResultRow> rec, List<ResultRow> curAll,
                                          List<ResultRow> cur, Context cx) {
        Map<List<Object>, ResultRow> now = byKey(cur);
        List<Pending> out = new ArrayList<>();
        for (ResultRow r : rec) {
            if (!"scaling".equals(r.family()) || r.speedup() == null) {
                continue;
            }
            ResultRow base = Speedups.baseline(rec, r);
            if (base == null || key(base).equals(key(r))) {
                continue;
            }
            Estimate a = Estimate.time(base).over(Estimate.time(r));
            ResultRow n = now.get(key(r));
            ResultRow nBase = n == null ? null : Speedups.baseline(cur, n);
            Estimate b = n == null || nBase == null ? null : Estimate.time(nBase).over(Estimate.time(n));
            Pending p = pending("speedup", describe(r), a, b, r.cores(), Rows.isPython(r.backend()), cx);
            String short_ = cx.shortCeiling(r.cores(), Rows.isPython(r.backend()));
            out.add(p.why == null && short_ != null ? new Pending(p.kind, p.name, a, b, null, short_) : p);
        }
        return out;
    }

    /** The pool of processes over the pool of threads (time of threads / time of processes), per point. */
    private static List<Pending> poolOverThreads(List<ResultRow> rec, List<ResultRow> cur, Context cx) {
        List<Pending> out = new ArrayList<>();
        for (String[] pair : List.of(new String[] {"process-pool", "thread-pool"},
                new String[] {"py-process-pool", "py-thread-pool"})) {
            Map<List<Object>, Estimate> a = pairRatios(rec, pair[0], pair[1]);
            Map<List<Object>, Estimate> b = pairRatios(cur, pair[0], pair[1]);
            for (Map.Entry<List<Object>, Estimate> e : a.entrySet()) {
                List<Object> k = e.getKey();
                out.add(pending("process-pool over thread-pool", k.get(0) + ", " + pair[0] + " over " + pair[1]
                        + ", " + count(k.get(1), "core") + ", " + count(k.get(2), "worker"), e.getValue(), b.get(k),
                        (Integer) k.get(1), pair[0].startsWith("py-"), cx));
            }
        }
        return out;
    }

    private static String count(Object n, String noun) {
        return n + " " + noun + ("1".equals(String.valueOf(n)) ? "" : "s");
    }

    /** (workload, cores, workers) → time of {@code threads} over time of {@code processes} (speedup ratio). */
    private static Map<List<Object>, Estimate> pairRatios(List<ResultRow> rows, String processes, String threads) {
        Map<List<Object>, Estimate> out = new LinkedHashMap<>();
        Comparator<ResultRow> chunk = Comparator.comparing(r -> Objects.requireNonNullElse(r.chunksize(), 0));
        for (ResultRow p : rows.stream().filter(r -> "scaling".equals(r.family()) && processes.equals(r.backend())
                && r.param("start_method") != null == processes.startsWith("py-")).sorted(chunk).toList()) {
            List<Object> k = List.of(Objects.toString(p.workload(), ""), p.cores(), p.workers());
            if (out.containsKey(k)) {
                continue;
            }
            rows.stream().filter(t -> "scaling".equals(t.family()) && threads.equals(t.backend())
                            && Objects.equals(t.workload(), p.workload()) && Objects.equals(t.cores(), p.cores())
                            && Objects.equals(t.workers(), p.workers())).min(chunk)
                    .ifPresent(t -> out.put(k, Estimate.time(t).over(Estimate.time(p))));
        }
        return out;
    }

    /** The creation family's ratios between a process and a thread (and a thread and a virtual thread). */
    private static List<Pending> creationRatios(List<ResultRow> rec, List<ResultRow> cur, Context cx) {
        List<Pending> out = new ArrayList<>();
        String[][] pairs = {{"jvm", "fork", "platformThread", "a worker JVM over a platform thread"},
                {"nativeProcess", "fork", "platformThread", "a native process over a platform thread"},
                {"platformThread", "fork", "virtualThread", "a platform thread over a virtual thread"},
                {"pyProcess", "fork", "pyThread", "a CPython process (fork) over a CPython thread"},
                {"pyProcess", "spawn", "pyThread", "a CPython process (spawn) over a CPython thread"},
                {"pyProcess", "forkserver", "pyThread", "a CPython process (forkserver) over a CPython thread"}};
        for (String[] p : pairs) {
            Optional<Estimate> a = creation(rec, p[0], p[1], p[2]);
            if (a.isPresent()) {
                out.add(pending("creation ratio", p[3], a.get(), creation(cur, p[0], p[1], p[2]).orElse(null),
                        null, p[0].startsWith("py"), cx));
            }
        }
        return out;
    }

    private static Optional<Estimate> creation(List<ResultRow> rows, String slow, String method, String fast) {
        Optional<ResultRow> s = creationRow(rows, slow, method);
        Optional<ResultRow> f = creationRow(rows, fast, "fork");
        return s.isPresent() && f.isPresent() ? Optional.of(Estimate.time(s.get()).over(Estimate.time(f.get())))
                : Optional.empty();
    }

    private static Optional<ResultRow> creationRow(List<ResultRow> rows, String benchmark, String method) {
        return rows.stream().filter(r -> "creation".equals(r.family()) && benchmark.equals(r.benchmark())
                && (r.workers() == null || r.workers() == 1) && Rows.micros(r) != null
                && Objects.requireNonNullElse(r.param("start_method"), "fork").equals(method)).findFirst();
    }

    private static Pending pending(String kind, String name, Estimate a, Estimate b, Integer cores, boolean python,
                                   Context cx) {
        String reason = cx.notComparable(cores, python);
        if (reason == null && b == null) {
            reason = "not measured now";
        }
        return new Pending(kind, name, a, b, null, reason);
    }

    /**
     * The p-value of "the figure moved by more than the tolerance": one-sided, on the log scale, where the
     * difference of the logs has the two standard errors combined; 0 or 1 when neither side has an error estimate.
     */
    static double pValue(double recorded, double recordedLogSe, double now, double nowLogSe, double tolerance) {
        double d = Math.abs(Math.log(now / recorded));
        double margin = Math.log1p(tolerance);
        double se = Math.hypot(recordedLogSe, nowLogSe);
        if (se == 0) {
            return d > margin ? 0 : 1;
        }
        return 1 - new NormalDistribution().cumulativeProbability((d - margin) / se);
    }

    /** Holm's step-down over the comparable figures: rejected ones did not reproduce. */
    private static List<Figure> holm(List<Pending> pending, double tolerance) {
        List<Pending> withP = new ArrayList<>();
        for (Pending p : pending) {
            withP.add(p.why == null ? new Pending(p.kind, p.name, p.recorded, p.now, pValue(p.recorded.value,
                    p.recorded.logSe, p.now.value, p.now.logSe, tolerance), null) : p);
        }
        List<Pending> tested = withP.stream().filter(p -> p.p != null)
                .sorted(Comparator.comparingDouble(Pending::p)).toList();
        int m = tested.size();
        Map<Pending, Double> rejected = new java.util.IdentityHashMap<>();
        Map<Pending, Double> limits = new java.util.IdentityHashMap<>();
        boolean stopped = false;
        for (int i = 0; i < m; i++) {
            double limit = ALPHA / (m - i);
            limits.put(tested.get(i), limit);
            if (!stopped && tested.get(i).p <= limit) {
                rejected.put(tested.get(i), limit);
            } else {
                stopped = true;
            }
        }
        List<Figure> out = new ArrayList<>();
        for (Pending p : withP) {
            String rec = Format.number(p.recorded.value);
            if (p.p == null) {
                out.add(new Figure(p.kind, p.name, rec, p.recorded.interval(), p.now == null ? "" :
                        Format.number(p.now.value), p.now == null ? "" : p.now.interval(), p.now == null ? null
                        : p.now.value / p.recorded.value, null, Verdict.NOT_COMPARABLE, p.why));
                continue;
            }
            boolean bad = rejected.containsKey(p);
            out.add(new Figure(p.kind, p.name, rec, p.recorded.interval(), Format.number(p.now.value),
                    p.now.interval(), p.now.value / p.recorded.value, p.p,
                    bad ? Verdict.NOT_REPRODUCED : Verdict.REPRODUCED,
                    (bad ? "moved beyond ±" : "within ±") + Format.percent(tolerance) + " (p "
                            + String.format(java.util.Locale.ROOT, "%.2g", p.p) + (bad ? " ≤ " : ", Holm limit ")
                            + String.format(java.util.Locale.ROOT, "%.2g", limits.get(p)) + ")"));
        }
        return out;
    }

    // ---- rule-based figures

    /** Granularity: the smallest task size from which a pool stays faster than sequential, per workload and pool. */
    private static List<Figure> crossovers(List<ResultRow> rec, List<ResultRow> cur, Context cx) {
        List<Figure> out = new ArrayList<>();
        Map<String, TreeMap<Long, ResultRow>> a = granularity(rec);
        Map<String, TreeMap<Long, ResultRow>> b = granularity(cur);
        for (Map.Entry<String, TreeMap<Long, ResultRow>> e : a.entrySet()) {
            String[] wb = e.getKey().split("\u0000");
            if (Rows.isSequential(wb[1])) {
                continue;
            }
            String base = Rows.isPython(wb[1]) ? "py-sequential" : "sequential";
            TreeMap<Long, ResultRow> seqA = a.get(wb[0] + "\u0000" + base);
            if (seqA == null) {
                continue;
            }
            GranularityView.Crossover ca = GranularityView.crossover(e.getValue(), seqA);
            String name = wb[0] + ", " + wb[1] + " against " + base;
            String reason = cx.notComparable(e.getValue().firstEntry().getValue().cores(), Rows.isPython(wb[1]));
            TreeMap<Long, ResultRow> now = b.get(e.getKey());
            TreeMap<Long, ResultRow> seqB = b.get(wb[0] + "\u0000" + base);
            if (reason == null && (now == null || seqB == null)) {
                reason = "not measured now";
            }
            String was = ca == null ? "never" : "n = " + ca.taskSize();
            if (reason != null) {
                out.add(new Figure("crossover", name, was, "", "", "", null, null, Verdict.NOT_COMPARABLE, reason));
                continue;
            }
            GranularityView.Crossover cb = GranularityView.crossover(now, seqB);
            List<Long> grid = new ArrayList<>(e.getValue().keySet());
            boolean same;
            if (ca == null || cb == null) {
                same = ca == cb;
            } else {
                int ia = grid.indexOf(ca.taskSize());
                int ib = grid.indexOf(cb.taskSize());
                same = ia >= 0 && ib >= 0 && Math.abs(ia - ib) <= 1;
            }
            out.add(new Figure("crossover", name, was, "", cb == null ? "never" : "n = " + cb.taskSize(), "", null,
                    null, same ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED,
                    same ? "the same size or the next on the grid " + grid : "more than one step apart on the grid "
                            + grid));
        }
        return out;
    }

    /** workload + NUL + backend → task size → row, at each backend's usual chunk size. */
    private static Map<String, TreeMap<Long, ResultRow>> granularity(List<ResultRow> rows) {
        List<ResultRow> g = GranularityView.atUsualChunk(rows.stream().filter(r -> "granularity".equals(r.family())
                && r.taskSize() != null && r.tasks() != null && Rows.micros(r) != null).toList());
        Map<String, TreeMap<Long, ResultRow>> out = new TreeMap<>();
        for (ResultRow r : g) {
            out.computeIfAbsent(r.workload() + "\u0000" + r.backend(), k -> new TreeMap<>())
                    .putIfAbsent(r.taskSize(), r);
        }
        return out;
    }

    /** Sync: the share of updates lost, per backend, primitive and contenders. */
    private static List<Figure> lostShares(List<ResultRow> rec, List<ResultRow> cur, Context cx) {
        Map<List<Object>, Double> a = shares(rec);
        Map<List<Object>, Double> b = shares(cur);
        List<Figure> out = new ArrayList<>();
        for (Map.Entry<List<Object>, Double> e : a.entrySet()) {
            List<Object> k = e.getKey();
            String name = k.get(0) + ", " + k.get(2) + ", " + k.get(1) + " contenders";
            String reason = cx.notComparable((Integer) k.get(3), Rows.isPython((String) k.get(0)));
            Double now = b.get(k);
            if (reason == null && now == null) {
                reason = "not measured now";
            }
            String was = Format.percent(e.getValue());
            if (reason != null) {
                out.add(new Figure("lost updates", name, was, "", now == null ? "" : Format.percent(now), "", null,
                        null, Verdict.NOT_COMPARABLE, reason));
                continue;
            }
            boolean same = (e.getValue() == 0) == (now == 0) && Math.abs(e.getValue() - now) <= 0.25;
            out.add(new Figure("lost updates", name, was, "", Format.percent(now), "", null, null,
                    same ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED, e.getValue() == 0 || now == 0
                    ? (same ? "none lost in both" : "lost in one run only")
                    : (same ? "lost in both, within 25 points" : "lost in both, more than 25 points apart")));
        }
        return out;
    }

    /** (backend, contenders, primitive, cores) → lost updates / updates, from sync's counter rows. */
    private static Map<List<Object>, Double> shares(List<ResultRow> rows) {
        Map<List<Object>, Double> out = new LinkedHashMap<>();
        Predicate<ResultRow> sync = r -> "sync".equals(r.family()) && r.benchmark() != null && r.score() != null;
        for (ResultRow lost : rows.stream().filter(sync.and(r -> r.benchmark().endsWith(":lostUpdates"))).toList()) {
            String method = lost.benchmark().substring(0, lost.benchmark().length() - ":lostUpdates".length());
            rows.stream().filter(sync.and(r -> r.benchmark().equals(method + ":updates")
                            && Objects.equals(r.backend(), lost.backend()) && Objects.equals(r.workers(), lost.workers())
                            && Objects.equals(r.params(), lost.params()) && r.score() > 0)).findFirst()
                    .ifPresent(u -> out.putIfAbsent(List.of(lost.backend(), lost.workers() == null ? "?" :
                            lost.workers(), Objects.requireNonNullElse(lost.param("primitive"), method),
                            lost.cores() == null ? 0 : lost.cores()), lost.score() / u.score()));
        }
        return out;
    }
}
