package dev.llmlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.testing.Fixtures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** stories260K served on a free loopback port, for the server tests. */
final class StoriesServer implements AutoCloseable {
    static final String MODEL_ID = "stories260K";

    final LocalModel model;
    final OpenAiServer server;

    StoriesServer(ServerConfig config) {
        this(config, 0);
    }

    /** @param contextLength tokens per session; 0 = the model's */
    StoriesServer(ServerConfig config, int contextLength) {
        model = LocalModel.load(Fixtures.sharedFile("models/stories260K.gguf"),
                LoadOptions.defaults().withThreads(1).withContextLength(contextLength));
        List<Generator> generators = new ArrayList<>();
        for (int i = 0; i < config.parallel(); i++) {
            generators.add(new LocalGenerator(model));
        }
        server = OpenAiServer.start(config, new ServedModel(MODEL_ID, model.info().contextLength(), 0), generators);
    }

    HttpTestClient client(String apiKey) {
        return new HttpTestClient(server.address(), apiKey);
    }

    /** llama.cpp's greedy completion of {@code prompt} (60 tokens) from ../shared/fixtures. */
    static String greedyFixture(String prompt) {
        try {
            JsonNode root = new ObjectMapper().readTree(Fixtures.sharedFile("fixtures/stories260K-greedy.json").toFile());
            for (JsonNode c : root) {
                if (c.get("prompt").asText().equals(prompt)) {
                    return c.get("completion").asText();
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no fixture for prompt " + prompt);
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
