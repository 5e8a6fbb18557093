package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.model.LocalModel;
import dev.llmlab.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 6: perplexity of a model on a text file, by llama.cpp's chunked method unless a stride asks for
 * Hugging Face's sliding window (see {@link PerplexityEvaluator}). The context is the run's {@code --context},
 * else 512 like llama-perplexity.
 */
public final class Perplexity implements Experiment {
    public static final int DEFAULT_CONTEXT = 512;

    @Override
    public int number() {
        return 6;
    }

    @Override
    public String name() {
        return "perplexity";
    }

    @Override
    public String description() {
        return "Perplexity of a model on a text file (llama.cpp's chunked method; --stride for a sliding window)";
    }

    @Override
    public List<ExperimentOption> options() {
        return List.of(
                new ExperimentOption("file", "", "the text file to score (required; also --file)"),
                new ExperimentOption("stride", "0", "0: llama.cpp's chunks; N: Hugging Face's sliding window "
                        + "moving N tokens (also --stride)"),
                new ExperimentOption("chunks", "0", "score at most this many chunks (0: all), like --chunks of "
                        + "llama-perplexity"));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        String text = readText(p.option("file", ""));
        int stride = p.intOption("stride", 0);
        int configured = context.models().loadOptions().contextLength();
        int contextLength = configured > 0 ? configured : DEFAULT_CONTEXT;
        try (LocalModel model = context.models().load(context.models().refs().getFirst(),
                o -> o.withContextLength(contextLength))) {
            PerplexityResult result = evaluate(model, text, contextLength, stride, p.intOption("chunks", 0),
                    context.listener());
            context.listener().note(summary(result));
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("perplexity", result.perplexity());
            metrics.put("perplexity_uncertainty", result.uncertainty());
            metrics.put("scored_tokens", (double) result.scoredTokens());
            metrics.put("eval_tokens_per_second", result.tokensPerSecond());
            return ExperimentResult.of(this, List.of(), metrics, result);
        }
    }

    /** Tokenizes as llama-perplexity does (BOS as the model asks, special tokens as text) and evaluates. */
    public static PerplexityResult evaluate(LocalModel model, String text, int contextLength, int stride,
                                            int maxChunks, ExperimentListener listener) {
        Tokenizer tokenizer = model.tokenizer();
        boolean addBos = tokenizer.addBosByDefault() && tokenizer.bosId().isPresent();
        int[] tokens = tokenizer.encode(text, addBos, false);
        PerplexityEvaluator evaluator = new PerplexityEvaluator(LogitsScorer.of(model.newSession()), System::nanoTime);
        String task = stride > 0 ? "windows" : "chunks";
        PerplexityEvaluator.Progress progress = (done, total, ppl) ->
                listener.progress(task, done, total, done == 0 ? "" : String.format(Locale.ROOT, "[%d]%.4f", done, ppl));
        return stride > 0
                ? evaluator.slidingWindow(tokens, contextLength, stride, progress)
                : evaluator.chunked(tokens, contextLength, addBos ? tokenizer.bosId().getAsInt() : -1, maxChunks,
                progress);
    }

    /** llama.cpp's last line, with what was measured. */
    static String summary(PerplexityResult r) {
        return String.format(Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f  (%s, n_ctx %d%s, %d %s, %d scored "
                        + "tokens of %d, %.1f s)", r.perplexity(), r.uncertainty(), r.method(), r.contextLength(),
                r.stride() > 0 ? ", stride " + r.stride() : "", r.chunks(), r.stride() > 0 ? "windows" : "chunks",
                r.scoredTokens(), r.textTokens(), r.seconds());
    }

    /** The file as llama.cpp's {@code -f} reads it: UTF-8, one trailing newline removed. */
    static String readText(String file) {
        if (file.isBlank()) {
            throw new InvalidRequestException("perplexity needs a text: pass --file TEXT (a UTF-8 text file)");
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new InvalidRequestException("text file not found: " + path.toAbsolutePath()
                    + "; pass --file with an existing text file");
        }
        try {
            String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new InvalidRequestException("cannot read " + path + ": " + e.getMessage());
        }
    }
}
