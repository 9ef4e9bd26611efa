package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void captureFillsEveryKeyAndSurvivesTheCsv() throws Exception {
        Map<String, String> env = Environment.capture("r1", "smoke", Instant.parse("2026-11-22T03:15:00Z"));
        assertEquals(Environment.KEYS, List.copyOf(env.keySet()));
        env.values().forEach(v -> assertFalse(v == null, "no null values"));
        assertEquals("2026-11-22T03:15:00Z", env.get("start_time"));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), env.get("logical_cores"));
        assertEquals("1.37", env.get("jmh_version"));
        assertTrue(env.get("jvm_flags").contains("-Djava.awt.headless=true"), env.get("jvm_flags"));

        Path file = dir.resolve("environment.csv");
        Environment.write(file, env);
        assertEquals(env, Environment.read(file));
        assertTrue(Files.readString(file).startsWith("key,value"));
    }

    @Test
    void readRejectsDuplicatesAndMissingColumns() throws Exception {
        Path file = dir.resolve("environment.csv");
        Files.writeString(file, "key,value\na,1\na,2\n");
        var dup = assertThrows(CsvFormatException.class, () -> Environment.read(file));
        assertTrue(dup.getMessage().contains("line 3, column 'key': 'a' appears twice"), dup.getMessage());
        Files.writeString(file, "name,value\na,1\n");
        var missing = assertThrows(CsvFormatException.class, () -> Environment.read(file));
        assertTrue(missing.getMessage().contains("missing required column 'key'"), missing.getMessage());
    }

    @Test
    void runIdsAreTimestampsAndNeverReused() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T03:15:00Z"), ZoneOffset.UTC);
        assertEquals("20261122-031500", RunId.next(dir, clock));
        Files.createDirectory(dir.resolve("20261122-031500"));
        assertEquals("20261122-031500-2", RunId.next(dir, clock));
        Files.createDirectory(dir.resolve("20261122-031500-2"));
        assertEquals("20261122-031500-3", RunId.next(dir, clock));
        assertTrue(RunId.next(dir).matches("\\d{8}-\\d{6}(-\\d+)?"));
    }
}
