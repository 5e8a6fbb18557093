package dev.llmlab.system;

import dev.llmlab.error.LlmlabException;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.sampling.SamplingParams;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Measures the JVM's own memory as a {@code generate} run has it: a tiny synthetic model of the same
 * architecture and weight type is loaded and generates a few tokens in this JVM first, so the classes a run loads
 * (tokenizer, chat template, kernels), the code the JIT compiles and the compute threads are all there when
 * {@link RuntimeProfile#measure} reads VmRSS. Without it the runtime term missed 20-50 MB.
 */
public final class RuntimeCalibration {
    private static final String TINY_DIMS = ",vocab=512,d=64,layers=2,heads=4,kv=4,ffn=128,ctx=128";

    private RuntimeCalibration() {
    }

    /** The profile after a tiny run like {@code model}'s with {@code threads} threads; empty without /proc. */
    public static Optional<RuntimeProfile> measure(SystemSource source, ModelHeader model, int threads, Path tempDir) {
        Path file = null;
        try {
            file = Files.createTempFile(tempDir, "llmlab-calibration-", ".gguf");
            SyntheticModel.write(file, shapeLike(model), typeOf(model), 1);
            try (LocalModel tiny = LocalModel.load(file, LoadOptions.defaults().withThreads(threads)
                    .withContextLength(64));
                 LocalGenerator generator = new LocalGenerator(tiny)) {
                generator.generate(GenerationRequest.of("Once upon a time", SamplingParams.greedy(), 16));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a calibration model in " + tempDir + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a small temporary file left behind; the measurement itself is unaffected
                }
            }
        }
        return RuntimeProfile.measure(source);
    }

    private static ModelShape shapeLike(ModelHeader model) {
        try {
            return ModelShape.parseDims("arch=" + model.config().architecture() + TINY_DIMS);
        } catch (LlmlabException e) {
            return ModelShape.preset("tiny"); // an architecture synth does not write: the common decoder block
        }
    }

    /** The weight type holding most bytes, when synth can write it; else F32. */
    private static GgmlType typeOf(ModelHeader model) {
        GgmlType type = Recommender.dominantType(model);
        try {
            SyntheticModel.writer(ModelShape.preset("tiny"), type, 1);
            return type;
        } catch (LlmlabException e) {
            return GgmlType.F32;
        }
    }
}
