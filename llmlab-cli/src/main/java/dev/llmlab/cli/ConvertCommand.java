package dev.llmlab.cli;

import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.hf.HfCheckpoint;
import dev.llmlab.hf.HfToGguf;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.WeightDtype;
import dev.llmlab.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code llmlab convert}: a Hugging Face checkpoint directory to a GGUF file that llama.cpp and llmlab load. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a Hugging Face checkpoint directory to a GGUF file.",
                "The directory holds config.json, safetensors and tokenizer.json; the file is written as",
                "llama.cpp's convert_hf_to_gguf.py writes it."})
final class ConvertCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "OUT.gguf", description = "The file to write (atomically).")
    Path out;

    @Option(names = "--type", paramLabel = "T", defaultValue = "auto", converter = ModelOptions.DtypeConverter.class,
            description = "Weight matrix type: f32, f16, bf16, q8_0, q4_0, or auto = as stored (default: "
                    + "${DEFAULT-VALUE}). Norms and biases stay F32; rows that are not whole blocks keep their type.")
    WeightDtype type;

    ConvertCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(directory)) {
            throw new InvalidRequestException(directory + " is not a directory; convert takes a Hugging Face "
                    + "checkpoint directory (config.json + safetensors + tokenizer.json)");
        }
        long start = System.nanoTime();
        try (HfCheckpoint checkpoint = HfCheckpoint.open(directory, LoadMode.MMAP, ArchitectureRegistry.defaults());
             ComputePool pool = ComputePool.ofThreads(Runtime.getRuntime().availableProcessors())) {
            GgufWriter writer = HfToGguf.plan(checkpoint, type.type(), pool);
            writer.write(out);
            context.out().println("wrote " + out + ": " + checkpoint.config().architecture() + ", "
                    + writer.tensors().size() + " tensors, "
                    + (type == WeightDtype.AUTO ? "as stored" : type.name().toLowerCase(Locale.ROOT)) + ", "
                    + HumanUnits.bytes(writer.fileSizeBytes()) + " in "
                    + HumanUnits.duration(Duration.ofNanos(System.nanoTime() - start)));
            context.out().flush();
        }
        return 0;
    }
}
