package io.blastradius.replica;

import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    @Test
    void theServicesRunOnTheLaunchersJavaUnlessToldOtherwiseAndTheirOptionsAreChecked() {
        ReplicaOptions options = ReplicaOptions.custom(Path.of("/repo")).build();
        assertThat(Path.of(options.java())).isExecutable();
        assertThatThrownBy(() -> ReplicaOptions.custom(Path.of("/repo")).java("/nowhere/bin/java").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the services' java must be an executable file, but /nowhere/bin/java is not (from BLASTRADIUS_REPLICA_JAVA?");
        assertThatThrownBy(() -> ReplicaOptions.custom(Path.of("/repo")).jvmOptions(List.of("-Xmx512m", "TieredStopAtLevel=4")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every JVM option must start with '-', but 'TieredStopAtLevel=4' does not (from BLASTRADIUS_REPLICA_JVM_OPTIONS?)");
        assertThat(ReplicaOptions.custom(Path.of("/repo")).jvmOptions(List.of("-XX:TieredStopAtLevel=4")).build().jvmOptions())
                .containsExactly("-XX:TieredStopAtLevel=4");
    }
}
