package dev.llmlab.system;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.hub.EloTable;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.HubModelInfo;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.RepoFile;
import dev.llmlab.hub.SearchHit;
import dev.llmlab.hub.SearchQuery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smaller models that would fit, from a hub search: GGUF text-generation repositories matching a pattern, most
 * downloaded first; for each of the first {@code candidates}, one file listing gives the GGUF quantizations and
 * their sizes; each is estimated without reading its header (see {@link #estimate}) and kept when it fits.
 * Ranked by arena ELO where known (rated models first, best first), then by downloads.
 */
public final class HubRecommendations {
    /** The quantization tried first: llama.cpp's usual default, a good size/quality trade. */
    public static final String PREFERRED_QUANT = "Q4_K_M";
    public static final int DEFAULT_CANDIDATES = 20;
    /** How each candidate's memory is estimated, said wherever the numbers are shown. */
    public static final String BASIS = "weights = the GGUF file's size (read whole, as generate does); KV cache "
            + "approximated (no header read): this model's KV bytes per parameter x the parameters the file size "
            + "implies at that quantization's bits per weight; the rest (JVM, buffers, tokenizer) as for this model";

    /** A model that fits: {@code repo:quant} with its estimate and popularity. */
    public record Candidate(String repo, String quant, long fileBytes, long inferenceBytes, long heapBytes,
                            long downloads, long likes, OptionalInt elo, Verdict verdict) {
        public String ref() {
            return repo + ":" + quant;
        }
    }

    /**
     * The outcome of a search.
     *
     * @param query   the search pattern sent
     * @param models  candidates that fit, ranked
     * @param checked candidates whose files were listed
     * @param note    one line when something kept the list short (offline, a hub error, the time limit), or null
     */
    public record Result(String query, List<Candidate> models, int checked, String note) {
        public Result {
            models = List.copyOf(models);
        }

        public static Result skipped(String query, String why) {
            return new Result(query, List.of(), 0, why);
        }
    }

    /** Rated first, higher ELO first; then more downloads, then more likes. */
    static final Comparator<Candidate> RANKING = Comparator
            .comparing((Candidate c) -> c.elo().isEmpty())
            .thenComparing(c -> -c.elo().orElse(0))
            .thenComparing(c -> -c.downloads())
            .thenComparing(c -> -c.likes());

    private final HubApi api;
    private final EloTable elo;
    private final Recommender recommender;
    private final int candidates;

    public HubRecommendations(HubApi api, EloTable elo, Recommender recommender, int candidates) {
        this.api = api;
        this.elo = elo;
        this.recommender = recommender;
        this.candidates = candidates;
    }

    /** The search pattern for a model: its architecture name ({@code llama}, {@code qwen2}, ...). */
    public static String defaultQuery(ModelHeader model) {
        return model.config().architecture();
    }

    /**
     * Searches for {@code pattern} and returns what fits instead of {@code current}, giving up after
     * {@code timeLimit} with what was found so far (a slow hub must not hold {@code fit} up).
     */
    public Result find(InferenceEstimate current, String pattern, Duration timeLimit) {
        List<Candidate> found = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        // not try-with-resources: close() would wait for a request that ignores the interrupt
        ExecutorService worker = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<?> search = worker.submit(() -> search(current, pattern, found, checked, failed));
            String note;
            try {
                search.get(timeLimit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                note = failed.get() == 0 ? null : failed.get() + " of " + checked.get()
                        + " candidates skipped: the hub did not list their files";
            } catch (TimeoutException e) {
                search.cancel(true);
                note = String.format(Locale.ROOT, "hub search stopped after %.1f s: ", timeLimit.toMillis() / 1000.0)
                        + checked.get()
                        + " candidates checked";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                note = "hub search failed (" + (cause.getMessage() != null ? cause.getMessage()
                        : cause.getClass().getSimpleName()) + "): the rest of the report stands";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                search.cancel(true);
                note = "hub search interrupted";
            }
            List<Candidate> ranked;
            synchronized (found) {
                ranked = found.stream().sorted(RANKING).toList();
            }
            return new Result(pattern, ranked, checked.get(), note);
        } finally {
            worker.shutdownNow();
        }
    }

    private void search(InferenceEstimate current, String pattern, List<Candidate> found, AtomicInteger checked,
                        AtomicInteger failed) {
        List<SearchHit> hits = api.search(new SearchQuery(pattern, SearchQuery.Sort.DOWNLOADS, candidates, "gguf"));
        for (SearchHit hit : hits.stream().limit(candidates).toList()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (hit.id() == null || (hit.pipelineTag() != null && !hit.pipelineTag().equals("text-generation"))) {
                continue; // vision, embedding, ... models tagged gguf
            }
            checked.incrementAndGet();
            List<RepoFile> files;
            try {
                files = api.listFiles(hit.id(), ModelRef.Hub.DEFAULT_REVISION);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                failed.incrementAndGet();
                continue;
            }
            choose(current, hit, files).ifPresent(found::add);
        }
    }

    /** {@value #PREFERRED_QUANT} when it fits, else the smallest quantization that fits. */
    Optional<Candidate> choose(InferenceEstimate current, SearchHit hit, List<RepoFile> files) {
        List<RepoFile> models = files.stream().filter(f -> !f.path().toLowerCase(Locale.ROOT).contains("mmproj"))
                .toList();
        HubModelInfo info = new HubModelInfo(hit.id(), null, null, hit.downloads(), hit.likes(), null,
                hit.pipelineTag(), -1, null, false, models);
        OptionalInt rating = elo.forHubId(hit.id()).map(r -> OptionalInt.of(r.score())).orElse(OptionalInt.empty());
        List<Candidate> fitting = new ArrayList<>();
        for (HubModelInfo.GgufQuant q : info.ggufQuants()) {
            OptionalDouble bits = bitsPerWeight(q.quant());
            if (bits.isEmpty() || q.sizeBytes() <= 0) {
                continue; // no quantization in the name, or no size: nothing to estimate from
            }
            long[] memory = estimate(current, q.sizeBytes(), bits.getAsDouble());
            Verdict verdict = recommender.judge(memory[0], memory[1]);
            if (verdict.level() == Verdict.Level.FITS) {
                fitting.add(new Candidate(hit.id(), q.quant(), q.sizeBytes(), memory[0], memory[1], hit.downloads(),
                        hit.likes(), rating, verdict));
            }
        }
        return fitting.stream().filter(c -> c.quant().equals(PREFERRED_QUANT)).findFirst()
                .or(() -> fitting.stream().min(Comparator.comparingLong(Candidate::fileBytes)));
    }

    /**
     * {total, heap} bytes for a GGUF file of {@code fileBytes} at {@code bits} per weight, from the current model's
     * estimate: the file replaces the off-heap terms, the KV cache scales with the implied parameter count, every
     * other term (JVM, young generation, buffers, tokenizer) is kept as it is.
     */
    static long[] estimate(InferenceEstimate current, long fileBytes, double bits) {
        long currentKv = current.term("KV cache");
        long parameters = Math.max(1, current.model().parameterCount());
        double impliedParameters = fileBytes * 8.0 / bits;
        long kv = Math.round((double) currentKv / parameters * impliedParameters);
        long rest = current.totalBytes() - current.bytesIn(MemoryTerm.Place.OFF_HEAP) - currentKv;
        return new long[] {fileBytes + rest + kv, current.heapBytes() - currentKv + kv};
    }

    /**
     * Bits per weight of a quantization named in a file name: its GGML type ({@code Q4_K_M} and {@code Q4_K_S} are
     * counted as {@code Q4_K}, a slight underestimate for the _M mixes), empty when unknown.
     */
    static OptionalDouble bitsPerWeight(String quant) {
        String name = quant.toUpperCase(Locale.ROOT).replace("FP16", "F16").replace("FP32", "F32");
        for (String candidate : List.of(name, name.replaceFirst("_[A-Z]{1,2}$", ""))) {
            try {
                return OptionalDouble.of(GgmlType.valueOf(candidate).bitsPerWeight());
            } catch (IllegalArgumentException notAType) {
                // try the next spelling
            }
        }
        return OptionalDouble.empty();
    }
}
