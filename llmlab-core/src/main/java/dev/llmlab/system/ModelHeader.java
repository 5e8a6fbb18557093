package dev.llmlab.system;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.model.ModelConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a memory estimate needs to know about a model, all of it from the file's header: the hyper-parameters, every
 * tensor's type and shape, and the file's layout. No weight is read to build one.
 *
 * @param name             the model's name
 * @param source           where the header came from (a path or a hub reference)
 * @param config           hyper-parameters
 * @param tensors          every tensor, in file order
 * @param dataOffsetBytes  where the tensor data starts (header + metadata + padding)
 * @param alignment        tensor data alignment in the file
 * @param fileBytes        the file's size
 * @param vocabularyTokens tokens in the tokenizer
 * @param metadataHeapBytes heap that the parsed metadata and the tokenizer retain, measured in this JVM by
 *                          building them (see {@link HeapProbe}); 0 when not measured
 * @param quantizeWhenLarge the format loads as Q8_0 above 1B parameters unless told otherwise (Hugging Face)
 * @param transposed        tensors stored transposed (GPT-2's Conv1D), which the engine copies at load
 */
public record ModelHeader(String name, String source, ModelConfig config, List<GgufTensorInfo> tensors,
                          long dataOffsetBytes, int alignment, long fileBytes, int vocabularyTokens,
                          long metadataHeapBytes, boolean quantizeWhenLarge, Set<String> transposed) {

    public ModelHeader {
        tensors = List.copyOf(tensors);
        transposed = Set.copyOf(transposed);
    }

    public long parameterCount() {
        return tensors.stream().mapToLong(GgufTensorInfo::elementCount).sum();
    }

    /** Bytes of tensor data per type, exactly as stored (without alignment padding). */
    public Map<GgmlType, Long> bytesByType() {
        Map<GgmlType, Long> bytes = new TreeMap<>();
        tensors.forEach(t -> bytes.merge(t.type(), t.sizeBytes(), Long::sum));
        return bytes;
    }

    /**
     * The same model stored with its weight matrices in {@code type}: 2-D tensors whose rows are whole blocks of
     * {@code type} take it, others fall back to F16 (as llama.cpp's quantizer and {@code llmlab synth} do); 1-D
     * tensors (norms, biases) and the position embedding keep their type. The file size is recomputed with the
     * same header and alignment.
     */
    public ModelHeader retyped(GgmlType type) {
        List<GgufTensorInfo> retyped = tensors.stream().map(t -> new GgufTensorInfo(t.name(), t.shape(),
                typeFor(t, type), 0)).toList();
        long size = dataOffsetBytes;
        for (GgufTensorInfo t : retyped) {
            size = alignUp(size, alignment) + t.sizeBytes();
        }
        return new ModelHeader(name, source, config, retyped, dataOffsetBytes, alignment, size, vocabularyTokens,
                metadataHeapBytes, quantizeWhenLarge, transposed);
    }

    private static GgmlType typeFor(GgufTensorInfo t, GgmlType type) {
        if (t.rank() < 2 || t.name().startsWith("position_embd")) {
            return t.type();
        }
        return t.dim(0) % type.blockSize() == 0 ? type : GgmlType.F16;
    }

    private static long alignUp(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
