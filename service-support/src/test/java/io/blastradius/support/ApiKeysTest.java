package io.blastradius.support;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {

    static final String KEY_1 = HexFormat.of().formatHex(Digests.sha256("key-1"));

    @Test
    void acceptsOnlyKeysWhoseDigestIsConfigured() {
        ApiKeys keys = ApiKeys.fromHexDigests("p", List.of(KEY_1.toUpperCase()));

        assertThat(keys.accepts("key-1")).isTrue();
        assertThat(keys.accepts("key-2")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
        assertThat(keys.accepts("k".repeat(257))).isFalse();
    }

    @Test
    void aConfiguredValueThatIsNotADigestIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> ApiKeys.fromHexDigests("blastradius.gateway.api-key-hashes", List.of("br-demo-key-in-clear")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("blastradius.gateway.api-key-hashes must hold SHA-256 hex digests, but one was 'br-demo-…'");
    }
}
