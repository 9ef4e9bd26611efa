package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The many-producer consumer's check: a lost, repeated, garbled or stale message fails the round. */
class MessageTallyTest {

    private static byte[] message(int round, int p, int seq) {
        byte[] m = new byte[MessageTally.MESSAGE_BYTES];
        MessageTally.write(m, round, p, seq);
        return m;
    }

    /** Every message of a round of {@code messages} from {@code producers}, shuffled. */
    private static List<byte[]> round(int round, int producers, int messages) {
        List<byte[]> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < MessageTally.share(p, producers, messages); i++) {
                all.add(message(round, p, i));
            }
        }
        Collections.shuffle(all, new Random(1));
        return all;
    }

    @Test
    void sharesAreEqualAndAddUp() {
        assertEquals(List.of(334, 333, 333), List.of(MessageTally.share(0, 3, 1000), MessageTally.share(1, 3, 1000),
                MessageTally.share(2, 3, 1000)));
        assertEquals(16_384, 4 * MessageTally.share(3, 4, 16_384));
    }

    @Test
    void aCompleteRoundInAnyOrderPasses() {
        MessageTally t = new MessageTally(3, 1000);
        for (int r = 1; r <= 2; r++) {
            t.start(r);
            for (byte[] m : round(r, 3, 1000)) {
                t.add(m, m.length);
            }
            t.verify();
            assertEquals(1000, t.count());
        }
    }

    @Test
    void aLostMessageFailsTheRound() {
        MessageTally t = new MessageTally(3, 1000);
        t.start(1);
        List<byte[]> all = round(1, 3, 1000);
        for (byte[] m : all.subList(1, all.size())) {
            t.add(m, m.length);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, t::verify);
        assertTrue(e.getMessage().matches("producer \\d delivered 33\\d of its 33\\d messages in round 1"),
                e.getMessage());
    }

    @Test
    void aRepeatedMessageIsCaughtWhenItArrives() {
        MessageTally t = new MessageTally(2, 10);
        t.start(4);
        t.add(message(4, 1, 3), 16);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.add(message(4, 1, 3), 16));
        assertEquals("message 3 of producer 1 arrived twice", e.getMessage());
    }

    @Test
    void aLossHiddenByARepeatStillFails() {
        // the count alone would pass: one message twice, another never; the repeat is refused on arrival
        MessageTally t = new MessageTally(1, 4);
        t.start(1);
        t.add(message(1, 0, 0), 16);
        t.add(message(1, 0, 1), 16);
        t.add(message(1, 0, 2), 16);
        assertThrows(IllegalStateException.class, () -> t.add(message(1, 0, 2), 16));
        assertThrows(IllegalStateException.class, t::verify);
    }

    @Test
    void garbledStaleUnknownAndShortMessagesAreRefused() {
        MessageTally t = new MessageTally(2, 10);
        t.start(5);
        byte[] garbled = message(5, 0, 1);
        garbled[13] ^= 1;
        assertEquals("message 1 of producer 0 arrived garbled",
                assertThrows(IllegalStateException.class, () -> t.add(garbled, 16)).getMessage());
        assertEquals("a message of round 4 arrived in round 5",
                assertThrows(IllegalStateException.class, () -> t.add(message(4, 0, 1), 16)).getMessage());
        assertThrows(IllegalStateException.class, () -> t.add(message(5, 2, 0), 16)); // no producer 2
        assertThrows(IllegalStateException.class, () -> t.add(message(5, 1, 5), 16)); // producer 1 sends 0..4
        assertThrows(IllegalStateException.class, () -> t.add(new byte[8], 8));
        assertEquals(0, t.count());
    }

    @Test
    void checkWordsAreCPythonsToo() {
        // python/poolbench_py.py ipc_check computes the same words (its unittest asserts the same two)
        assertEquals(-1724029546, MessageTally.check(0, 0));
        assertEquals(-283307673, MessageTally.check(3, 77));
    }

    @Test
    void aRoundNeedsAMessagePerProducer() {
        assertThrows(IllegalArgumentException.class, () -> new MessageTally(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new MessageTally(4, 3));
    }
}
