package org.poolbench.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * A chart with its caption below the plot, written as {@code <name>.png}, {@code <name>.svg} and {@code <name>.pdf}
 * (vector, for papers). The one figure writer every renderer uses.
 */
public record Figure(String name, XYChart chart, String caption) {

    /** Size of every figure, caption included. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 600;
    static final int CAPTION_HEIGHT = 58;

    /** The formats every figure is written in, in this order. */
    public static final List<String> FORMATS = List.of("png", "svg", "pdf");

    /** Writes the figure into {@code dir} and returns the files, in {@link #FORMATS} order. */
    public List<Path> save(Path dir) throws IOException {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        Path pdf = dir.resolve(name + ".pdf");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paint(g);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
        VectorGraphics2D vg = new VectorGraphics2D();
        paint(vg);
        PageSize page = new PageSize(0, 0, WIDTH, HEIGHT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(vg.getCommands(), page).writeTo(bytes);
        Files.writeString(svg, compact(withTitle(bytes.toString(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
        bytes.reset();
        new PDFProcessor(true).getDocument(vg.getCommands(), page).writeTo(bytes);
        Files.write(pdf, bytes.toByteArray());
        return List.of(png, svg, pdf);
    }

    /**
     * XChart draws its text as glyph outlines, so the SVG has no searchable title; add it (and the caption) as
     * the SVG {@code <title>} and {@code <desc>}, which screen readers and search tools use.
     */
    private String withTitle(String svg) {
        int start = svg.indexOf("<svg");
        int end = start < 0 ? -1 : svg.indexOf('>', start);
        if (end < 0) {
            return svg;
        }
        return svg.substring(0, end + 1) + "\n<title>" + xml(chart.getTitle()) + "</title>\n<desc>"
                + xml(caption) + "</desc>" + svg.substring(end + 1);
    }

    private static final Pattern PATH_DATA = Pattern.compile("\\sd=\"([^\"]*)\"");
    private static final Pattern LONG_DECIMAL = Pattern.compile("-?\\d+\\.\\d{3,}");

    /**
     * Rounds the coordinates of every path ({@code d="..."}) to hundredths of a pixel: the glyph outlines carry six
     * decimals, a third of the file, and a hundredth of a pixel on a 900-pixel figure is invisible at any zoom a
     * reader uses.
     */
    static String compact(String svg) {
        return PATH_DATA.matcher(svg).replaceAll(path -> Matcher.quoteReplacement(" d=\"" + LONG_DECIMAL
                .matcher(path.group(1)).replaceAll(n -> new BigDecimal(n.group()).setScale(2, RoundingMode.HALF_EVEN)
                        .stripTrailingZeros().toPlainString()) + "\""));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        chart.paint(g, WIDTH, HEIGHT - CAPTION_HEIGHT);
        g.setColor(new Color(0x444444));
        g.setFont(new Font(Plot.FONT, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int y = HEIGHT - CAPTION_HEIGHT + fm.getAscent() + 2;
        for (String paragraph : caption.split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                if (!line.isEmpty() && fm.stringWidth(line + " " + word) > WIDTH - 28) {
                    g.drawString(line.toString(), 14, y);
                    y += fm.getHeight();
                    line.setLength(0);
                }
                line.append(line.isEmpty() ? "" : " ").append(word);
            }
            g.drawString(line.toString(), 14, y);
            y += fm.getHeight();
        }
    }
}
