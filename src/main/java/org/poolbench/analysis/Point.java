package org.poolbench.analysis;

/**
 * One point of a series: {@code error} is the half-width of its error bar in the units of {@code y} (0 for none).
 */
public record Point(double x, double y, double error) {

    public Point(double x, double y) {
        this(x, y, 0);
    }
}
