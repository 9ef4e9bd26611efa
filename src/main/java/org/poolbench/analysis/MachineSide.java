package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;

/** The machine-dependent side of a {@link Reproduction}: absolute times, and the two machines' spin and ceilings. */
final class MachineSide {

    private MachineSide() {
    }

    static List<Reproduction.Time> times(List<ResultRow> rec, List<ResultRow> cur) {
        Map<List<Object>, ResultRow> now = Reproduction.byKey(cur);
        List<Reproduction.Time> out = new ArrayList<>();
        for (ResultRow r : rec) {
            ResultRow n = now.get(Reproduction.key(r));
            if (n != null && Rows.micros(r) != null && Rows.micros(n) != null && Rows.micros(r) > 0) {
                out.add(new Reproduction.Time(r.family() + ": " + Reproduction.describe(r), r.cores(), Rows.micros(r), Rows.micros(n),
                        Rows.micros(n) / Rows.micros(r)));
            }
        }
        return out;
    }

    static Reproduction.Machine machine(List<ResultRow> rec, List<ResultRow> cur) {
        Double spin = null;
        Optional<ResultRow> a = oneSpin(rec);
        Optional<ResultRow> b = oneSpin(cur);
        if (a.isPresent() && b.isPresent()) {
            spin = Rows.micros(b.get()) / Rows.micros(a.get());
        }
        Map<Integer, double[]> ceilings = new TreeMap<>();
        ScalingView.ceiling(rec).forEach(p -> ceilings.put((int) p.x(), new double[] {p.y(), Double.NaN}));
        ScalingView.ceiling(cur).forEach(p -> ceilings.computeIfAbsent((int) p.x(),
                k -> new double[] {Double.NaN, Double.NaN})[1] = p.y());
        return new Reproduction.Machine(spin, ceilings);
    }

    private static Optional<ResultRow> oneSpin(List<ResultRow> rows) {
        return rows.stream().filter(r -> "ceiling".equals(r.family()) && Integer.valueOf(1).equals(r.workers())
                && r.cores() != null && Rows.micros(r) != null).min(Comparator.comparing(ResultRow::cores));
    }
}
