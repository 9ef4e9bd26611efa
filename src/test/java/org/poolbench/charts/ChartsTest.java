package org.poolbench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.cli.Family;
import org.poolbench.results.Environment;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;

/** Draws the fictional 16-core run in {@code src/test/resources/fictional-16core}, which holds every family. */
class ChartsTest {

    static final Path FIXTURE = Path.of("src/test/resources/fictional-16core");

    static final List<String> EXPECTED = List.of("scaling-factorial", "scaling-squares", "creation-overhead",
            "granularity", "granularity-chunksize", "io-concurrency", "resource-memory");

    private static final Map<String, String> TITLES = Map.of(
            "scaling-factorial", "Speedup vs cores: factorial",
            "creation-overhead", "Cost of creating",
            "granularity", "Task granularity",
            "io-concurrency", "Download throughput vs concurrency",
            "resource-memory", "Memory per backend");

    @Test
    void drawsEveryChartAsPngAndSvg() throws Exception {
        List<ResultRow> rows = ResultsCsv.read(FIXTURE.resolve("results.csv"));
        Map<String, String> env = Environment.read(FIXTURE.resolve("environment.csv"));
        // Under target/ rather than a temporary directory, so that a person can look at them after the build.
        Path out = Path.of("target/charts-test");
        List<Path> files = Family.drawAll(Family.analyse(rows, env), out);

        Set<String> names = files.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        for (String chart : EXPECTED) {
            assertTrue(names.contains(chart + ".png"), chart + ".png in " + names);
            assertTrue(names.contains(chart + ".svg"), chart + ".svg in " + names);
            assertTrue(names.contains(chart + ".pdf"), chart + ".pdf in " + names);
        }
        assertEquals(3 * EXPECTED.size(), files.size(), names.toString());

        for (Path f : files) {
            assertTrue(Files.size(f) > 1000, f + " is not empty");
            if (f.toString().endsWith(".png")) {
                BufferedImage image = ImageIO.read(f.toFile());
                assertNotNull(image, f + " decodes");
                assertEquals(Figure.WIDTH, image.getWidth());
                assertEquals(Figure.HEIGHT, image.getHeight());
            } else if (f.toString().endsWith(".pdf")) {
                assertTrue(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("%PDF-"), f + " is a PDF");
            } else {
                DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
                // The SVG names the W3C DTD; parse offline.
                xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                var doc = xml.newDocumentBuilder().parse(f.toFile());
                assertEquals("svg", doc.getDocumentElement().getNodeName(), f.toString());
            }
        }
        for (var title : TITLES.entrySet()) {
            String svg = Files.readString(out.resolve(title.getKey() + ".svg"));
            assertTrue(svg.contains(title.getValue()), title.getKey() + ".svg has its title");
            assertTrue(svg.contains("run 20261122-031500"), title.getKey() + ".svg has its caption");
        }
    }

    @Test
    void drawsNothingForNoRowsAndSkipsMissingFamilies(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), Family.drawAll(Family.analyse(List.of(), Map.of()), dir));
        List<ResultRow> onlyCreation = ResultsCsv.read(FIXTURE.resolve("results.csv")).stream()
                .filter(r -> "creation".equals(r.family())).toList();
        List<Path> files = Family.drawAll(Family.analyse(onlyCreation, Map.of()), dir);
        assertEquals(List.of(dir.resolve("creation-overhead.png"), dir.resolve("creation-overhead.svg"),
                dir.resolve("creation-overhead.pdf")), files);
    }

    @Test
    void drawsTheManyProducersChartWhenTheyWereMeasured(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = new java.util.ArrayList<>();
        for (int k : new int[] {1, 2, 4}) {
            for (String t : List.of("ring", "pipes")) {
                rows.add(ResultRow.builder().runId("R").family("ipc").benchmark("manyProducers").backend("processes")
                        .mode("thrpt").status("ok").cores(2).workers(k).score(t.equals("ring") ? 5e6 / k : 4e5)
                        .scoreError(1e4).unit("ops/s").params("messageBytes=16;transport=" + t).build());
            }
        }
        Set<String> names = Family.drawAll(Family.analyse(rows, Map.of("run_id", "R")), dir).stream()
                .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertTrue(names.contains("ipc-producers.png") && names.contains("ipc-producers.svg"), names.toString());
        assertTrue(Files.readString(dir.resolve("ipc-producers.svg")).contains("Many producers, one consumer"));
    }
}
