package dev.llmlab.cli;

import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.FileData;
import dev.llmlab.io.LoadMode;
import dev.llmlab.modify.AddTokens;
import dev.llmlab.modify.MergeLora;
import dev.llmlab.modify.ModelDiff;
import dev.llmlab.modify.ModelModifier;
import dev.llmlab.modify.Quantize;
import dev.llmlab.model.GenerationDefaults;
import dev.llmlab.modify.SelectLayers;
import dev.llmlab.modify.SetGenerationDefaults;
import dev.llmlab.modify.SetPadToken;
import dev.llmlab.modify.SetContextLength;
import dev.llmlab.modify.SetRopeScaling;
import dev.llmlab.quant.QuantTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code llmlab modify}: applies model modifiers (pure functions of {@link GgufModel}) to a GGUF file and writes
 * the result atomically, then says what changed.
 */
@Command(name = "modify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a modified copy of a GGUF model (atomically); the input is never changed.",
                "Merge a LoRA adapter, drop or keep layers, set the context length and RoPE scaling, add tokens,",
                "set the pad token, store generation defaults, quantize tensors: in that order, whatever the order",
                "of the options. Hugging Face checkpoints: convert them first (llmlab convert DIR model.gguf)."},
        footer = {"", "Examples:",
                "  llmlab modify --drop-layers 4 stories260K.gguf pruned.gguf",
                "  llmlab modify model.gguf q8.gguf --type Q8_0 --tensors 'blk\\.\\d+\\.attn_.*'",
                "  llmlab modify base.gguf tuned.gguf --lora ./my-adapter --temperature 0.7 --stop '</s>'"})
final class ModifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.gguf", description = "The model to modify (never changed).")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.gguf", description = "The file to write.")
    Path output;

    @Option(names = "--drop-layers", paramLabel = "LIST",
            description = "Remove these transformer blocks, e.g. 4 or 1,3 or 2-5; the rest are renumbered.")
    String dropLayers;

    @Option(names = "--keep-layers", paramLabel = "LIST", description = "Keep only these blocks (same syntax).")
    String keepLayers;

    @Option(names = "--type", paramLabel = "T", description = "Quantize to this type or mix (e.g. Q8_0, Q4_K_M).")
    String type;

    @Option(names = "--tensors", paramLabel = "REGEX",
            description = "With --type: quantize only tensors whose whole name matches, e.g. 'blk\\.\\d+\\.ffn_.*'.")
    String tensorPattern;

    @Option(names = "--context", paramLabel = "N", description = "Set the declared context length.")
    Integer contextLength;

    @Option(names = "--rope-scaling", paramLabel = "SPEC", description = {"Set RoPE scaling: none, linear:F, or",
            "llama3:F[:LOW:HIGH[:ORIGINAL_CONTEXT]] (defaults 1, 4, the model's context length)."})
    String ropeScaling;

    @Option(names = "--add-tokens", paramLabel = "T,T", split = ",", description = {"Add special tokens to the",
            "vocabulary; embeddings grow, new rows = the mean of the existing rows."})
    List<String> addTokens;

    @Option(names = "--pad-token", paramLabel = "TOKEN", description = {"Set the padding token (added as a special",
            "token if the vocabulary lacks it), e.g. '<|endoftext|>' for GPT-2."})
    String padToken;

    @Option(names = "--lora", paramLabel = "DIR", description = {"Merge a PEFT LoRA adapter (adapter_config.json,",
            "adapter_model.safetensors): W' = W + alpha/r * scale * B A; quantized weights are re-encoded."})
    Path lora;

    @Option(names = "--lora-scale", paramLabel = "S", description = "Multiplier on the adapter (default: 1).")
    Float loraScale;

    @Option(names = "--temperature", paramLabel = "T", description = "Store a default temperature in the model.")
    Float temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Store a default top-p.")
    Float topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Store a default top-k.")
    Integer topK;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Store a default for the most tokens to generate.")
    Integer maxTokens;

    @Option(names = "--stop", paramLabel = "S", description = "Store a default stop string (repeatable).")
    List<String> stops;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all ${DEFAULT-VALUE} processors).")
    int threads;

    ModifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (spec.commandLine().getParseResult().matchedOptions().stream()
                .allMatch(o -> o.longestName().equals("--threads"))) {
            throw new ParameterException(spec.commandLine(), "nothing to do: give at least one modifier option"
                    + " (--drop-layers, --keep-layers, --type, --context, --rope-scaling, ...)");
        }
        if (Files.isDirectory(input)) {
            throw new InvalidRequestException(input + " is a directory (a Hugging Face checkpoint?); modify works on"
                    + " GGUF: convert it first with llmlab convert " + input + " model.gguf");
        }
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "OUT.gguf must differ from IN.gguf (the input is "
                    + "never changed)");
        }
        FileData.sizeOf(input);
        long start = System.nanoTime();
        try (GgufFile in = GgufFile.open(input, LoadMode.READ)) {
            GgufModel source = GgufModel.of(in);
            ModelModifier all = modifiers(source).stream().reduce(ModelModifier::andThen).orElseThrow();
            all.check(source);
            GgufModel modified = all.apply(source);
            modified.write(output, (t, done, total) -> { });
            ModelDiff diff = ModelDiff.between(source, modified);
            long millis = (System.nanoTime() - start) / 1_000_000;
            lines(all, diff, millis, new Ansi(context.stdout().ansi())).forEach(context.out()::println);
        }
        context.out().flush();
        return 0;
    }

    /** The modifiers the options ask for, in a fixed order: LoRA first, structure, quantization last. */
    private List<ModelModifier> modifiers(GgufModel source) {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        List<ModelModifier> out = new ArrayList<>();
        if (loraScale != null && lora == null) {
            throw new ParameterException(spec.commandLine(), "--lora-scale scales the adapter of --lora DIR");
        }
        if (lora != null) {
            // first: the adapter's module names count the layers of the model it was trained on
            out.add(new MergeLora(lora, loraScale == null ? 1f : loraScale));
        }
        if (dropLayers != null && keepLayers != null) {
            throw new ParameterException(spec.commandLine(), "give --drop-layers or --keep-layers, not both");
        }
        if (dropLayers != null) {
            out.add(SelectLayers.drop(SelectLayers.parseList(dropLayers)));
        }
        if (keepLayers != null) {
            out.add(SelectLayers.keep(SelectLayers.parseList(keepLayers)));
        }
        if (contextLength != null) {
            out.add(new SetContextLength(contextLength));
        }
        if (ropeScaling != null) {
            out.add(SetRopeScaling.parse(ropeScaling, source));
        }
        if (addTokens != null) {
            out.add(new AddTokens(addTokens, true));
        }
        if (padToken != null) {
            out.add(new SetPadToken(padToken));
        }
        GenerationDefaults defaults = new GenerationDefaults(temperature, topP, topK, maxTokens,
                stops == null ? List.of() : stops);
        if (!defaults.isEmpty()) {
            out.add(new SetGenerationDefaults(defaults));
        }
        if (tensorPattern != null && type == null) {
            throw new ParameterException(spec.commandLine(), "--tensors selects what --type quantizes; add --type T");
        }
        if (type != null) {
            QuantTarget target = QuantTarget.parse(type);
            out.add(tensorPattern == null ? Quantize.all(target, threads)
                    : new Quantize(target, tensorPattern, false, threads));
        }
        return out;
    }

    private List<String> lines(ModelModifier modifier, ModelDiff diff, long millis, Ansi ansi) {
        List<String> lines = new ArrayList<>();
        lines.add(ansi.style("✔", Style.GREEN) + " wrote " + output + " from " + input.getFileName() + " in "
                + millis + " ms: " + modifier.describe());
        lines.add(String.format(Locale.ROOT, "  tensors   %d -> %d: %d unchanged (shared), %d changed, %d renamed,"
                        + " %d removed, %d added", diff.tensorsBefore(), diff.tensorsAfter(), diff.unchanged(),
                diff.changed().size(), diff.renamed().size(), diff.removed().size(), diff.added().size()));
        lines.add(String.format(Locale.ROOT, "  size      %s -> %s (%.1f%%)", HumanUnits.bytes(diff.bytesBefore()),
                HumanUnits.bytes(diff.bytesAfter()), 100.0 * diff.bytesAfter() / Math.max(1, diff.bytesBefore())));
        addList(lines, "changed", diff.changed());
        addList(lines, "removed", diff.removed());
        addList(lines, "added", diff.added());
        diff.metadataChanges().forEach(c -> lines.add("  metadata  " + c));
        return lines;
    }

    /** A few names of a list, so a 1B model's summary stays short. */
    private static void addList(List<String> lines, String what, List<String> names) {
        int shown = Math.min(names.size(), 6);
        for (int i = 0; i < shown; i++) {
            lines.add(String.format(Locale.ROOT, "  %-9s %s", what, names.get(i)));
        }
        if (names.size() > shown) {
            lines.add(String.format(Locale.ROOT, "  %-9s ... and %d more", what, names.size() - shown));
        }
    }
}
