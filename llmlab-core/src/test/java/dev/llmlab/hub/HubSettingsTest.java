package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSettingsTest {
    @Test
    void cacheLocationFollowsThePrecedence() {
        assertThat(HubSettings.fromEnvironment(Map.of()).cacheDir()).isEqualTo(Path.of("models_cache"));
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/h")).cacheDir()).isEqualTo(Path.of("/h/hub"));
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c")).cacheDir())
                .isEqualTo(Path.of("/c"));
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c", "LLMLAB_CACHE", "/l"))
                .cacheDir()).isEqualTo(Path.of("/l"));
    }

    @Test
    void endpointTokenAndOffline() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "http://127.0.0.1:8080/", "HF_TOKEN",
                "hf_secret", "HF_HUB_OFFLINE", "true"));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(s.token()).isEqualTo("hf_secret");
        assertThat(s.offline()).isTrue();
        assertThat(s.toString()).doesNotContain("hf_secret").contains("token=set");
        HubSettings d = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"));
        assertThat(d.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(d.token()).isNull();
        assertThat(d.offline()).isFalse();
        assertThat(d.withOffline(true).offline()).isTrue();
        assertThat(d.withOffline(false)).isSameAs(d);
        assertThatThrownBy(() -> HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "huggingface.co")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("HF_ENDPOINT='huggingface.co'");
    }
}
