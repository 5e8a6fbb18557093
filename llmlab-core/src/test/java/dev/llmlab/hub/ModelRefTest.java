package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRefTest {

    @Test
    void parsesEveryHubForm() {
        assertThat(ModelRef.parse("org/repo")).isEqualTo(new ModelRef.Hub("org/repo", "main", null, null));
        assertThat(ModelRef.parse("org/repo@v1.0")).isEqualTo(new ModelRef.Hub("org/repo", "v1.0", null, null));
        assertThat(ModelRef.parse("org/repo:Q4_K_M")).isEqualTo(new ModelRef.Hub("org/repo", "main", null, "Q4_K_M"));
        assertThat(ModelRef.parse("ggml-org/tiny-llamas/stories260K.gguf"))
                .isEqualTo(new ModelRef.Hub("ggml-org/tiny-llamas", "main", "stories260K.gguf", null));
        assertThat(ModelRef.parse("org/repo/sub/dir/model.gguf@abc123"))
                .isEqualTo(new ModelRef.Hub("org/repo", "abc123", "sub/dir/model.gguf", null));
        assertThat(ModelRef.parse("gpt2")).isEqualTo(new ModelRef.Hub("gpt2", "main", null, null));
    }

    @Test
    void pathsAreLocal() {
        assertThat(ModelRef.parse("/tmp/x.gguf")).isEqualTo(new ModelRef.Local(Path.of("/tmp/x.gguf")));
        assertThat(ModelRef.parse("./models/x.gguf")).isInstanceOf(ModelRef.Local.class);
        assertThat(ModelRef.parse("model.gguf")).isInstanceOf(ModelRef.Local.class);
    }

    @Test
    void rejectsMalformedRefs() {
        assertThatThrownBy(() -> ModelRef.parse("")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ModelRef.parse("org//repo")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("empty path segment");
        assertThatThrownBy(() -> ModelRef.parse("org/repo:")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ModelRef.parse("org/repo/f.gguf:Q4_0")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not both");
    }

    @Property
    void hubRefsRoundTrip(@ForAll("hubRefs") ModelRef.Hub ref) {
        assertThat(ModelRef.parse(ref.toString())).isEqualTo(ref);
    }

    @Property
    void localRefsRoundTrip(@ForAll("localPaths") String path) {
        ModelRef ref = ModelRef.parse(path);
        assertThat(ref).isInstanceOf(ModelRef.Local.class);
        assertThat(ModelRef.parse(ref.toString())).isEqualTo(ref);
    }

    @Provide
    Arbitrary<String> localPaths() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcXYZ019-_.@:").ofMinLength(1).ofMaxLength(10);
        return Combinators.combine(Arbitraries.of("/", "./", "../", "/tmp/"), segment, segment)
                .as((prefix, a, b) -> prefix + a + "/" + b + ".gguf");
    }

    @Provide
    Arbitrary<ModelRef.Hub> hubRefs() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcxyzABC019-_.").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals(".") && !s.equals("..") && !s.endsWith(".gguf"));
        Arbitrary<String> repo = Combinators.combine(segment, segment).as((a, b) -> a + "/" + b);
        Arbitrary<String> revision = Arbitraries.of("main", "v1", "refs-pr-1", "0123abcd", "v1.0.2",
                "0123456789abcdef0123456789abcdef01234567");
        Arbitrary<String> file = Arbitraries.of(null, "model.gguf", "sub/model-Q8_0.gguf");
        Arbitrary<String> quant = Arbitraries.of(null, "Q4_K_M", "q8_0", "F16");
        return Combinators.combine(repo, revision, file, quant)
                .filter((r, rev, f, q) -> f == null || q == null)
                .as(ModelRef.Hub::new);
    }
}
