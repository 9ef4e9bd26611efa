package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What differs between the environment a run recorded and this one, and what that means for reproducing it: the
 * table {@code reproduce} prints before it measures ({@link Reproduction} judges the figures themselves).
 */
public final class RunDifferences {

    private RunDifferences() {
    }

    /**
     * What differs between the recorded environment and this one, and what it means for the comparison: one row per
     * aspect (cores, CPU model, JDK, OS, CPython, collector, commit), {@code {aspect, recorded, now, meaning}}.
     */
    public static List<List<String>> of(Map<String, String> recorded, Map<String, String> now) {
        List<List<String>> out = new ArrayList<>();
        String rc = recorded.getOrDefault("logical_cores", "?");
        String nc = now.getOrDefault("logical_cores", "?");
        String measured = recorded.getOrDefault("cores_measured", rc);
        int here = parseInt(nc);
        List<String> above = java.util.Arrays.stream(measured.split(",")).map(String::strip)
                .filter(s -> parseInt(s) > here && here > 0).toList();
        out.add(List.of("cores", rc + " (measured " + measured + ")", nc, above.isEmpty()
                ? (rc.equals(nc) ? "same" : "every recorded core count fits here")
                : "points at " + String.join(", ", above) + " cores cannot be measured here: not comparable, not"
                + " failures"));
        out.add(row("CPU model", recorded, now, "cpu_model", "ratios are compared; absolute times only listed"));
        out.add(row("JDK", recorded, now, "jdk_version",
                "the JIT and the class library differ: a figure that moves may be the JDK's doing"));
        out.add(List.of("OS", recorded.getOrDefault("os", "?") + ", " + recorded.getOrDefault("kernel", "?"),
                now.getOrDefault("os", "?") + ", " + now.getOrDefault("kernel", "?"),
                Objects.equals(recorded.get("kernel"), now.get("kernel")) && Objects.equals(recorded.get("os"),
                        now.get("os")) ? "same" : "the scheduler differs: scaling may differ a little"));
        String rp = python(recorded);
        String np = python(now);
        out.add(List.of("CPython", rp, np, rp.equals("none") ? "no CPython figures recorded"
                : np.equals("none") ? "CPython figures not comparable" : majorMinor(rp).equals(majorMinor(np))
                ? "same version" : "another version: CPython figures may move for it"));
        String rg = collector(recorded);
        String ng = collector(now);
        out.add(List.of("collector", rg, ng, rg.equals(ng) ? "same" : "another collector: allocation-heavy points"
                + " may move"));
        out.add(List.of("commit", recorded.getOrDefault("git_commit", "unknown"), now.getOrDefault("git_commit",
                "unknown"), Objects.equals(recorded.get("git_commit"), now.get("git_commit")) ? "same code"
                : "the code differs: a figure that moves may be the code's doing"));
        return out;
    }

    private static List<String> row(String what, Map<String, String> a, Map<String, String> b, String key,
                                    String meaning) {
        String x = a.getOrDefault(key, "unknown");
        String y = b.getOrDefault(key, "unknown");
        return List.of(what, x, y, x.equals(y) ? "same" : meaning);
    }

    private static String python(Map<String, String> env) {
        String v = env.get("python_version");
        return v == null || v.isBlank() ? "none" : env.getOrDefault("python_implementation", "CPython") + " " + v;
    }

    private static String majorMinor(String python) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+)").matcher(python);
        return m.find() ? m.group(1) : python;
    }

    /** The collector of the benchmark JVMs: from the recorded settings, else the JVM's ergonomics. */
    static String collector(Map<String, String> env) {
        String s = env.getOrDefault("jvm_settings", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:\\+Use(\\w+)GC").matcher(s);
        if (m.find()) {
            return m.group(1);
        }
        return "ergonomics (G1 on 2+ CPUs, Serial on 1)";
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
