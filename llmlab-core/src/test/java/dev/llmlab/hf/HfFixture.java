package dev.llmlab.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.model.Session;
import dev.llmlab.testing.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** A model of ../shared/fixtures/hf and its reference cases (expected.json, made by an independent PyTorch run). */
record HfFixture(String name, Path dir, List<Case> cases) {
    static final List<String> NAMES = List.of("tiny-gpt2", "tiny-llama", "tiny-qwen2-bf16-sharded");

    record Case(int[] inputIds, float[] logits, int[] top10, int[] greedy16) {
    }

    static HfFixture load(String name) {
        Path dir = Fixtures.sharedFile("fixtures/hf/" + name + "/expected.json").getParent();
        try {
            JsonNode root = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                byte[] bytes = Files.readAllBytes(dir.resolve(c.get("last_logits_file").asText()));
                float[] logits = new float[bytes.length / 4];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(logits);
                cases.add(new Case(ints(c.get("input_ids")), logits, ints(c.get("top10_ids")),
                        ints(c.get("greedy_next_16"))));
            }
            return new HfFixture(name, dir, cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static int[] top(float[] v, int k) {
        return IntStream.range(0, v.length).boxed()
                .sorted((a, b) -> Float.compare(v[b], v[a])).limit(k).mapToInt(Integer::intValue).toArray();
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Greedy continuation of {@code n} tokens after the prompt (the session must be fresh). */
    static int[] greedy(Session session, int[] prompt, int n) {
        return greedy(session, prompt, n, new float[n]);
    }

    /** Greedy continuation; {@code margins[i]} receives the gap between the top two logits at step i. */
    static int[] greedy(Session session, int[] prompt, int n, float[] margins) {
        float[] logits = session.ingest(prompt);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = argmax(logits);
            float second = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < logits.length; v++) {
                if (v != out[i]) {
                    second = Math.max(second, logits[v]);
                }
            }
            margins[i] = logits[out[i]] - second;
            if (i + 1 < n) {
                logits = session.next(out[i]);
            }
        }
        return out;
    }
}
