package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufValueType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.quant.Fallbacks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes random-weight GGUF models of a given {@link ModelShape}, with llama.cpp's tensor names and metadata keys
 * and a real SentencePiece-style vocabulary, for benchmarks and tests (the weights make noise, not text). Output is
 * deterministic for a seed; generation runs in parallel and streams to disk, so 1B-parameter shapes take seconds.
 */
public final class SyntheticModel {
    /** Standard deviation of random weights, embeddings and biases (the usual initializer scale). */
    static final float WEIGHT_STD = 0.02f;

    private SyntheticModel() {
    }

    /**
     * One tensor of the layout.
     *
     * @param shape GGML order: shape[0] is the row length
     * @param role  how it is filled: a weight matrix (random, in the chosen type), a bias (random, F32) or a norm
     *              weight (ones, F32)
     */
    public record PlannedTensor(String name, long[] shape, GgmlType type, Role role) {
        public PlannedTensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    public enum Role {
        MATRIX, BIAS, NORM,
        /** output.weight holding the same values as token_embd.weight (GPT-2's tied head, see tensorPlan). */
        COPY_OF_TOKEN_EMBEDDING
    }

    /** Writes the model to {@code out} (atomically). */
    public static void write(Path out, ModelShape shape, GgmlType type, long seed) {
        writer(shape, type, seed).write(out);
    }

    /** Writes the model with per-matrix types (e.g. a Q4_K_M mix) to {@code out} (atomically). */
    public static void write(Path out, ModelShape shape, WeightTypes types, long seed) {
        writer(shape, types, seed).write(out);
    }

    public static void write(Path out, ModelShape shape, GgmlType type, long seed, GgufWriter.Progress progress) {
        writer(shape, type, seed).write(out, progress);
    }

    /** The writer for the model, e.g. to learn {@link GgufWriter#fileSizeBytes()} before writing. */
    public static GgufWriter writer(ModelShape shape, GgmlType type, long seed) {
        if (!WeightTypes.writable(type)) {
            throw new InvalidRequestException("synthetic models cannot be written as " + type + "; valid: "
                    + WeightTypes.validNames());
        }
        return writer(shape, WeightTypes.of(type), seed);
    }

    /** The writer for a model whose matrices get {@code types} (one type or a mix). */
    public static GgufWriter writer(ModelShape shape, WeightTypes types, long seed) {
        GgufWriter.Builder b = GgufWriter.builder();
        putModelMetadata(b, shape, types);
        putVocabulary(b, SyntheticVocabulary.llamaStyle(shape.vocabSize()));
        List<PlannedTensor> plan = tensorPlan(shape, types);
        for (int i = 0; i < plan.size(); i++) {
            PlannedTensor t = plan.get(i);
            long[] s = t.shape();
            long rows = t.elementCount() / s[0];
            float std = t.role() == Role.NORM ? 0f : WEIGHT_STD;
            float mean = t.role() == Role.NORM ? 1f : 0f;
            int seedIndex = t.role() == Role.COPY_OF_TOKEN_EMBEDDING ? 0 : i; // token_embd.weight comes first
            b.tensor(t.name(), t.type(), s, new RandomTensorSource(t.type(), (int) s[0], rows, std, mean,
                    RandomTensorSource.mix(seed, seedIndex)));
        }
        return b.build();
    }

    /** Number of distinct weights of the shape (a tied head that is stored as a copy counts once). */
    public static long parameterCount(ModelShape shape) {
        return tensorPlan(shape, GgmlType.F32).stream()
                .filter(t -> t.role() != Role.COPY_OF_TOKEN_EMBEDDING)
                .mapToLong(PlannedTensor::elementCount).sum();
    }

    /** The tensors of the shape, in the order llama.cpp's converters write them. */
    public static List<PlannedTensor> tensorPlan(ModelShape shape, GgmlType type) {
        return tensorPlan(shape, WeightTypes.of(type));
    }

    /** The tensors of the shape with per-matrix types, in the order llama.cpp's converters write them. */
    public static List<PlannedTensor> tensorPlan(ModelShape shape, WeightTypes types) {
        long d = shape.embeddingLength();
        long kv = shape.kvLength();
        long ffn = shape.feedForwardLength();
        boolean gpt2 = shape.architecture().hasGpt2Layout();
        Plan p = new Plan(types, shape.blockCount());
        p.matrix("token_embd.weight", d, shape.vocabSize());
        if (gpt2) {
            p.add("position_embd.weight", GgmlType.F32, Role.MATRIX, d, shape.contextLength());
        }
        for (int i = 0; i < shape.blockCount(); i++) {
            String blk = "blk." + i + ".";
            p.norm(blk + "attn_norm", d, gpt2);
            if (gpt2) {
                p.matrix(blk + "attn_qkv.weight", d, 3 * d);
                p.bias(blk + "attn_qkv.bias", 3 * d);
            } else {
                p.matrix(blk + "attn_q.weight", d, d);
                p.matrix(blk + "attn_k.weight", d, kv);
                p.matrix(blk + "attn_v.weight", d, kv);
                if (shape.architecture().hasAttentionBiases()) {
                    p.bias(blk + "attn_q.bias", d);
                    p.bias(blk + "attn_k.bias", kv);
                    p.bias(blk + "attn_v.bias", kv);
                }
            }
            p.matrix(blk + "attn_output.weight", d, d);
            if (gpt2) {
                p.bias(blk + "attn_output.bias", d);
            }
            p.norm(blk + "ffn_norm", d, gpt2);
            if (!gpt2) {
                p.matrix(blk + "ffn_gate.weight", d, ffn);
            }
            p.matrix(blk + "ffn_up.weight", d, ffn);
            if (gpt2) {
                p.bias(blk + "ffn_up.bias", ffn);
            }
            p.matrix(blk + "ffn_down.weight", ffn, d);
            if (gpt2) {
                p.bias(blk + "ffn_down.bias", d);
            }
        }
        p.norm("output_norm", d, gpt2);
        if (!shape.tiedEmbeddings()) {
            p.matrix("output.weight", d, shape.vocabSize());
        } else if (gpt2) {
            // llama.cpp's GPT-2 requires output.weight, so its converter writes the tied head as a copy of the
            // token embedding; so do we.
            p.add("output.weight", p.tensors.getFirst().type(), Role.COPY_OF_TOKEN_EMBEDDING, d, shape.vocabSize());
        }
        return p.tensors;
    }

    /** Collects planned tensors; matrices whose rows are not whole blocks of the type fall back to F16. */
    private static final class Plan {
        private final WeightTypes matrixTypes;
        private final int blockCount;
        private final List<PlannedTensor> tensors = new ArrayList<>();

        Plan(WeightTypes matrixTypes, int blockCount) {
            this.matrixTypes = matrixTypes;
            this.blockCount = blockCount;
        }

        void matrix(String name, long rowLength, long rows) {
            GgmlType matrixType = matrixTypes.typeOf(name, blockCount, rowLength);
            // rows that do not fit the type's blocks (stories260k's ffn_down: 172 values) as the quantizer does
            GgmlType type = Fallbacks.compatible(matrixType, rowLength);
            add(name, type, Role.MATRIX, rowLength, rows);
        }

        void bias(String name, long length) {
            add(name, GgmlType.F32, Role.BIAS, length);
        }

        void norm(String prefix, long length, boolean withBias) {
            add(prefix + ".weight", GgmlType.F32, Role.NORM, length);
            if (withBias) {
                bias(prefix + ".bias", length);
            }
        }

        void add(String name, GgmlType type, Role role, long... shape) {
            tensors.add(new PlannedTensor(name, shape, type, role));
        }
    }

    private static void putModelMetadata(GgufWriter.Builder b, ModelShape shape, WeightTypes types) {
        String arch = shape.architecture().ggufName();
        b.putString("general.architecture", arch);
        b.putString("general.name", shape.name() + " (synthetic, random weights)");
        b.putUint32("general.file_type", types.fileType());
        if (types.types().stream().anyMatch(t -> t.blockSize() > 1)) {
            b.putUint32("general.quantization_version", 2);
        }
        b.putUint32(arch + ".vocab_size", shape.vocabSize());
        b.putUint32(arch + ".context_length", shape.contextLength());
        b.putUint32(arch + ".embedding_length", shape.embeddingLength());
        b.putUint32(arch + ".block_count", shape.blockCount());
        b.putUint32(arch + ".feed_forward_length", shape.feedForwardLength());
        b.putUint32(arch + ".attention.head_count", shape.headCount());
        b.putUint32(arch + ".attention.head_count_kv", shape.headCountKv());
        if (shape.architecture().usesRmsNormAndRope()) {
            b.putFloat32(arch + ".attention.layer_norm_rms_epsilon", shape.normEpsilon());
            b.putFloat32(arch + ".rope.freq_base", shape.ropeFreqBase());
            b.putUint32(arch + ".rope.dimension_count", shape.headSize());
        } else {
            b.putFloat32(arch + ".attention.layer_norm_epsilon", shape.normEpsilon());
        }
    }

    /**
     * A SentencePiece-style vocabulary for every architecture, even gpt2 and qwen2 whose real models use byte-level
     * BPE: llmlab's engine reads only the "llama" tokenizer from GGUF today, and llama.cpp accepts any pairing.
     */
    private static void putVocabulary(GgufWriter.Builder b, SyntheticVocabulary vocab) {
        b.putString("tokenizer.ggml.model", "llama");
        b.putStrings("tokenizer.ggml.tokens", vocab.tokens());
        b.putFloats("tokenizer.ggml.scores", vocab.scores());
        b.putInts("tokenizer.ggml.token_type", GgufValueType.INT32, vocab.tokenTypes());
        b.putUint32("tokenizer.ggml.bos_token_id", SyntheticVocabulary.BOS_ID);
        b.putUint32("tokenizer.ggml.eos_token_id", SyntheticVocabulary.EOS_ID);
        b.putUint32("tokenizer.ggml.unknown_token_id", SyntheticVocabulary.UNKNOWN_ID);
        b.putBool("tokenizer.ggml.add_bos_token", true);
        b.putBool("tokenizer.ggml.add_eos_token", false);
    }

    /** llama.cpp's llama_ftype for a file whose matrices are all {@code type}. */
    static int fileType(GgmlType type) {
        return WeightTypes.of(type).fileType();
    }
}
