package dev.llmlab.system;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.hub.FakeHub;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** fit on a hub reference reads only the header: the test server counts the bytes it serves. */
class RemoteHeadersTest {
    private static final RuntimeProfile RUNTIME = new RuntimeProfile(50_000_000, 130_000_000, "test");

    /** Bytes the file store served: LFS files are redirected there, so only its requests carry data. */
    private static long bytesServed(FakeHub hub) {
        long bytes = 0;
        for (FakeHub.Request r : hub.requests()) {
            if (r.port() != hub.cdnPort() || r.method().equals("HEAD")) {
                continue;
            }
            if (r.range() == null || !r.range().startsWith("bytes=")) {
                throw new AssertionError("a whole-file GET: " + r);
            }
            String[] se = r.range().substring(6).split("-");
            bytes += Long.parseLong(se[1]) - Long.parseLong(se[0]) + 1;
        }
        return bytes;
    }

    private static HubApi api(FakeHub hub, Path dir) {
        return new HubApi(HubClient.create(new HubSettings(hub.endpoint(), null, dir.resolve("cache"), false,
                List.of(), null)));
    }

    @Test
    void readsOnlyTheHeaderOverRangeRequestsAndEstimatesAsForTheLocalFile(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny-Q8_0.gguf");
        SyntheticModel.write(model, ModelShape.parseDims("arch=llama,vocab=300,d=128,layers=8,heads=4,kv=2,ffn=512,ctx=256"),
                GgmlType.Q8_0, 1);
        byte[] bytes = Files.readAllBytes(model);
        try (FakeHub hub = new FakeHub()) {
            hub.repo("org/tiny-GGUF", "c0ffee", Map.of("tiny-Q8_0.gguf", bytes, "README.md", new byte[3]),
                    List.of("tiny-Q8_0.gguf"));
            ModelHeader remote = RemoteHeaders.gguf(api(hub, dir), (ModelRef.Hub) ModelRef.parse("org/tiny-GGUF:Q8_0"),
                    ArchitectureRegistry.defaults(), dir, false);
            ModelHeader local = ModelHeaders.gguf(model, ArchitectureRegistry.defaults(), false);

            long served = bytesServed(hub);
            assertThat(served).isLessThanOrEqualTo(RemoteHeaders.FIRST_FETCH_BYTES).isLessThan(bytes.length / 4);
            assertThat(served).isGreaterThanOrEqualTo(local.dataOffsetBytes());
            assertThat(remote.fileBytes()).isEqualTo(bytes.length);
            assertThat(remote.bytesByType()).isEqualTo(local.bytesByType());
            assertThat(remote.config()).isEqualTo(local.config());
            MemoryEstimator estimator = new MemoryEstimator(RUNTIME);
            InferenceEstimate r = estimator.inference(remote, 128, LoadMode.READ, 1);
            InferenceEstimate l = estimator.inference(local, 128, LoadMode.READ, 1);
            assertThat(r.bytesIn(MemoryTerm.Place.OFF_HEAP)).isEqualTo(l.bytesIn(MemoryTerm.Place.OFF_HEAP));
            assertThat(r.term("KV cache")).isEqualTo(l.term("KV cache"));
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("llmlab-header-"));
        }
    }

    @Test
    void aHeaderLongerThanTheFirstFetchIsReadInMoreRanges(@TempDir Path dir) throws Exception {
        // a 20,000-token vocabulary makes a header longer than the first fetch
        Path model = dir.resolve("big-vocab.gguf");
        SyntheticModel.write(model, ModelShape.parseDims("arch=llama,vocab=20000,d=64,layers=1,heads=2,kv=2,ffn=128,ctx=64"),
                GgmlType.F16, 1);
        byte[] bytes = Files.readAllBytes(model);
        try (FakeHub hub = new FakeHub()) {
            hub.repo("org/vocab", "c0ffee", Map.of("big-vocab.gguf", bytes), List.of("big-vocab.gguf"));
            ModelHeader remote = RemoteHeaders.gguf(api(hub, dir), (ModelRef.Hub) ModelRef.parse(
                    "org/vocab/big-vocab.gguf"), ArchitectureRegistry.defaults(), dir, false);
            ModelHeader local = ModelHeaders.gguf(model, ArchitectureRegistry.defaults(), false);
            assertThat(local.dataOffsetBytes()).isGreaterThan(RemoteHeaders.FIRST_FETCH_BYTES);
            assertThat(remote.bytesByType()).isEqualTo(local.bytesByType());
            assertThat(bytesServed(hub)).isLessThan(bytes.length).isGreaterThanOrEqualTo(local.dataOffsetBytes());
        }
    }
}
