package dev.llmlab.cli;

import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.synth.WeightTypes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code llmlab synth}: writes a random-weight GGUF model of a real model's shape, for benchmarks. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a random-weight GGUF model with a real model's shape, for benchmarks.",
                "It makes noise, not text."})
final class SynthCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "OUT.gguf", description = "The file to write.")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Shape shape;

    static final class Shape {
        @Option(names = "--like", paramLabel = "NAME", completionCandidates = PresetNames.class,
                description = "A known shape: ${COMPLETION-CANDIDATES}.")
        String like;

        @Option(names = "--dims", paramLabel = "SPEC", description = "Explicit dimensions, e.g. "
                + "d=256,layers=4,heads=8,kv=2,ffn=688 (keys: arch, vocab, d, layers, heads, kv, ffn, ctx, theta, "
                + "eps, tied).")
        String dims;

        ModelShape resolve() {
            return like != null ? ModelShape.preset(like) : ModelShape.parseDims(dims);
        }
    }

    /** The preset names, for the help text. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelShape.presetNames().iterator();
        }
    }

    @Option(names = "--type", paramLabel = "T", defaultValue = "Q8_0",
            description = "Weight type: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 (random values, encoded), Q2_K..Q6_K,"
                    + " IQ4_NL, IQ4_XS (random valid blocks, for speed), or the mixes Q3_K_M, Q4_K_M, Q5_K_M, laid out"
                    + " as the quantizer does (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    SynthCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ModelShape modelShape = shape.resolve();
        WeightTypes weightType = WeightTypes.parse(type);
        long start = System.nanoTime();
        SyntheticModel.write(out, modelShape, weightType, seed);
        long bytes = size(out);
        context.out().println("wrote " + out + ": " + modelShape.name() + " shape ("
                + modelShape.architecture().ggufName() + ", " + HumanUnits.count(SyntheticModel.parameterCount(modelShape))
                + " params, " + weightType.name() + ", " + HumanUnits.bytes(bytes) + ") in "
                + HumanUnits.duration(java.time.Duration.ofNanos(System.nanoTime() - start)));
        context.out().flush();
        return 0;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }
}
