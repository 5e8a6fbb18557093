package dev.llmlab.system;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.BlockDesign;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.model.Session;
import dev.llmlab.system.MemoryTerm.Place;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory an inference needs, computed the way the engine allocates it:
 * <ul>
 *   <li>weights: the whole file, read into off-heap memory ({@link LoadMode#READ}) or mapped (every page is
 *       touched by a forward pass either way); per tensor type, exact from the header;</li>
 *   <li>norm and bias vectors, decoded to float arrays on the heap;</li>
 *   <li>KV cache: layers x context x KV dim x 2 (keys, values) x 4 bytes (float arrays, {@code KvCache});</li>
 *   <li>activations and scratch: {@link Session}'s buffers for {@link Session#MAX_BATCH} tokens, the logits,
 *       the sampler's two vocabulary-sized arrays and each thread's decoded weight tile;</li>
 *   <li>metadata and tokenizer: measured by building them in this JVM;</li>
 *   <li>the JVM: its young generation and its native memory, measured in this JVM ({@link RuntimeProfile}).</li>
 * </ul>
 */
public final class MemoryEstimator {
    /** Each compute thread's decoded tile in batched products (kernels' {@code BatchedRowProduct}). */
    static final long TILE_BYTES_PER_THREAD = 64 * 1024 * Float.BYTES;

    private final RuntimeProfile runtime;

    public MemoryEstimator(RuntimeProfile runtime) {
        this.runtime = runtime;
    }

    /** The context a session gets when none is asked for: the model's, at most {@link LocalModel#DEFAULT_MAX_CONTEXT}. */
    public static int effectiveContext(ModelConfig config, int requested) {
        return requested > 0 ? requested : Math.min(config.contextLength(), LocalModel.DEFAULT_MAX_CONTEXT);
    }

    public InferenceEstimate inference(ModelHeader model, int requestedContext, LoadMode mode, int threads) {
        return inference(model, requestedContext, mode, threads, null);
    }

    /**
     * With {@code convertTo} non-null, as the engine loads with {@code --dtype}: the file stays in memory and every
     * weight matrix whose rows are whole blocks of that type and whose type differs is converted into a
     * new off-heap copy ({@code WeightsAssembler}).
     */
    public InferenceEstimate inference(ModelHeader model, int requestedContext, LoadMode mode, int threads,
                                       GgmlType convertTo) {
        ModelConfig c = model.config();
        int context = effectiveContext(c, requestedContext);
        if (c.design().positions() == BlockDesign.Positions.LEARNED && context > c.contextLength()) {
            throw new InvalidRequestException("a context of " + context + " tokens is longer than the "
                    + c.contextLength() + " positions this model has learned embeddings for; use --context "
                    + c.contextLength() + " or less");
        }
        List<MemoryTerm> terms = new ArrayList<>();
        String how = mode == LoadMode.READ ? "read into off-heap memory" : "memory-mapped (page cache, evictable)";
        for (Map.Entry<GgmlType, Long> e : model.bytesByType().entrySet()) {
            terms.add(new MemoryTerm("weights " + e.getKey(), e.getValue(), Place.OFF_HEAP,
                    count(model, e.getKey()) + " tensors, exact from the header; " + how));
        }
        long tensorBytes = model.bytesByType().values().stream().mapToLong(Long::longValue).sum();
        terms.add(new MemoryTerm("file header, metadata, padding", model.fileBytes() - tensorBytes, Place.OFF_HEAP,
                "the rest of the file, which is " + how + " with the weights"));
        long converted = convertedBytes(model, convertTo);
        if (converted > 0) {
            terms.add(new MemoryTerm("weights converted" + (convertTo == null ? "" : " to " + convertTo), converted,
                    Place.OFF_HEAP, "copies made at load (--dtype, auto Q8_0, transposed Conv1D), beside the file"));
        }
        terms.add(new MemoryTerm("norms and biases", vectorBytes(model), Place.HEAP,
                "1-D tensors decoded to float arrays"));
        terms.add(new MemoryTerm("KV cache", kvCacheBytes(c, context), Place.HEAP,
                c.blockCount() + " layers x " + context + " tokens x " + c.kvDim() + " KV dim x 2 x 4 bytes"));
        terms.add(new MemoryTerm("activations and scratch", sessionScratchBytes(c) + samplerBytes(c)
                + threads * TILE_BYTES_PER_THREAD, Place.HEAP, "session buffers for " + Session.MAX_BATCH
                + " tokens, logits, sampler arrays, " + threads + " x 256 KB weight tiles"));
        terms.add(new MemoryTerm("metadata and tokenizer", model.metadataHeapBytes(), Place.HEAP,
                String.format(Locale.ROOT, model.metadataHeapBytes() > 0
                        ? "%,d tokens; measured by building them in this JVM"
                        : "%,d tokens; not measured (pre-flight check, or a tokenizer.json this build cannot load)",
                        model.vocabularyTokens())));
        terms.add(new MemoryTerm("JVM young generation", runtime.youngGenerationBytes(), Place.HEAP,
                "eden + 2 survivor spaces of this JVM (" + runtime.collector() + "), all touched while running"));
        terms.add(new MemoryTerm("JVM runtime", runtime.nativeBytes(), Place.JVM_NATIVE,
                "code, class metadata, code cache, stacks, GC structures: measured in this JVM"));
        return new InferenceEstimate(model, context, threads, terms);
    }

    /**
     * Bytes of the copies the engine makes at load ({@code WeightsAssembler}): a matrix is copied when it is
     * stored transposed or its target type differs; the target is {@code type} when the matrix's rows (its input
     * length) are whole blocks of it, else the stored type (F32 for a transposed quantized matrix).
     */
    public static long convertedBytes(ModelHeader model, GgmlType type) {
        long bytes = 0;
        for (GgufTensorInfo t : model.tensors()) {
            if (t.rank() != 2) {
                continue;
            }
            boolean transposed = model.transposed().contains(t.name());
            long cols = transposed ? t.dim(1) : t.dim(0);
            GgmlType target = type != null && cols % type.blockSize() == 0 ? type
                    : transposed && t.type().blockSize() != 1 ? GgmlType.F32 : t.type();
            if (transposed || target != t.type()) {
                bytes += target.bytesFor(t.elementCount());
            }
        }
        return bytes;
    }

    /** Exactly what {@code KvCache} allocates. */
    public static long kvCacheBytes(ModelConfig c, int context) {
        return 2L * c.blockCount() * context * c.kvDim() * Float.BYTES;
    }

    /** Exactly what {@link Session} allocates besides the KV cache ({@link Session#scratchBytes()}). */
    public static long sessionScratchBytes(ModelConfig c) {
        long d = c.embeddingLength();
        boolean gated = c.design().feedForward() == BlockDesign.FeedForward.SWIGLU; // GELU needs no gate buffer
        long perToken = d + Math.max(d, c.queryDim()) + c.queryDim() + 2L * c.kvDim() + c.queryDim()
                + (gated ? 2L : 1L) * c.feedForwardLength() + c.ropeDimensions();
        return (Session.MAX_BATCH * perToken + d + c.vocabSize()) * Float.BYTES;
    }

    /** The sampler's candidate ids and probabilities, one of each per vocabulary entry. */
    static long samplerBytes(ModelConfig c) {
        return 2L * c.vocabSize() * Integer.BYTES;
    }

    /** Norms and biases: every 1-D tensor, decoded to float. */
    public static long vectorBytes(ModelHeader model) {
        return model.tensors().stream().filter(t -> t.rank() == 1).mapToLong(GgufTensorInfo::elementCount).sum()
                * Float.BYTES;
    }

    private static long count(ModelHeader model, GgmlType type) {
        return model.tensors().stream().filter(t -> t.type() == type).count();
    }
}
