package org.poolbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class FactorialTest {

    private static BigInteger naive(int n) {
        BigInteger r = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            r = r.multiply(BigInteger.valueOf(i));
        }
        return r;
    }

    @Test
    void smallValuesAreKnown() {
        assertEquals(BigInteger.ONE, Factorial.of(0));
        assertEquals(BigInteger.ONE, Factorial.of(1));
        assertEquals(BigInteger.valueOf(3_628_800), Factorial.of(10));
        assertEquals(new BigInteger("2432902008176640000"), Factorial.of(20));
        assertEquals(new BigInteger("15511210043330985984000000"), Factorial.of(25));
    }

    @Test
    void productTreeAgreesWithTheSchoolbookLoop() {
        for (int n : new int[] {2, 15, 16, 17, 31, 33, 100, 1000, 2047, 5001}) {
            assertEquals(naive(n), Factorial.of(n), "n = " + n);
        }
    }

    @Test
    void bitLengthOfTheSeedsSizesMatchesLogGamma() {
        for (int n : Factorial.DEFAULT_SIZES) {
            long expectedBits = (long) Math.floor(Gamma.logGamma(n + 1.0) / Math.log(2)) + 1;
            assertEquals(expectedBits, Factorial.digest(n).bitLength(), "bit length of " + n + "!");
        }
    }

    @Test
    void digestIdentifiesTheValue() {
        BigInteger v = naive(3000);
        assertEquals(new Factorial.Digest(3000, v.bitLength(), v.hashCode()), Factorial.digest(3000));
        assertEquals(v, Factorial.fullValue().apply(3000));
    }

    @Test
    void jobCyclesThroughSizesAndKnowsItsAnswer() {
        Factorial job = new Factorial(List.of(100, 200, 300), 7);
        assertEquals(List.of(100, 200, 300, 100, 200, 300, 100), job.inputs());
        assertEquals(job.inputs().stream().map(Factorial::digest).toList(), job.expected());
    }

    @Test
    void verifyRejectsAWrongResult() {
        Factorial job = new Factorial(List.of(10, 11), 2);
        List<Factorial.Digest> wrong = List.of(Factorial.digest(10), Factorial.digest(12));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> job.verify(wrong));
        assertEquals(true, e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> job.verify(List.of(Factorial.digest(10))));
    }

    @Test
    void negativeInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Factorial.of(-1));
        assertThrows(IllegalArgumentException.class, () -> new Factorial(List.of(-5), 1));
    }
}
