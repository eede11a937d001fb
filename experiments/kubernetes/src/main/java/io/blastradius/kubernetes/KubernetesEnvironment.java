package io.blastradius.kubernetes;

import io.blastradius.environment.ActuatorAppChaos;
import io.blastradius.environment.ActuatorBreakers;
import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.FaultProxy;
import io.blastradius.environment.Processes;
import io.blastradius.environment.Reset;
import io.blastradius.experiment.Service;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replica of {@code k8s/} in a namespace: every capability, reached through {@linkplain PodForward
 * port-forwards that follow the pods} (the gateway, the fault proxy's API, each management port), process
 * faults on pods ({@link PodProcesses}). Closing ends the forwards and, when this process applied the
 * replica ({@code --deploy}), deletes what it applied.
 */
final class KubernetesEnvironment implements Environment {

    static final int HTTP = 8080;
    static final int MANAGEMENT = 8081;
    static final int TOXIPROXY_API = 8474;

    private final Replica replica;
    private final Optional<Manifests> applied;
    private final String token;
    private final List<PodForward> forwards = new ArrayList<>();
    private final PodForward gateway;
    private final PodForward faultProxy;
    private final Map<Service, PodForward> management = new EnumMap<>(Service.class);
    private final PodProcesses processes;

    KubernetesEnvironment(Replica replica, Optional<Manifests> applied, PodForward.Tunnel tunnel) {
        this.replica = replica;
        this.applied = applied;
        this.token = replica.managementToken();
        this.gateway = forward(Service.GATEWAY.wireName(), HTTP, tunnel);
        this.faultProxy = forward(Replica.FAULT_PROXY, TOXIPROXY_API, tunnel);
        for (Service service : Service.values()) {
            if (service.isJvm()) {
                management.put(service, forward(service.wireName(), MANAGEMENT, tunnel));
            }
        }
        this.processes = new PodProcesses(replica);
    }

    private PodForward forward(String deployment, int port, PodForward.Tunnel tunnel) {
        PodForward forward = new PodForward(deployment, port, replica::readyPodName, tunnel);
        forwards.add(forward);
        return forward;
    }

    /**
     * fabric8's port-forward of one connection over a WebSocket to the API server; ended when the local
     * side closes its end (fabric8 itself only stops reading then).
     */
    static PodForward.Tunnel tunnel(KubernetesClient client, String namespace) {
        return (pod, port, connection) -> {
            AtomicReference<PortForward> forward = new AtomicReference<>();
            ReadableByteChannel in = new ReadableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    int read = connection.read(dst);
                    if (read < 0 && forward.get() != null) {
                        forward.get().close();
                    }
                    return read;
                }

                @Override
                public boolean isOpen() {
                    return connection.isOpen();
                }

                @Override
                public void close() throws IOException {
                    connection.close();
                }
            };
            forward.set(client.pods().inNamespace(namespace).withName(pod).portForward(port, in, connection));
            return forward.get();
        };
    }

    /** The port-forwards' loopback ports, for tests. */
    PodForward gatewayForward() {
        return gateway;
    }

    @Override
    public String name() {
        return KubernetesEnvironmentProvider.NAME;
    }

    @Override
    public Endpoints endpoints() {
        return Endpoints.of(gateway.url(), Endpoints.Credentials.DEMO);
    }

    @Override
    public Optional<FaultProxy> faultProxy() {
        return Optional.of(FaultProxy.at(faultProxy.url()));
    }

    @Override
    public Optional<AppChaos> appChaos() {
        Map<Service, URI> urls = new EnumMap<>(Service.class);
        management.forEach((service, forward) -> {
            if (service.hasChaosMonkey()) {
                urls.put(service, forward.url());
            }
        });
        return Optional.of(new ActuatorAppChaos(urls, token));
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(processes);
    }

    @Override
    public Optional<Breakers> breakers() {
        return Optional.of(new ActuatorBreakers(management.get(Service.GATEWAY).url(), token));
    }

    /** The sessions go: FLUSHALL in the Redis pod. */
    @Override
    public Optional<Reset> reset() {
        return Optional.of(() -> {
            Pod redis = replica.readyPod(Service.REDIS.wireName()).orElseThrow(() ->
                    new EnvironmentException("could not remove the sessions: Redis has no ready pod in namespace " + replica.namespace()));
            String answer = replica.exec(redis, Service.REDIS.wireName(), "sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli FLUSHALL");
            if (!answer.contains("OK")) {
                throw new EnvironmentException("could not remove the sessions from Redis in pod " + redis.getMetadata().getName() + ": it answered '"
                        + answer.strip() + "'");
            }
            return List.of();
        });
    }

    @Override
    public EnvironmentRef reattach() {
        return new EnvironmentRef(KubernetesEnvironmentProvider.NAME, Map.of(KubernetesEnvironmentProvider.NAMESPACE, replica.namespace()));
    }

    @Override
    public void close() {
        forwards.forEach(PodForward::close);
        try {
            // closing has no one to answer to: what could not be deleted is said on stderr, for the person who must
            applied.ifPresent(manifests -> manifests.delete(replica.client(), replica.namespace())
                    .forEach(failure -> System.err.println("blastradius: " + failure + "; delete it by hand")));
        } finally {
            replica.client().close();
        }
    }
}
