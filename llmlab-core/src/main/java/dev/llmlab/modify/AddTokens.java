package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.gguf.GgufValueType;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.quant.Encoders;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends tokens to the GGUF vocabulary ({@code tokenizer.ggml.tokens}, {@code scores} -1000 as llama.cpp's
 * converter gives added tokens, {@code token_type} CONTROL for special tokens, USER_DEFINED otherwise) and resizes
 * the embeddings ({@code token_embd.weight} and an untied {@code output.weight}) when they have no spare rows.
 *
 * <p>Initialisation: each new row is the mean of the existing rows (decoded, averaged in double, re-encoded to the
 * tensor's type). Hugging Face's {@code resize_token_embeddings} (mean_resizing, the default since 4.46) draws
 * from a normal centred on that mean with a tiny covariance; the mean itself is that distribution's centre, and
 * deterministic.
 *
 * @param tokens  the texts of the new tokens, in id order
 * @param special true: control tokens (never produced by normal text, e.g. {@code <|pad|>}); false: user-defined
 */
public record AddTokens(List<String> tokens, boolean special) implements ModelModifier {
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    private static final long CONTROL = 3;
    private static final long USER_DEFINED = 4;
    private static final float ADDED_TOKEN_SCORE = -1000f;

    public AddTokens {
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty() || tokens.stream().anyMatch(String::isEmpty)) {
            throw new InvalidRequestException("add tokens: give one or more non-empty token texts");
        }
        if (new HashSet<>(tokens).size() != tokens.size()) {
            throw new InvalidRequestException("add tokens: " + tokens + " names a token twice");
        }
    }

    /** Fails unless the model has a GGUF vocabulary. */
    static void checkVocabulary(GgufModel model) {
        if (!ModelFacts.metadata(model).contains(TOKENS)) {
            throw new InvalidRequestException(model.source() + ": metadata '" + TOKENS + "' is missing: the model"
                    + " has no GGUF vocabulary to change");
        }
    }

    @Override
    public void check(GgufModel model) {
        checkVocabulary(model);
        GgufMetadata md = ModelFacts.metadata(model);
        Set<String> vocab = new HashSet<>(md.stringArray(TOKENS));
        for (String t : tokens) {
            if (vocab.contains(t)) {
                throw new InvalidRequestException(model.source() + ": token '" + t + "' is already in '" + TOKENS
                        + "' (id " + md.stringArray(TOKENS).indexOf(t) + ")");
            }
        }
        GgufModel.Tensor embd = model.tensor("token_embd.weight").orElseThrow(() -> new InvalidRequestException(
                model.source() + ": tensor 'token_embd.weight' is missing; cannot resize the embeddings"));
        for (GgufModel.Tensor t : embeddings(model, embd)) {
            if (t.shape().length != 2 || !Encoders.supports(t.type()) || !ScalarKernels.TYPES.contains(t.type())) {
                throw new InvalidRequestException(model.source() + ": tensor '" + t.name() + "' (" + t
                        + ") cannot be resized: llmlab needs a 2-D tensor of a type it decodes and encodes");
            }
        }
    }

    private static List<GgufModel.Tensor> embeddings(GgufModel model, GgufModel.Tensor embd) {
        List<GgufModel.Tensor> out = new ArrayList<>(List.of(embd));
        model.tensor("output.weight").ifPresent(out::add);
        return out;
    }

    @Override
    public GgufModel apply(GgufModel model) {
        check(model);
        GgufMetadata md = ModelFacts.metadata(model);
        List<String> vocab = new ArrayList<>(md.stringArray(TOKENS));
        vocab.addAll(tokens);
        Map<String, GgufValue> metadata = new LinkedHashMap<>(model.metadata());
        metadata.put(TOKENS, GgufValue.ofStrings(vocab));
        md.optFloatArray(SCORES).ifPresent(scores -> {
            float[] s = Arrays.copyOf(scores, vocab.size());
            Arrays.fill(s, scores.length, s.length, ADDED_TOKEN_SCORE);
            metadata.put(SCORES, GgufValue.ofFloats(s));
        });
        GgufValue types = model.metadata().get(TOKEN_TYPE);
        if (types != null && types.value() instanceof long[] t) {
            long[] out = Arrays.copyOf(t, vocab.size());
            Arrays.fill(out, t.length, out.length, special ? CONTROL : USER_DEFINED);
            metadata.put(TOKEN_TYPE, new GgufValue(GgufValueType.ARRAY, types.elementType(), out));
        }
        String vocabKey = ModelFacts.architecture(model) + ".vocab_size";
        if (metadata.containsKey(vocabKey)) {
            metadata.put(vocabKey, GgufValue.ofUint32(vocab.size()));
        }
        GgufModel.Tensor embd = model.tensor("token_embd.weight").orElseThrow();
        List<GgufModel.Tensor> tensors = new ArrayList<>(model.tensors());
        for (GgufModel.Tensor t : embeddings(model, embd)) {
            if (t.shape()[1] < vocab.size()) {
                tensors.set(tensors.indexOf(t), withMeanRows(t, vocab.size()));
            }
        }
        return new GgufModel(model.source() + " (" + describe() + ")", metadata, tensors);
    }

    /** {@code t} with rows appended up to {@code rows}, each the mean of the existing rows, in {@code t}'s type. */
    static GgufModel.Tensor withMeanRows(GgufModel.Tensor t, int rows) {
        int cols = Math.toIntExact(t.rowLength());
        int oldRows = Math.toIntExact(t.shape()[1]);
        long rowBytes = t.type().bytesFor(cols);
        double[] sum = new double[cols];
        float[] row = new float[cols];
        for (int r = 0; r < oldRows; r++) {
            ScalarKernels.decode(t.type(), t.data(), r * rowBytes, row, 0, cols);
            for (int c = 0; c < cols; c++) {
                sum[c] += row[c];
            }
        }
        float[] mean = new float[cols];
        for (int c = 0; c < cols; c++) {
            mean[c] = (float) (sum[c] / oldRows);
        }
        byte[] encoded = new byte[Math.toIntExact(rowBytes)];
        Encoders.encode(t.type(), mean, 0, cols, encoded, 0);
        MemorySegment data = Arena.ofAuto().allocate(rows * rowBytes, 64);
        MemorySegment.copy(t.data(), 0, data, 0, t.data().byteSize());
        for (int r = oldRows; r < rows; r++) {
            MemorySegment.copy(encoded, 0, data, ValueLayout.JAVA_BYTE, r * rowBytes, encoded.length);
        }
        return new GgufModel.Tensor(t.name(), t.type(), new long[]{cols, rows}, data);
    }

    @Override
    public String describe() {
        return "add " + (special ? "special " : "") + "tokens " + tokens;
    }
}
