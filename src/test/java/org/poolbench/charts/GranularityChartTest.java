package org.poolbench.charts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.GranularityView;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;

class GranularityChartTest {

    @Test
    void oneTaskSizeGetsAnAxisAroundItForThePointAndTheCrossoverLine() {
        double work = 117;
        List<Series> series = List.of(
                new Series("sequential", "sequential", List.of(new Point(work, 117, 5)), false, false),
                new Series("process-pool", "process-pool", List.of(new Point(work, 90, 5)), false, false));
        GranularityView v = new GranularityView("factorial", series, new double[] {work, work}, 2,
                new GranularityView.Crossover(3000, work), "caption", null, null);
        XYStyler st = GranularityChart.draw(v).chart().getStyler();
        assertTrue(st.getXAxisMin() != null && st.getXAxisMin() < work, "min " + st.getXAxisMin());
        assertTrue(st.getXAxisMax() != null && st.getXAxisMax() > work, "max " + st.getXAxisMax());
    }
}
