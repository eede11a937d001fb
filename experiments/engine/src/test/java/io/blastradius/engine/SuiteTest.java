package io.blastradius.engine;

import io.blastradius.experiment.Experiment.ReplicaSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a suite says when the next experiment needs other replica settings. */
class SuiteTest {

    @Test
    void theChangesBetweenTwoReplicaSettingsInWords() {
        ReplicaSpec from = new ReplicaSpec("decoupled", Map.of("gateway", Map.of("a", "1", "b", "2"), "auth-service", Map.of("ttl", "5s")));
        ReplicaSpec to = new ReplicaSpec("coupled", Map.of("gateway", Map.of("a", "1", "b", "3")));

        assertThat(Suite.changes(from, to)).containsExactly("profile coupled", "auth-service: ttl unset", "gateway: b=3");
        assertThat(Suite.changes(to, to)).isEmpty();
    }
}
