package dev.llmlab.generate;

import dev.llmlab.chat.ChatRequest;
import dev.llmlab.chat.ChatTemplate;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.model.GenerationDefaults;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.sampling.Sampler;
import dev.llmlab.sampling.TokenHistory;
import dev.llmlab.tokenizer.StreamingDecoder;
import dev.llmlab.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The pure-Java engine as a {@link Generator}. Holds one session (KV cache) that each request resets, so it
 * serves one request at a time; make one generator per concurrent user over a shared {@link LocalModel}.
 */
public final class LocalGenerator implements Generator {
    public static final String BACKEND = "llmlab-java";

    private final LocalModel model;
    private final Ticker ticker;
    private Session session;

    public LocalGenerator(LocalModel model) {
        this(model, Ticker.system());
    }

    public LocalGenerator(LocalModel model, Ticker ticker) {
        this.model = model;
        this.ticker = ticker;
    }

    @Override
    public String describe() {
        return BACKEND + ":" + model.info().name();
    }

    @Override
    public GenerationDefaults generationDefaults() {
        return model.generationDefaults();
    }

    @Override
    public GenerationStream stream(GenerationRequest request) {
        if (session == null) {
            session = model.newSession();
        }
        session.reset();
        return new LocalStream(request);
    }

    /**
     * Renders the conversation with the model's chat template (ending where the assistant's reply begins) and
     * generates from it. Special-token texts in the rendered prompt are parsed as tokens; BOS is added only when
     * the model wants one and the template did not already write it (llama.cpp's rule). Generation ends at the
     * model's end-of-generation tokens ({@code <|im_end|>}, {@code <|eot_id|>}, ...) and before the template's
     * stop strings.
     */
    @Override
    public GenerationStream chat(ChatRequest request) {
        ChatTemplate template = model.chatTemplate();
        String prompt = template.render(request.messages(), true);
        Tokenizer tokenizer = model.tokenizer();
        String head = prompt.substring(0, Math.min(prompt.length(), 64)); // BOS text, if any, is at the start
        int[] headIds = tokenizer.encode(head, false, true);
        boolean templateWroteBos = tokenizer.bosId().isPresent() && headIds.length > 0
                && headIds[0] == tokenizer.bosId().getAsInt();
        List<String> stops = new ArrayList<>(request.stopStrings());
        stops.addAll(template.stopStrings());
        return stream(new GenerationRequest(prompt, request.sampling(), request.maxTokens(), stops,
                tokenizer.addBosByDefault() && !templateWroteBos));
    }

    @Override
    public void close() {
        session = null;
    }

    private final class LocalStream implements GenerationStream {
        private final GenerationRequest request;
        private final long startNanos = ticker.nanoTime();
        private final Tokenizer tokenizer = model.tokenizer();
        private final StreamingDecoder decoder = tokenizer.newStreamingDecoder();
        private final Sampler sampler;
        private final StopStringMatcher stops;
        private final TokenHistory history = new TokenHistory();
        private final List<Integer> generated = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private int emitted;
        private float[] logits;
        private int promptTokens;
        private long promptDoneNanos;
        private long firstTokenNanos;
        private long lastTokenNanos;
        private boolean started;
        private boolean finished;
        private boolean closed;
        private boolean contextFull;

        LocalStream(GenerationRequest request) {
            this.request = request;
            this.sampler = Sampler.of(request.sampling());
            this.stops = new StopStringMatcher(request.stopStrings());
        }

        @Override
        public boolean hasNext() {
            return !finished && !closed;
        }

        @Override
        public GenerationEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (!started) {
                started = true;
                return processPrompt();
            }
            if (generated.size() >= request.maxTokens()) {
                return finish(FinishReason.MAX_TOKENS);
            }
            if (contextFull) {
                return finish(FinishReason.CONTEXT_FULL);
            }
            int token = sampler.sample(logits, history);
            long now = ticker.nanoTime();
            if (generated.isEmpty()) {
                firstTokenNanos = now;
            }
            if (tokenizer.isEndOfGeneration(token)) {
                return finish(FinishReason.EOS);
            }
            lastTokenNanos = now;
            generated.add(token);
            history.add(token);
            int index = generated.size() - 1;
            text.append(decoder.next(token));
            int stopAt = stops.find(text, emitted);
            if (stopAt >= 0) {
                text.setLength(stopAt);
                return finish(FinishReason.STOP_STRING);
            }
            boolean last = generated.size() >= request.maxTokens();
            if (last) {
                text.append(decoder.flush());
                int stopAtEnd = stops.find(text, emitted);
                if (stopAtEnd >= 0) {
                    text.setLength(stopAtEnd);
                    return finish(FinishReason.STOP_STRING);
                }
            }
            int safe = last ? text.length() : stops.safeLength(text);
            String piece = text.substring(emitted, safe);
            emitted = safe;
            if (!last) {
                if (session.position() >= session.contextLength()) {
                    contextFull = true; // no room to process this token: end on the next pull
                } else {
                    logits = session.next(token);
                }
            }
            return new GenerationEvent.Token(index, token, piece, Duration.ofNanos(now - startNanos));
        }

        private GenerationEvent processPrompt() {
            boolean addBos = request.addBos() != null ? request.addBos() : tokenizer.addBosByDefault();
            int[] ids = tokenizer.encode(request.prompt(), addBos, true);
            if (ids.length == 0) {
                throw new InvalidRequestException("the prompt is empty and the model adds no BOS token: "
                        + "give a non-empty prompt");
            }
            promptTokens = ids.length;
            history.addAll(ids);
            // The decoder must see the prompt so generated tokens decode as a continuation: the first token of a
            // sequence loses its SentencePiece leading space, a token that follows the prompt keeps it.
            for (int id : ids) {
                decoder.next(id);
            }
            logits = session.ingest(ids);
            promptDoneNanos = ticker.nanoTime();
            return new GenerationEvent.PromptProcessed(promptTokens, Duration.ofNanos(promptDoneNanos - startNanos));
        }

        private GenerationEvent finish(FinishReason reason) {
            finished = true;
            if (reason != FinishReason.STOP_STRING) {
                text.append(decoder.flush());
            }
            String trailing = text.substring(Math.min(emitted, text.length()));
            emitted = text.length();
            long end = ticker.nanoTime();
            long first = firstTokenNanos == 0 ? end : firstTokenNanos;
            Timings timings = new Timings(promptTokens, Duration.ofNanos(promptDoneNanos - startNanos),
                    generated.size(), Duration.ofNanos(Math.max(0, lastTokenNanos - first)),
                    Duration.ofNanos(first - startNanos), Duration.ofNanos(end - startNanos));
            GenerationResult result = new GenerationResult(text.toString(), generated, reason, timings, BACKEND);
            return new GenerationEvent.Finished(result, trailing);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
