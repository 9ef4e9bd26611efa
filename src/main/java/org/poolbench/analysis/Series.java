package org.poolbench.analysis;

import java.util.List;

/**
 * One line of a figure.
 *
 * @param name    the legend entry
 * @param backend the backend whose look it takes ({@code ""} for points that belong to no backend)
 * @param points  in drawing order
 * @param variant a variant of the backend's main series (another chunk size): drawn with hollow markers
 * @param dotted  more workers than cores: drawn dotted with hollow markers
 */
public record Series(String name, String backend, List<Point> points, boolean variant, boolean dotted) {

    public Series(String name, String backend, List<Point> points) {
        this(name, backend, points, false, false);
    }
}
