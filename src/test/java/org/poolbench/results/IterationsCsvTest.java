package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IterationsCsvTest {

    /** The families with {@code @AuxCounters}, as the registry (cli/Family) hands them to this floor. */
    static final java.util.Set<String> AUX_COUNTERS = java.util.Set.of("sync");

    @TempDir
    Path dir;

    /** Two forks of three iterations, with a secondary metric as {@code -prof gc} writes it. */
    private static final String TWO_FORKS = """
            [ {
              "benchmark" : "org.poolbench.bench.ScalingBenchmark.job",
              "mode" : "avgt",
              "params" : { "backend" : "thread-pool", "cores" : "2", "workers" : "2", "workload" : "factorial",
                           "latencyMs" : "20" },
              "primaryMetric" : { "score" : 2.0, "scoreError" : 0.5, "scoreUnit" : "ms/op",
                                  "rawData" : [ [ 1.5, 2.0, 2.5 ], [ 2.0, 2.0, "NaN" ] ] },
              "secondaryMetrics" : {
                "\\u00b7gc.alloc.rate" : { "score" : 10.0, "scoreUnit" : "MB/sec",
                                           "rawData" : [ [ 9.0, 10.0, 11.0 ], [ 10.0, 10.0, 10.0 ] ] }
              }
            } ]
            """;

    private Path twoForks() throws IOException {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, TWO_FORKS);
        return json;
    }

    @Test
    void everyIterationOfEveryMetricIsLabelledWithItsPoint() throws Exception {
        Path json = twoForks();
        List<ResultRow> points = JmhJson.convert(json, "r1", AUX_COUNTERS);
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(json, points);

        List<IterationsCsv.Iteration> primary = rows.stream().filter(r -> r.metric().equals("primary")).toList();
        assertEquals(5, primary.size(), "six raw values, one of them NaN");
        assertEquals(List.of(1.5, 2.0, 2.5, 2.0, 2.0), primary.stream().map(IterationsCsv.Iteration::value).toList());
        assertEquals(2, primary.get(3).fork());
        assertEquals(1, primary.get(3).iteration());
        assertTrue(primary.stream().allMatch(r -> r.unit().equals("ms/op") && r.mode().equals("avgt")));

        List<IterationsCsv.Iteration> gc = rows.stream().filter(r -> r.metric().equals("gc.alloc.rate")).toList();
        assertEquals(6, gc.size(), "the secondary metric without its leading dot");
        assertEquals("MB/sec", gc.get(0).unit());

        IterationsCsv.Iteration first = rows.get(0);
        assertEquals(points.get(0).pointKey(), first.pointKey(), "joins results.csv on the point key");
        assertEquals("r1", first.runId());
        assertEquals("latencyMs=20", first.params());
        assertEquals(2, first.cores());
    }

    /** Sequential alternating between 1 and 2 cores: two forks, the second cut short. */
    private static final String ALTERNATING = """
            [ {
              "benchmark" : "org.poolbench.bench.ScalingBenchmark.job",
              "mode" : "avgt",
              "params" : { "alternateCores" : "1/2", "backend" : "sequential", "cores" : "2", "workers" : "1",
                           "workload" : "factorial", "latencyMs" : "20" },
              "primaryMetric" : { "score" : 16.5, "scoreError" : 9.0, "scoreUnit" : "ms/op",
                                  "rawData" : [ [ 10.0, 20.0, 21.0, 11.0, 12.0, 22.0 ], [ 13.0, 23.0 ] ] }
            } ]
            """;

    @Test
    void anAlternatingResultIsSplitIntoOnePointPerCoreCount() throws Exception {
        Path json = dir.resolve("alternating.json");
        Files.writeString(json, ALTERNATING);
        List<ResultRow> points = JmhJson.convert(json, "r1", AUX_COUNTERS);
        assertEquals(2, points.size());
        assertEquals(List.of(1, 2), points.stream().map(ResultRow::cores).toList());
        assertEquals(11.5, points.get(0).score(), 1e-12, "iterations 1, 4, 5 of fork 1 and 1 of fork 2");
        assertEquals(21.5, points.get(1).score(), 1e-12);
        // four values 1 apart: sd = 1.291, t(0.9995, 3) = 12.924
        assertEquals(12.924 * 1.2910 / 2, points.get(0).scoreError(), 0.01);
        assertEquals("latencyMs=20", points.get(0).params(), "the way of measuring is not part of the point");
        assertTrue(points.get(0).note().contains("CPU mask switched"), points.get(0).note());

        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(json, points);
        Map<List<Object>, double[]> byPoint = IterationsCsv.valuesByPoint(rows, IterationsCsv.PRIMARY);
        assertEquals(List.of(10.0, 11.0, 12.0, 13.0),
                java.util.Arrays.stream(byPoint.get(points.get(0).pointKey())).boxed().toList());
        assertEquals(List.of(20.0, 21.0, 22.0, 23.0),
                java.util.Arrays.stream(byPoint.get(points.get(1).pointKey())).boxed().toList());
        assertEquals(List.of(1, 2, 3, 1), rows.stream().filter(r -> r.cores() == 1)
                .map(IterationsCsv.Iteration::iteration).toList(), "numbered within the point and fork");
        IOException e = assertThrows(IOException.class, () -> IterationsCsv.fromJmhJson(json, points.subList(0, 1)));
        assertTrue(e.getMessage().contains("stand for 2 points"), e.getMessage());
    }

    @Test
    void theCeilingTakingTurnsIsSplitIntoOneRowPerThreadCount() throws Exception {
        Path json = dir.resolve("ceiling.json");
        Files.writeString(json, """
                [ { "benchmark" : "org.poolbench.bench.CeilingBenchmark.spin", "mode" : "avgt",
                    "params" : { "alternateWorkers" : "1/2", "cores" : "2", "workers" : "2" },
                    "primaryMetric" : { "score" : 30.0, "scoreError" : 9.0, "scoreUnit" : "ms/op",
                                        "rawData" : [ [ 40.0, 20.0, 21.0, 41.0, 42.0, 22.0 ] ] } } ]
                """);
        List<ResultRow> points = JmhJson.convert(json, "r1", AUX_COUNTERS);
        assertEquals(List.of(1, 2), points.stream().map(ResultRow::workers).toList());
        assertEquals(List.of(2, 2), points.stream().map(ResultRow::cores).toList());
        assertEquals(41.0, points.get(0).score(), 1e-12);
        assertEquals(21.0, points.get(1).score(), 1e-12);
        assertEquals(null, points.get(0).params(), "the way of measuring is not part of the point");
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(json, points);
        assertEquals(List.of(40.0, 41.0, 42.0), rows.stream().filter(r -> r.workers() == 1)
                .map(IterationsCsv.Iteration::value).toList());

        String plain = Files.readString(json);
        Files.writeString(json, plain.replace("\"cores\" : \"2\"", "\"cores\" : \"2\", \"alternateCores\" : \"1/2\""));
        List<ResultRow> paired = JmhJson.convert(json, "r1", AUX_COUNTERS);
        assertEquals(List.of(1, 2), paired.stream().map(ResultRow::cores).toList(), "one thread on one core");
        assertEquals(List.of(1, 2), paired.stream().map(ResultRow::workers).toList());
        assertTrue(paired.get(0).note().contains("on cores 1/2"), paired.get(0).note());

        Files.writeString(json, plain.replace("\"cores\" : \"2\"", "\"cores\" : \"2\", \"backend\" : \"a/b\""));
        IOException e = assertThrows(IOException.class, () -> JmhJson.convert(json, "r1", AUX_COUNTERS));
        assertTrue(e.getMessage().contains("never alternates with several backends"), e.getMessage());
    }

    @Test
    void sequentialTakingTurnsWithTheFullCorePointsIsSplitIntoItsCoresAndTheirBackends() throws Exception {
        // points in turn order: sequential@1, sequential@2, thread-pool@2, process-pool@2; rounds forward, backward
        String json = """
                [{"benchmark": "org.poolbench.bench.ScalingBenchmark.job", "mode": "avgt",
                  "params": {"workload": "factorial", "backend": "sequential/thread-pool/process-pool",
                             "alternateCores": "1/2", "cores": "2", "workers": "2"},
                  "primaryMetric": {"score": 0, "scoreError": 0, "scoreUnit": "ms/op",
                    "rawData": [[300, 301, 160, 170, 171, 161, 302, 303]]}}]
                """;
        Path file = dir.resolve("together.json");
        Files.writeString(file, json);
        List<ResultRow> points = JmhJson.convert(file, "r1", AUX_COUNTERS);
        assertEquals(List.of("sequential@1x1", "sequential@2x1", "thread-pool@2x2", "process-pool@2x2"),
                points.stream().map(r -> r.backend() + "@" + r.cores() + "x" + r.workers()).toList());
        assertEquals(List.of(301.5, 301.5, 160.5, 170.5), points.stream().map(ResultRow::score).toList());
        assertTrue(points.get(2).note().contains("one JVM for sequential at cores 1/2 and backend"),
                points.get(2).note());
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(file, points);
        Map<List<Object>, double[]> byPoint = IterationsCsv.valuesByPoint(rows, IterationsCsv.PRIMARY);
        assertEquals(List.of(300.0, 303.0), java.util.Arrays.stream(byPoint.get(points.get(0).pointKey())).boxed()
                .toList());
        assertEquals(List.of(170.0, 171.0), java.util.Arrays.stream(byPoint.get(points.get(3).pointKey())).boxed()
                .toList());
    }

    @Test
    void anEntryWithItsOwnCoresAndWorkersIsSplitIntoAPointOfItsOwn() throws Exception {
        // points in turn order: sequential@1, sequential@2, thread-pool@2 with 2 workers, thread-pool@1:1
        String json = """
                [{"benchmark": "org.poolbench.bench.ScalingBenchmark.job", "mode": "avgt",
                  "params": {"workload": "factorial", "backend": "sequential/thread-pool/thread-pool@1:1",
                             "alternateCores": "1/2", "cores": "2", "workers": "2"},
                  "primaryMetric": {"score": 0, "scoreError": 0, "scoreUnit": "ms/op",
                    "rawData": [[300, 301, 160, 310, 311, 161, 302, 303]]}}]
                """;
        Path file = dir.resolve("own.json");
        Files.writeString(file, json);
        List<ResultRow> points = JmhJson.convert(file, "r1", AUX_COUNTERS);
        assertEquals(List.of("sequential@1x1", "sequential@2x1", "thread-pool@2x2", "thread-pool@1x1"),
                points.stream().map(r -> r.backend() + "@" + r.cores() + "x" + r.workers()).toList());
        assertEquals(List.of(301.5, 301.5, 160.5, 310.5), points.stream().map(ResultRow::score).toList());
        assertTrue(points.get(3).note().contains("own @cores:workers"), points.get(3).note());
        Map<List<Object>, double[]> byPoint = IterationsCsv.valuesByPoint(IterationsCsv.fromJmhJson(file, points),
                IterationsCsv.PRIMARY);
        assertEquals(4, byPoint.size(), "the two thread-pool points keep their iterations apart");
        assertEquals(List.of(310.0, 311.0), java.util.Arrays.stream(byPoint.get(points.get(3).pointKey())).boxed()
                .toList());
    }

    @Test
    void backendsTakingTurnsAtEachTaskSizeAreSplitIntoOnePointPerBackendAndSize() throws Exception {
        // points in turn order: sequential@300, process-pool@300, sequential@1000, process-pool@1000; rounds of four
        // forward, then backward
        String json = """
                [{"benchmark": "org.poolbench.bench.GranularityBenchmark.factorial", "mode": "avgt",
                  "params": {"backend": "sequential/process-pool", "taskSize": "300/1000", "cores": "2",
                             "workers": "2"},
                  "primaryMetric": {"score": 0, "scoreError": 0, "scoreUnit": "us/op",
                    "rawData": [[20, 150, 40, 30, 31, 41, 151, 21]]}}]
                """;
        Path file = dir.resolve("sizes.json");
        Files.writeString(file, json);
        List<ResultRow> points = JmhJson.convert(file, "r1", AUX_COUNTERS);
        assertEquals(List.of("sequential@300x1", "process-pool@300x2", "sequential@1000x1", "process-pool@1000x2"),
                points.stream().map(r -> r.backend() + "@" + r.taskSize() + "x" + r.workers()).toList());
        assertEquals(List.of(20.5, 150.5, 40.5, 30.5), points.stream().map(ResultRow::score).toList());
        assertTrue(points.stream().noneMatch(r -> r.params() != null && r.params().contains("taskSize")),
                "the list of sizes is not left in params: " + points.get(0).params());
        assertTrue(points.get(0).note().contains("task sizes 300/1000"), points.get(0).note());
        Map<List<Object>, double[]> byPoint = IterationsCsv.valuesByPoint(IterationsCsv.fromJmhJson(file, points),
                IterationsCsv.PRIMARY);
        assertEquals(List.of(30.0, 31.0), java.util.Arrays.stream(byPoint.get(points.get(3).pointKey())).boxed()
                .toList());

        Files.writeString(file, json.replace("\"cores\": \"2\"", "\"cores\": \"2\", \"alternateCores\": \"1/2\""));
        IOException e = assertThrows(IOException.class, () -> JmhJson.convert(file, "r1", AUX_COUNTERS));
        assertTrue(e.getMessage().contains("taskSize '300/1000' never alternates"), e.getMessage());
    }

    @Test
    void labelsComeFromTheRowsAsCompleted() throws Exception {
        Path json = twoForks();
        ResultRow completed = JmhJson.convert(json, "r1", AUX_COUNTERS).get(0);
        completed = completed.toBuilder().taskSize(null).chunksize(null).tasks(12).status("ok").note(null).build();
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(json, List.of(completed));
        assertTrue(rows.stream().allMatch(r -> r.tasks() == 12));
    }

    @Test
    void aDifferentNumberOfRowsThanResultsIsAnError() throws Exception {
        Path json = twoForks();
        IOException e = assertThrows(IOException.class, () -> IterationsCsv.fromJmhJson(json, List.of()));
        assertTrue(e.getMessage().contains("1 results, but 0 rows"), e.getMessage());
    }

    @Test
    void theJmhFixtureGivesOneRowPerRawValue() throws Exception {
        Path fixture = Path.of(IterationsCsvTest.class.getResource("/jmh-1.37.json").toURI());
        List<ResultRow> points = JmhJson.convert(fixture, "r", AUX_COUNTERS);
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(fixture, points);
        assertTrue(rows.size() >= points.size(), rows.size() + " rows for " + points.size() + " points");
        Map<List<Object>, double[]> byPoint = IterationsCsv.valuesByPoint(rows, IterationsCsv.PRIMARY);
        double[] seq = byPoint.get(points.get(2).pointKey());
        assertEquals(3, seq.length);
        assertEquals(points.get(2).score(), java.util.Arrays.stream(seq).average().orElseThrow(), 1e-12,
                "JMH's score is the mean of its raw iterations");
    }

    @Test
    void writeThenReadGivesTheSameRows() throws Exception {
        Path json = twoForks();
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(json,
                JmhJson.convert(json, "r1", AUX_COUNTERS));
        Path csv = dir.resolve("iterations.csv");
        IterationsCsv.write(csv, rows);
        assertEquals(rows, IterationsCsv.read(csv));
        assertTrue(Files.readString(csv).startsWith(String.join(",", IterationsCsv.COLUMNS)));
    }

    @Test
    void theInvocationTagOfEachResultIsKeptAndOlderFilesWithoutTheColumnStillRead() throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, TWO_FORKS.replace("\"mode\" : \"avgt\",",
                "\"mode\" : \"avgt\", \"" + IterationsCsv.INVOCATION_PROPERTY + "\" : 7,"));
        List<IterationsCsv.Iteration> rows = IterationsCsv.fromJmhJson(json,
                JmhJson.convert(json, "r1", AUX_COUNTERS));
        assertTrue(rows.stream().allMatch(r -> Integer.valueOf(7).equals(r.invocation())), rows.toString());
        Path csv = dir.resolve("iterations.csv");
        IterationsCsv.write(csv, rows);
        assertEquals(rows, IterationsCsv.read(csv), "the invocation survives a write and a read");

        Path old = dir.resolve("old.csv");
        Files.writeString(old, String.join(",", IterationsCsv.COLUMNS.subList(0, IterationsCsv.COLUMNS.size() - 1))
                + "\nr,scaling,job,factorial,sequential,1,1,,,12,,avgt,ms/op,primary,1,1,2.5\n");
        IterationsCsv.Iteration read = IterationsCsv.read(old).get(0);
        assertEquals(2.5, read.value(), 0);
        assertEquals(null, read.invocation(), "written before the column: not known");

        Files.writeString(json, TWO_FORKS.replace("\"mode\" : \"avgt\",",
                "\"mode\" : \"avgt\", \"" + IterationsCsv.INVOCATION_PROPERTY + "\" : \"first\","));
        IOException e = assertThrows(IOException.class,
                () -> IterationsCsv.fromJmhJson(json, JmhJson.convert(json, "r1", AUX_COUNTERS)));
        assertTrue(e.getMessage().contains("'\"first\"'"), e.getMessage());
    }

    @Test
    void aBadCellNamesLineAndColumn() throws Exception {
        Path csv = dir.resolve("iterations.csv");
        Files.writeString(csv, String.join(",", IterationsCsv.COLUMNS) + "\n"
                + "r,scaling,job,factorial,sequential,1,1,,,12,,avgt,ms/op,primary,1,1,abc,\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> IterationsCsv.read(csv));
        assertTrue(e.getMessage().contains("line 2, column 'value': 'abc' is not a number"), e.getMessage());
    }

    @Test
    void driftIsNearZeroForFlatIterationsAndNegativeWhileStillWarmingUp() {
        assertEquals(0.0, IterationsCsv.drift(new double[] {5, 5, 5, 5, 5, 5}), 1e-12);
        assertTrue(IterationsCsv.drift(new double[] {9, 8, 7, 5, 5, 5}) < -0.3);
        assertEquals(0.0, IterationsCsv.drift(new double[] {1, 2}), 1e-12, "too few values to tell");
    }

    @Test
    void secondaryMetricRowsDoNotCountAsResults() throws Exception {
        Path json = Path.of("src/test/resources/jmh-sync-1.37.json");
        List<ResultRow> rows = JmhJson.convert(json, "r1", AUX_COUNTERS);
        assertTrue(rows.stream().anyMatch(r -> r.benchmark().contains(":")), "the sync fixture has secondary rows");
        List<IterationsCsv.Iteration> its = IterationsCsv.fromJmhJson(json, rows);
        assertTrue(its.stream().noneMatch(i -> i.benchmark().contains(":")), "labelled by primary rows only");
        assertTrue(its.stream().anyMatch(i -> IterationsCsv.PRIMARY.equals(i.metric())));
    }
}
