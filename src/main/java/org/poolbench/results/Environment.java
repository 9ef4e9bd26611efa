package org.poolbench.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVPrinter;

/**
 * {@code environment.csv}: what a reader needs to know about the machine and software a run was made with, as
 * {@code key,value} rows (header {@code key,value}).
 */
public final class Environment {

    /** Keys written by {@link #capture}, in order. */
    public static final List<String> KEYS = List.of("run_id", "profile", "start_time", "jdk_vendor", "jdk_version",
            "jvm_name", "jvm_flags", "os", "kernel", "cpu_model", "logical_cores", "machine_cores", "memory_total",
            "jmh_version", "poolbench_version", "git_commit", "load_average");

    private static final String UNKNOWN = "unknown";

    private Environment() {
    }

    /**
     * Describes this JVM and machine now. Every key of {@link #KEYS} is present; a value that cannot be found is
     * {@code unknown}. {@code logical_cores} is what this JVM may use (its affinity mask), {@code machine_cores} what
     * the machine has; {@code memory_total} is in kB as {@code /proc/meminfo} reports it.
     */
    public static Map<String, String> capture(String runId, String profile, Instant start) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("run_id", runId);
        env.put("profile", profile);
        env.put("start_time", start.toString());
        env.put("jdk_vendor", System.getProperty("java.vendor", UNKNOWN));
        env.put("jdk_version", System.getProperty("java.runtime.version", System.getProperty("java.version", UNKNOWN)));
        env.put("jvm_name", System.getProperty("java.vm.name", UNKNOWN));
        env.put("jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        env.put("os", System.getProperty("os.name", UNKNOWN) + " " + System.getProperty("os.arch", ""));
        env.put("kernel", firstNonBlank(command("uname", "-r"), System.getProperty("os.version")));
        env.put("cpu_model", firstNonBlank(cpuinfo("model name"), cpuinfo("Hardware"), cpuinfo("cpu model")));
        env.put("logical_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("machine_cores", firstNonBlank(processorCount(), command("nproc", "--all")));
        env.put("memory_total", firstNonBlank(meminfo("MemTotal"), physicalMemoryKb()));
        env.put("jmh_version", firstNonBlank(org.openjdk.jmh.util.Version.getPlainVersion()));
        env.put("poolbench_version", firstNonBlank(poolbenchVersion()));
        env.put("git_commit", firstNonBlank(command("git", "rev-parse", "--short", "HEAD")));
        env.put("load_average", firstNonBlank(loadAverage()));
        return env;
    }

    /** Writes {@code env} as {@code key,value} rows, replacing the file. */
    public static void write(Path file, Map<String, String> env) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, Csv.WRITE)) {
            printer.printRecord("key", "value");
            for (Map.Entry<String, String> e : env.entrySet()) {
                printer.printRecord(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
    }

    /**
     * Reads a file written by {@link #write}, in file order. Keys are not checked against {@link #KEYS}, so files
     * from other versions (or hand-made ones) read fine.
     *
     * @throws CsvFormatException if the file is missing or unreadable, lacks the {@code key} or {@code value} column,
     *                            or names a key twice
     */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Csv.Line line : Csv.read(file, List.of("key", "value"))) {
            String key = line.cells().get("key");
            if (key.isEmpty()) {
                throw new CsvFormatException(file + " line " + line.number() + ", column 'key': empty key");
            }
            if (env.putIfAbsent(key, line.cells().get("value")) != null) {
                throw new CsvFormatException(file + " line " + line.number() + ", column 'key': '" + key
                        + "' appears twice");
            }
        }
        return env;
    }

    private static String firstNonBlank(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c.trim();
            }
        }
        return UNKNOWN;
    }

    /** Standard output of a short command, or null if it is missing, fails or takes over five seconds. */
    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<String> lines(String path) {
        try {
            return Files.readAllLines(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The value of the first {@code /proc/cpuinfo} line whose key is {@code key}. */
    private static String cpuinfo(String key) {
        for (String line : lines("/proc/cpuinfo")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String processorCount() {
        long n = lines("/proc/cpuinfo").stream().filter(l -> l.matches("processor\\s*:.*")).count();
        return n > 0 ? Long.toString(n) : null;
    }

    private static String meminfo(String key) {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim().replaceAll("\\s+", " ");
            }
        }
        return null;
    }

    private static String physicalMemoryKb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / 1024 + " kB";
        }
        return null;
    }

    private static String loadAverage() {
        List<String> l = lines("/proc/loadavg");
        if (!l.isEmpty()) {
            String[] f = l.get(0).trim().split("\\s+");
            if (f.length >= 3) {
                return f[0] + " " + f[1] + " " + f[2];
            }
        }
        double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return one < 0 ? null : String.format(Locale.ROOT, "%.2f", one);
    }

    /** The project version, from the resource Maven filters at build time. */
    private static String poolbenchVersion() {
        try (InputStream in = Environment.class.getResourceAsStream("/org/poolbench/poolbench.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v == null || v.startsWith("${") ? null : v;
        } catch (IOException e) {
            return null;
        }
    }
}
