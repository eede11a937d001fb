package io.blastradius.containers;

import com.github.dockerjava.api.model.Capability;
import org.testcontainers.containers.GenericContainer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An image run as the pods of k8s/ run it, with Docker standing in for the kubelet: uid 10001, a read-only
 * root with /tmp writable (the pods' emptyDir), every capability dropped, no new privileges. In this
 * module's test-jar, for the k8s/ and kubernetes tests.
 */
public final class AsPods {

    private AsPods() {
    }

    public static GenericContainer<?> asThePodRunsIt(String image) {
        return new GenericContainer<>(image).withTmpFs(Map.of("/tmp", "rw,size=64m"))
                .withStartupTimeout(Duration.ofSeconds(150))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser("10001:10001");
                    cmd.getHostConfig().withReadonlyRootfs(true).withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges"));
                });
    }
}
