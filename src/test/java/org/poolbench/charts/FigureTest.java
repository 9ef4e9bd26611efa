package org.poolbench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FigureTest {

    @Test
    void compactRoundsPathCoordinatesToHundredthsAndLeavesOtherTextAlone() {
        String svg = "<desc>JDK 25.0.3, ratio 1.23456</desc>\n"
                + "<path d=\"M-9.828125,-2.5625 L-7.656,-2.5 Q-1.046875,-3.078125 -0.0,-5.15625 Z\" x=\"1.23456\"/>";
        assertEquals("<desc>JDK 25.0.3, ratio 1.23456</desc>\n"
                + "<path d=\"M-9.83,-2.56 L-7.66,-2.5 Q-1.05,-3.08 -0.0,-5.16 Z\" x=\"1.23456\"/>", Figure.compact(svg));
    }
}
