package dev.llmlab.experiment.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.sampling.SamplingParams;

import java.util.List;
import java.util.Map;

/**
 * What one run of an experiment did, as written to {@code experiments_out/<id>.json}: enough to compare runs
 * and to rerun it ({@code llmlab run --replay}) and get the same tokens.
 *
 * @param formatVersion   {@link #FORMAT_VERSION}
 * @param id              unique name of the run, also the file name without {@code .json}
 * @param createdAt       when the run started (ISO-8601, UTC)
 * @param llmlabVersion   the llmlab build that ran it
 * @param experimentNumber the experiment's number
 * @param experimentName  the experiment's name
 * @param parameters      what was asked
 * @param models          the model files used, with their SHA-256
 * @param backend         the generator backend (e.g. {@code llmlab-java})
 * @param hardware        the machine
 * @param seed            the sampling seed
 * @param outputs         generations, metrics and the experiment's details
 * @param totalSeconds    wall time of the run (model loading included)
 */
public record RunRecord(int formatVersion, String id, String createdAt, String llmlabVersion, int experimentNumber,
                        String experimentName, Parameters parameters, List<ModelFile> models, String backend,
                        HardwareSummary hardware, long seed, Outputs outputs, double totalSeconds) {
    public static final int FORMAT_VERSION = 1;

    public RunRecord {
        models = List.copyOf(models);
    }

    /**
     * @param prompt      the user's prompt (null: the experiment's default)
     * @param sampling    sampling parameters
     * @param maxTokens   token limit per generation
     * @param stopStrings stop strings
     * @param options     experiment options ({@code --set key=value})
     * @param threads     threads for matrix work
     * @param contextLength KV cache length asked for (0: the model's)
     * @param loadMode    {@code READ} or {@code MMAP}
     */
    public record Parameters(String prompt, SamplingParams sampling, int maxTokens, List<String> stopStrings,
                             Map<String, String> options, int threads, int contextLength, String loadMode) {
    }

    /** A model file the run used: the reference as typed, where it was found, its size and SHA-256. */
    public record ModelFile(String ref, String file, long sizeBytes, String sha256) {
    }

    /** The run's results. */
    public record Outputs(List<GenerationRecord> generations, Map<String, Double> metrics, JsonNode details) {
    }

    /** One generation: request, tokens, text and timings. */
    public record GenerationRecord(String label, String prompt, SamplingParams sampling, String text,
                                   List<Integer> tokenIds, String finishReason, Timing timings) {
    }

    /** The timing record in milliseconds and rates. */
    public record Timing(int promptTokens, double promptMs, int generatedTokens, double generationMs, double ttftMs,
                         double totalMs, double promptTokensPerSecond, double tokensPerSecond) {
    }

    /** A short description of the model(s): the first reference, and how many more. */
    public String modelSummary() {
        if (models.isEmpty()) {
            return "-";
        }
        return models.getFirst().ref() + (models.size() > 1 ? " (+" + (models.size() - 1) + ")" : "");
    }
}
