package io.blastradius.engine;

import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a suite says when the next experiment needs other replica settings, and when it finds its processes warm. */
class SuiteTest {

    @Test
    void theChangesBetweenTwoReplicaSettingsInWords() {
        ReplicaSpec from = new ReplicaSpec("decoupled", Map.of("gateway", Map.of("a", "1", "b", "2"), "auth-service", Map.of("ttl", "5s")));
        ReplicaSpec to = new ReplicaSpec("coupled", Map.of("gateway", Map.of("a", "1", "b", "3")));

        assertThat(Suite.changes(from, to)).containsExactly("profile coupled", "auth-service: ttl unset", "gateway: b=3");
        assertThat(Suite.changes(to, to)).isEmpty();
    }

    @Test
    void processesAreWarmForALaterExperimentOnlyWhileTheyAreTheSameOnesAndOnTheRoutesWarmedOnThem() {
        Map<Service, String> before = Map.of(Service.GATEWAY, "pid 10", Service.AUTH_SERVICE, "pid 11");
        Map<Service, String> restarted = Map.of(Service.GATEWAY, "pid 10", Service.AUTH_SERVICE, "pid 12");
        Suite.Warmed warmed = new Suite.Warmed(before, Set.of(Route.API, Route.LOGIN));

        assertThat(warmed.covers(before, Set.of(Route.API))).isTrue();
        assertThat(warmed.covers(before, Set.of(Route.API, Route.APP))).as("app was never warmed").isFalse();
        assertThat(warmed.covers(restarted, Set.of(Route.API))).as("auth-service is another process").isFalse();
        assertThat(warmed.with(before, Set.of(Route.APP)).covers(before, Set.of(Route.API, Route.APP))).isTrue();
        assertThat(warmed.with(restarted, Set.of(Route.APP)).routes()).as("what was warmed on the old process is forgotten")
                .containsExactly(Route.APP);
    }
}
