package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineProbeTest {

    @Test
    void aReadingHasPositiveTimesAndRepeatsWithoutFailingItsChecks() {
        for (int i = 0; i < 2; i++) {
            MachineProbe.Reading r = MachineProbe.now();
            assertTrue(r.spinMs() > 0 && Double.isFinite(r.spinMs()), r.toString());
            assertTrue(r.copyMs() > 0 && Double.isFinite(r.copyMs()), r.toString());
        }
    }
}
