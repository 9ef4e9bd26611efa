package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.poolbench.results.ResultRow;

/** The caption under every figure: which run, how many cores, which JDK and profile, then what the marks mean. */
public final class Caption {

    private Caption() {
    }

    /**
     * {@code run <id> · measured with 1–2 cores of 2 logical cores on the machine · JDK … · profile quick}, a line
     * break, {@code note}, and how many points of the figure's family were skipped by design.
     */
    public static String of(Map<String, String> env, List<ResultRow> rows, String note, long skipped) {
        String caption = header(env, rows) + (note == null || note.isBlank() ? "" : "\n" + note.trim());
        if (skipped == 0) {
            return caption;
        }
        return caption + (caption.contains("\n") ? " " : "\n") + skipped + (skipped == 1 ? " point" : " points")
                + " skipped by design (see the notes in results.csv).";
    }

    private static String header(Map<String, String> env, List<ResultRow> rows) {
        List<String> parts = new ArrayList<>();
        String run = env.getOrDefault("run_id", rows.isEmpty() ? null : rows.get(0).runId());
        if (run != null) {
            parts.add("run " + run);
        }
        TreeSet<Integer> cores = rows.stream().map(ResultRow::cores).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        String logical = env.get("logical_cores");
        String machine = env.get("machine_cores") != null ? env.get("machine_cores") : logical;
        String coresText = cores.isEmpty() ? "" : "measured with " + (cores.size() == 1 ? cores.first()
                : cores.first() + "–" + cores.last()) + " cores";
        if (machine != null) {
            coresText += (coresText.isEmpty() ? "" : " of ") + machine + " logical cores on the machine";
            if (logical != null && !logical.equals(machine)) {
                coresText += " (" + logical + " usable by the harness)";
            }
        }
        if (!coresText.isEmpty()) {
            parts.add(coresText);
        }
        String jdk = String.join(" ", Stream.of(env.get("jdk_vendor"), env.get("jdk_version"))
                .filter(Objects::nonNull).toList());
        if (!jdk.isEmpty()) {
            parts.add("JDK " + jdk);
        }
        if (env.get("profile") != null) {
            parts.add("profile " + env.get("profile"));
        }
        return String.join(" · ", parts);
    }
}
