package org.poolbench.bench;

import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The consumer's check in {@link IpcBenchmark#manyProducers}: every message of a round arrived exactly once and
 * intact, so a transport that loses, repeats or garbles messages fails the run instead of looking fast.
 *
 * <p>A round is {@code messages} messages from {@code producers} producers; producer {@code p} sends
 * {@link #share(int, int, int)} of them, numbered 0, 1, ... A message is {@link #MESSAGE_BYTES} bytes or more:
 * {@code [int round][int producer][int seq][int check]}, big-endian, the rest zero; {@code check} is
 * {@link #check(int, int)} of the producer and number. The consumer {@link #start}s a round, {@link #add}s each
 * message as it arrives (which rejects a message of another round, an unknown producer or number, a number seen
 * before, or a wrong check at once), and {@link #verify}s at the end: the count, each producer's count, and the
 * sum of the checks against the sum the set-up computed.
 */
final class MessageTally {

    /** The smallest message that carries the header. */
    static final int MESSAGE_BYTES = 16;

    private final int producers;
    private final int messages;
    private final int[] offset;
    private final int[] counts;
    private final BitSet seen;
    private final long expectedSum;
    private int round;
    private int count;
    private long sum;

    MessageTally(int producers, int messages) {
        if (producers < 1 || messages < producers) {
            throw new IllegalArgumentException("a round needs at least one producer and one message per producer, "
                    + "got " + producers + " producers and " + messages + " messages");
        }
        this.producers = producers;
        this.messages = messages;
        this.offset = new int[producers + 1];
        for (int p = 0; p < producers; p++) {
            offset[p + 1] = offset[p] + share(p, producers, messages);
        }
        this.counts = new int[producers];
        this.seen = new BitSet(messages);
        long s = 0;
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < share(p, producers, messages); i++) {
                s += check(p, i);
            }
        }
        this.expectedSum = s;
    }

    /** How many of a round's {@code messages} producer {@code p} of {@code producers} sends: an equal share. */
    static int share(int p, int producers, int messages) {
        return messages / producers + (p < messages % producers ? 1 : 0);
    }

    /** The check word of message {@code seq} of producer {@code p} (a SplitMix64 finaliser, folded to an int). */
    static int check(int p, int seq) {
        long z = ((long) p << 32 | (seq & 0xffffffffL)) + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z ^ (z >>> 32));
    }

    /** Writes the header of message {@code seq} of producer {@code p} in {@code round} into {@code m}. */
    static void write(byte[] m, int round, int p, int seq) {
        ByteBuffer.wrap(m).putInt(0, round).putInt(4, p).putInt(8, seq).putInt(12, check(p, seq));
    }

    /** Begins a round: nothing seen yet. */
    void start(int round) {
        this.round = round;
        count = 0;
        sum = 0;
        seen.clear();
        java.util.Arrays.fill(counts, 0);
    }

    /** Counts one received message of {@code length} bytes. */
    void add(byte[] m, int length) {
        if (length < MESSAGE_BYTES) {
            throw new IllegalStateException("a message of " + length + " bytes, shorter than its "
                    + MESSAGE_BYTES + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(m);
        int r = b.getInt(0);
        int p = b.getInt(4);
        int seq = b.getInt(8);
        int c = b.getInt(12);
        if (r != round) {
            throw new IllegalStateException("a message of round " + r + " arrived in round " + round);
        }
        if (p < 0 || p >= producers || seq < 0 || seq >= offset[p + 1] - offset[p]) {
            throw new IllegalStateException("message " + seq + " of producer " + p + " is not one of this round's");
        }
        if (c != check(p, seq)) {
            throw new IllegalStateException("message " + seq + " of producer " + p + " arrived garbled");
        }
        int at = offset[p] + seq;
        if (seen.get(at)) {
            throw new IllegalStateException("message " + seq + " of producer " + p + " arrived twice");
        }
        seen.set(at);
        counts[p]++;
        count++;
        sum += c;
    }

    /** How many messages of this round have arrived. */
    int count() {
        return count;
    }

    /** Checks that the round is complete: every message of every producer, once, with the expected sum of checks. */
    void verify() {
        for (int p = 0; p < producers; p++) {
            int want = offset[p + 1] - offset[p];
            if (counts[p] != want) {
                throw new IllegalStateException("producer " + p + " delivered " + counts[p] + " of its " + want
                        + " messages in round " + round);
            }
        }
        if (count != messages || sum != expectedSum || seen.cardinality() != messages) {
            throw new IllegalStateException("round " + round + " received " + count + " of " + messages
                    + " messages (check sum " + sum + ", expected " + expectedSum + ")");
        }
    }
}
