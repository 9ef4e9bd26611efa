package org.poolbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquaresTest {

    @Test
    void squaresTheNumbersFromZero() {
        Squares job = new Squares(5);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), job.inputs());
        assertEquals(List.of(0L, 1L, 4L, 9L, 16L), job.expected());
        assertEquals(16L, job.task().apply(4L));
        assertEquals(3_000_000_000L * 3_000_000_000L, Squares.square(3_000_000_000L));
    }

    @Test
    void verifyAcceptsTheRightAnswerAndRejectsAWrongOne() {
        Squares job = new Squares(1000);
        List<Long> right = job.inputs().stream().map(Squares::square).toList();
        job.verify(right);
        List<Long> wrong = new ArrayList<>(right);
        wrong.set(999, 0L);
        assertThrows(IllegalStateException.class, () -> job.verify(wrong));
    }

    @Test
    void countMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Squares(0));
    }
}
