package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.tokenizer.GgufTokenizerLoader;
import dev.llmlab.tokenizer.Tokenizer;
import dev.llmlab.tokenizer.hf.HfTokenizerLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code llmlab tokenize}: text to token ids with the model's tokenizer. Loads only the vocabulary, so it
 * works on vocabulary-only GGUF files and costs nothing on big models.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the token ids of a text (with --json also the pieces).")
final class TokenizeCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--model", paramLabel = "REF", defaultValue = dev.llmlab.hub.ModelResolver.DEFAULT_MODEL,
            description = "A .gguf file (a vocabulary-only one will do), a directory or a hub id "
                    + "(default: ${DEFAULT-VALUE}).")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "The text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "A UTF-8 file to tokenize.")
        Path file;
    }

    @Option(names = "--no-bos", description = "Do not add the beginning-of-sequence token (default: as the "
            + "model's metadata says).")
    boolean noBos;

    @Option(names = "--json", description = "{\"ids\": [...], \"pieces\": [...]}")
    boolean json;

    TokenizeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        String text = input.text != null ? input.text : readFile(input.file);
        Path path = context.modelResolver().resolve(dev.llmlab.hub.ModelRef.parse(model));
        Tokenizer tokenizer = tokenizer(path);
        boolean addBos = !noBos && tokenizer.addBosByDefault();
        int[] ids = tokenizer.encode(text, addBos, true);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            Arrays.stream(ids).forEach(o.putArray("ids")::add);
            Arrays.stream(ids).mapToObj(tokenizer::piece).forEach(o.putArray("pieces")::add);
            context.out().println(mapper.writeValueAsString(o));
        } else {
            context.out().println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        }
        context.out().flush();
        return 0;
    }

    /** A Hugging Face checkpoint directory's tokenizer.json (as generate loads it), else the GGUF metadata. */
    private static Tokenizer tokenizer(Path model) {
        if (Files.isDirectory(model)) {
            return HfTokenizerLoader.load(model);
        }
        try (GgufFile file = GgufFile.open(model, LoadMode.MMAP)) {
            return GgufTokenizerLoader.load(file.metadata());
        }
    }

    private static String readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidRequestException("no such file: " + file.toAbsolutePath() + " (given with --file)");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as UTF-8 text: " + e.getMessage(), e);
        }
    }
}
