package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class AlternationTest {

    private static List<Integer> schedule(int iterations, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            out.add(Alternation.index(i, n));
        }
        return out;
    }

    @Test
    void iterationsGoForwardThenBackward() {
        assertEquals(List.of(0, 1, 1, 0, 0, 1, 1, 0), schedule(8, 2), "A B B A A B B A");
        assertEquals(List.of(0, 1, 2, 2, 1, 0, 0), schedule(7, 3));
        assertEquals(List.of(0, 0, 0), schedule(3, 1));
    }

    @Test
    void everyCoreCountGetsTheSameShareOfEveryRound() {
        List<Integer> s = schedule(60, 2);
        assertEquals(30, s.stream().filter(i -> i == 0).count());
        double meanPositionA = java.util.stream.IntStream.range(0, 60).filter(i -> s.get(i) == 0).average()
                .orElseThrow();
        assertEquals(29.5, meanPositionA, 1e-9, "a steady drift falls on both alike");
    }

    @Test
    void parsesCoreCountsAndRejectsBadOnes() {
        assertEquals(List.of(1, 2, 4), Alternation.cores("1/2/4"));
        assertEquals(List.of(), Alternation.cores(""));
        for (String bad : List.of("1/x", "0/2", "2/2", "1,2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Alternation.cores(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("valid"), e.getMessage());
        }
    }

    @Test
    void taskSizesAreListedOnceEachAndEveryBackendTakesItsTurnAtEach() {
        assertEquals(List.of(300, 1000), Alternation.taskSizes("300/1000"));
        assertEquals(List.of(3000), Alternation.taskSizes("3000"));
        for (String bad : List.of("300/x", "300/300", "", "0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Alternation.taskSizes(bad));
            assertTrue(e.getMessage().startsWith("taskSize '" + bad + "'"), e.getMessage());
        }
        assertEquals(List.of("a@1", "b@1", "a@2", "b@2"), Alternation.withTaskSizes(List.of("a", "b"), List.of(1, 2))
                .stream().map(e -> e.getKey() + "@" + e.getValue()).toList());
    }

    @Test
    void anEntryWithItsOwnCoresAndWorkersTakesItsTurnsThere() {
        assertEquals("thread-pool@1:1", Alternation.entry("thread-pool", 1, 1));
        assertEquals(new Alternation.Turn("thread-pool", 1, 1), Alternation.turn("thread-pool@1:1", 2));
        assertEquals(new Alternation.Turn("thread-pool", 2, 0), Alternation.turn("thread-pool", 2));
        assertEquals("process-pool", Alternation.backendOf("process-pool@2:4"));
        assertEquals("process-pool", Alternation.backendOf("process-pool"));
        assertEquals(List.of(new Alternation.Turn("sequential", 1, 0), new Alternation.Turn("sequential", 2, 0),
                new Alternation.Turn("thread-pool", 2, 0), new Alternation.Turn("thread-pool", 1, 1),
                new Alternation.Turn("process-pool", 2, 4)),
                Alternation.turns("sequential/thread-pool/thread-pool@1:1/process-pool@2:4", "1/2", 2),
                "sequential at its counts, then each entry at the JVM's cores or its own");
        for (String bad : List.of("thread-pool@3:1", "thread-pool@0:1", "thread-pool@1:0", "thread-pool@1",
                "thread-pool@x:1", "@1:1", "thread-pool@1:1:1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Alternation.turns("sequential/" + bad, "1/2", 2));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("valid"), e.getMessage());
        }
    }

    @Test
    void forEachIterationPlacesEachIterationInItsPointAndNumbersItThereWithNaNKeepingItsPlace() {
        // two forks of two alternated points: order A B B A A B; JMH wrote one iteration as "NaN"
        List<String> seen = new ArrayList<>();
        Alternation.forEachIteration(JsonParser.parseString("[[1, 2, 3, \"NaN\", 5, 6], [7, 8]]"), 2,
                (fork, point, number, v) -> seen.add(fork + ":" + point + "#" + number + "=" + v));
        assertEquals(List.of("0:0#1=1.0", "0:1#1=2.0", "0:1#2=3.0", "0:0#2=NaN", "0:0#3=5.0", "0:1#3=6.0",
                "1:0#1=7.0", "1:1#1=8.0"), seen);
        Alternation.forEachIteration(null, 2, (fork, point, number, v) -> seen.add("none"));
        Alternation.forEachIteration(JsonParser.parseString("[\"x\", [\"oops\"]]"), 1,
                (fork, point, number, v) -> seen.add(fork + ":" + point + "#" + number + "=" + v));
        assertEquals("1:0#1=NaN", seen.get(seen.size() - 1), "a fork that is not an array is skipped; a cell that is"
                + " not a number is NaN");
        assertEquals(9, seen.size());
    }
}
