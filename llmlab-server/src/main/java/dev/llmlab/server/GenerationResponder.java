package dev.llmlab.server;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends one generation to its client: whole, or as server-sent events ({@code data: {...}} per token, then
 * {@code data: [DONE]}). The status is decided only after the prompt is processed, so a prompt that does not
 * fit still gets a 400 rather than a broken stream. A write that fails means the client left: the generation
 * is cancelled.
 */
final class GenerationResponder {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerMetrics metrics;

    GenerationResponder(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param arrivalNanos when the request arrived ({@link System#nanoTime()}), for the time-to-first-token metric
     */
    void respond(GenerationScheduler.Job job, ResponseShape shape, ResponseShape.ResponseIds ids, boolean stream,
                 long arrivalNanos, ServerResponse res) throws InterruptedException {
        try {
            job.next(); // PromptProcessed: the request is valid and running
        } catch (RuntimeException | Error e) {
            ErrorResponses.send(res, Failures.toApiError(e));
            return;
        }
        if (stream) {
            stream(job, shape, ids, arrivalNanos, res);
        } else {
            whole(job, shape, ids, arrivalNanos, res);
        }
    }

    private void whole(GenerationScheduler.Job job, ResponseShape shape, ResponseShape.ResponseIds ids,
                       long arrivalNanos, ServerResponse res) throws InterruptedException {
        GenerationResult result;
        try {
            result = drain(job, arrivalNanos);
        } catch (RuntimeException | Error e) {
            ErrorResponses.send(res, Failures.toApiError(e));
            return;
        }
        metrics.finished(result);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(shape.whole(ids, result)));
    }

    private GenerationResult drain(GenerationScheduler.Job job, long arrivalNanos) throws InterruptedException {
        while (true) {
            GenerationEvent event = job.next();
            if (event instanceof GenerationEvent.Token t && t.index() == 0) {
                metrics.firstToken(System.nanoTime() - arrivalNanos);
            }
            if (event instanceof GenerationEvent.Finished f) {
                return f.result();
            }
        }
    }

    private void stream(GenerationScheduler.Job job, ResponseShape shape, ResponseShape.ResponseIds ids,
                        long arrivalNanos, ServerResponse res) throws InterruptedException {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (OutputStream out = res.outputStream()) {
            if (shape.opening(ids) != null) {
                event(out, Json.bytes(shape.opening(ids)));
            }
            while (true) {
                GenerationEvent event;
                try {
                    event = job.next();
                } catch (RuntimeException | Error e) {
                    // too late for a status: say it in the stream, as OpenAI-compatible servers do
                    event(out, Json.bytes(Failures.toApiError(e).toJson()));
                    out.write(DONE);
                    return;
                }
                switch (event) {
                    case GenerationEvent.Token t -> {
                        if (t.index() == 0) {
                            metrics.firstToken(System.nanoTime() - arrivalNanos);
                        }
                        metrics.token();
                        event(out, Json.bytes(shape.chunk(ids, t.text(), null)));
                    }
                    case GenerationEvent.Finished f -> {
                        metrics.finished(f.result());
                        event(out, Json.bytes(shape.chunk(ids, f.trailingText(), f.result())));
                        out.write(DONE);
                        out.flush();
                        return;
                    }
                    case GenerationEvent.PromptProcessed p -> {
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away (Helidon reports a closed connection as an unchecked exception)
            metrics.cancelled();
            job.cancel();
        }
    }

    private static void event(OutputStream out, byte[] json) throws IOException {
        out.write("data: ".getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
