package io.blastradius.replica;

import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaOptionsTest {

    @Test
    void defaultsToTheDecoupledProfileOnAnyFreePortWithARunFolderUnderHome() {
        ReplicaOptions options = ReplicaOptions.custom(Path.of("/repo")).build();

        assertThat(options.profile()).isEqualTo(ReplicaProfile.DECOUPLED);
        assertThat(options.gatewayPort()).isZero();
        assertThat(options.runDir().toString()).startsWith("/repo/runs/replica-");
        assertThat(options.startTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void rejectsAnImpossiblePortAndNamesIt() {
        assertThatThrownBy(() -> ReplicaOptions.custom(Path.of("/repo")).gatewayPort(70_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gatewayPort must be from 0 to 65535, but was 70000");
    }

    @Test
    void propertiesApplyOnlyToJvmServices() {
        assertThatThrownBy(() -> ReplicaOptions.custom(Path.of("/repo")).property(Service.REDIS, "maxmemory", "1mb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("properties apply to the JVM services, not to redis");
        ReplicaOptions options = ReplicaOptions.custom(Path.of("/repo"))
                .property(Service.GATEWAY, "blastradius.gateway.session-cache-ttl", "0s").build();
        assertThat(options.properties().get(Service.GATEWAY)).containsEntry("blastradius.gateway.session-cache-ttl", "0s");
    }

    @Test
    void profilesAreReadByTheirWireNames() {
        assertThat(ReplicaProfile.fromWireName("coupled")).isEqualTo(ReplicaProfile.COUPLED);
        assertThatThrownBy(() -> ReplicaProfile.fromWireName("Coupled"))
                .hasMessage("profile must be one of decoupled, coupled, but was 'Coupled'");
    }
}
