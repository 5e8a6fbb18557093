package dev.llmlab.cli.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One chart of a report: an XChart chart and what it shows.
 *
 * @param slug    file-name part, e.g. {@code throughput-pp}
 * @param title   the heading
 * @param caption one or two sentences on how to read it
 * @param chart   the chart
 */
public record ReportChart(String slug, String title, String caption, Chart<?, ?> chart) {

    /** The chart as a PNG image. */
    public byte[] png() {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the chart '" + title + "': " + e.getMessage(), e);
        }
    }
}
