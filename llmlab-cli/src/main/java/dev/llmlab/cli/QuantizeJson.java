package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.quant.QualityReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code quantize --json}: one object with each quantization and, with --report, the quality rows. */
final class QuantizeJson {
    private final Path input;
    private final List<Map<String, Object>> quantizations = new ArrayList<>();
    private List<QualityReport.Row> report;

    QuantizeJson(Path input) {
        this.input = input;
    }

    void add(Map<String, Object> quantization) {
        quantizations.add(quantization);
    }

    void report(List<QualityReport.Row> rows) {
        report = rows;
    }

    String render() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", input.toString());
        root.put("quantizations", quantizations);
        if (report != null) {
            root.put("report", report.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", r.label());
                m.put("file_bytes", r.fileSizeBytes());
                m.put("bits_per_weight", r.bitsPerWeight());
                m.put("mean_kl_divergence", r.meanKlDivergence());
                m.put("top1_agreement", r.top1Agreement());
                m.put("positions", r.positions());
                return m;
            }).toList());
        }
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the quantize result: " + e.getMessage(), e);
        }
    }
}
