package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CeilingBenchmarkTest {

    private static long spinWith(int workers) throws Exception {
        CeilingBenchmark b = new CeilingBenchmark();
        b.workers = workers;
        b.setUp();
        try {
            long sum = b.spin();
            b.verify(); // throws if the job's checksum is wrong
            return sum;
        } finally {
            b.tearDown();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theJobIsTheSameWorkAtEveryThreadCount() throws Exception {
        long one = spinWith(1);
        assertEquals(one, spinWith(3));
        assertEquals(one, spinWith(8));
        assertNotEquals(0L, one);
    }

    @Test
    void chainsDifferAndAreNotOptimizedToNothing() {
        assertNotEquals(CeilingBenchmark.chain(0), CeilingBenchmark.chain(1));
        assertEquals(CeilingBenchmark.chain(5), CeilingBenchmark.chain(5));
    }

    @Test
    void aWrongCoreCountFailsTheSetUp() {
        CeilingBenchmark b = new CeilingBenchmark();
        b.workers = 1;
        b.cores = Runtime.getRuntime().availableProcessors() + 1;
        assertThrows(IllegalStateException.class, b::setUp);
    }
}
