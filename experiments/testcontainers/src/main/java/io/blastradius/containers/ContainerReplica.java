package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.FreePorts;
import io.blastradius.environment.HealthProbe;
import io.blastradius.environment.Secrets;
import io.blastradius.environment.RunIds;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The replica as containers on a user-defined network: Redis, the fault proxy (one proxy per hop,
 * created through the Toxiproxy API as for a real Toxiproxy) and the four services, each reached by the
 * others under its network alias and only through the fault proxy. Each service runs in the network of a
 * sandbox container of its own, as a pod's containers do on Kubernetes, so that a process fault touches no
 * network ({@link #sandbox}). The gateway's port, every management port and the fault proxy's API are
 * published on the host's loopback only, on free ports chosen here (the sandbox's, so that a restarted
 * service keeps them).
 *
 * <p>Every container and the network carry the run id and their owner (host and pid) as labels, so that
 * what a SIGKILLed run leaves is found and removed by the next one ({@link StaleRuns}).
 */
final class ContainerReplica implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    /**
     * CPU weights (Docker's cpu shares, 1024 the default) when the two cores are contended: the public
     * path's containers (the gateway, the fault proxy every hop goes through, the inference stub) before
     * the login path's. Locally the kernel shares the CPU among threads, and the gateway, with the most of
     * them busy, gets the most; each container is a group of its own that gets an equal share whatever its
     * threads, so a restarting auth-service's JIT would take from the gateway what a process does not.
     * What CPU requests are on Kubernetes; without contention, nothing changes.
     */
    static final Map<String, Integer> CPU_SHARES = Map.of(
            ContainerRun.FAULT_PROXY_ROLE, 2048, Service.GATEWAY.wireName(), 2048, Service.INFERENCE_STUB.wireName(), 1024,
            Service.AUTH_SERVICE.wireName(), 512, Service.SESSION_CACHE.wireName(), 512, Service.REDIS.wireName(), 512);

    private final DockerClient docker;
    private final Path logs;
    private final Map<Service, GenericContainer<?>> services = new EnumMap<>(Service.class);
    private final Map<Service, GenericContainer<?>> sandboxes = new EnumMap<>(Service.class);
    private Network network;
    private GenericContainer<?> faultProxy;
    private ContainerRun run;

    private ContainerReplica(DockerClient docker, Path logs) {
        this.docker = docker;
        this.logs = logs;
    }

    /**
     * Starts the replica from the images of {@code blastradius images}; refuses, before starting anything,
     * when one is missing or, where the checkout at {@code home} has the jars, was built from other jars.
     */
    static ContainerReplica start(DockerClient docker, Path home, Path runDir, ReplicaProfile profile, Map<Service, Map<String, String>> properties) {
        List<String> missing = Images.missing();
        if (!missing.isEmpty()) {
            throw new EnvironmentException("this Docker engine lacks the replica's images " + missing
                    + ": run './blastradius images' (it builds them from the jars; a minute or two the first time)");
        }
        List<String> stale = Images.stale(home);
        if (!stale.isEmpty()) {
            throw new EnvironmentException("the replica's images do not match this checkout, so a run would test other code: "
                    + String.join(", ", stale) + ": run './blastradius images' (it rebuilds only those)");
        }
        ContainerReplica replica = new ContainerReplica(docker, runDir.resolve("logs"));
        try {
            replica.startAll(profile, properties);
            return replica;
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
    }

    ContainerRun run() {
        return run;
    }

    private void startAll(ReplicaProfile profile, Map<Service, Map<String, String>> properties) {
        String runId = RunIds.next();
        String token = Secrets.random();
        String redisPassword = Secrets.random();
        Map<String, String> labels = Map.of(ContainerRun.RUN, runId, ContainerRun.OWNER, StaleRuns.owner());
        network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withLabels(labels)).build();

        int faultProxyPort;
        int gatewayPort;
        Map<Service, Integer> management = new EnumMap<>(Service.class);
        // released before the engine binds them (held, a port could be handed out twice)
        try (FreePorts.Reservation ports = FreePorts.reserve()) {
            faultProxyPort = ports.next();
            gatewayPort = ports.next();
            Arrays.stream(Service.values()).filter(Service::isJvm).forEach(s -> management.put(s, ports.next()));
        }
        faultProxy = container(Images.FAULT_PROXY, labels, ContainerRun.FAULT_PROXY_ROLE)
                .withNetwork(network)
                .withNetworkAliases(ContainerRun.FAULT_PROXY_ROLE)
                .withCreateContainerCmdModifier(cmd -> publishOnLoopback(cmd, Map.of(ContainerRun.TOXIPROXY_API, faultProxyPort)));
        for (Service service : Service.values()) {
            Map<Integer, Integer> published = new LinkedHashMap<>();
            if (service.isJvm()) {
                published.put(ContainerRun.MANAGEMENT, management.get(service));
            }
            if (service == Service.GATEWAY) {
                published.put(ContainerRun.HTTP, gatewayPort);
            }
            sandboxes.put(service, sandbox(service, labels, published));
        }
        List<GenericContainer<?>> first = new ArrayList<>(sandboxes.values());
        first.add(faultProxy);
        startInParallel(first);

        Map<Hop, String> links = new EnumMap<>(Hop.class);
        ToxiproxyClient toxiproxy = new ToxiproxyClient("127.0.0.1", faultProxyPort);
        Docker.awaitUntil(docker, faultProxy.getContainerId(), "the fault proxy's API",
                () -> HealthProbe.answers(URI.create("http://127.0.0.1:" + faultProxyPort + "/version")), START_TIMEOUT);
        for (Hop hop : Hop.values()) {
            int listen = hop.proxyPort();
            int upstream = hop.to() == Service.REDIS ? ContainerRun.REDIS : ContainerRun.HTTP;
            try {
                toxiproxy.createProxy(hop.proxyName(), "0.0.0.0:" + listen, hop.to().wireName() + ":" + upstream);
            } catch (IOException e) {
                throw new EnvironmentException("could not create the fault proxy's proxy for " + hop.wireName() + ": " + e.getMessage(), e);
            }
            links.put(hop, ContainerRun.FAULT_PROXY_ROLE + ":" + listen);
        }

        String apiKeyHash = Secrets.sha256Hex(Endpoints.Credentials.DEMO.apiKey());
        for (Service service : Service.values()) {
            List<String> args = new ArrayList<>();
            switch (service) {
                case SESSION_CACHE -> {
                    String[] redisLink = links.get(Hop.SESSIONS_REDIS).split(":");
                    args.addAll(List.of("--spring.data.redis.host=" + redisLink[0], "--spring.data.redis.port=" + redisLink[1]));
                }
                case AUTH_SERVICE -> args.addAll(List.of("--blastradius.auth.session-cache-url=http://" + links.get(Hop.AUTH_SESSIONS),
                        "--blastradius.auth.api-key-hashes=" + apiKeyHash));
                case GATEWAY -> {
                    args.addAll(List.of("--blastradius.gateway.auth-service-url=http://" + links.get(Hop.GATEWAY_AUTH),
                            "--blastradius.gateway.inference-stub-url=http://" + links.get(Hop.GATEWAY_INFERENCE),
                            "--blastradius.gateway.api-key-hashes=" + apiKeyHash));
                    if (profile == ReplicaProfile.COUPLED) {
                        args.add("--spring.profiles.active=coupled");
                    }
                }
                default -> {
                }
            }
            properties.getOrDefault(service, Map.of()).forEach((k, v) -> args.add("--" + k + "=" + v));
            GenericContainer<?> container = container(Images.of(service), labels, service.wireName())
                    .withNetworkMode("container:" + sandboxes.get(service).getContainerId());
            switch (service) {
                case REDIS -> container.withEnv("REDIS_PASSWORD", redisPassword);
                case SESSION_CACHE -> container.withEnv("SPRING_DATA_REDIS_PASSWORD", redisPassword);
                case AUTH_SERVICE -> container.withEnv("BLASTRADIUS_AUTH_DEMO_PASSWORD", Endpoints.Credentials.DEMO.password());
                default -> {
                }
            }
            if (service.isJvm()) {
                container.withEnv(ContainerRun.TOKEN_ENV, token).withCommand(args.toArray(String[]::new));
            }
            services.put(service, container);
        }
        startInParallel(List.copyOf(services.values()));

        Map<Service, String> ids = new EnumMap<>(Service.class);
        services.forEach((service, container) -> ids.put(service, container.getContainerId()));
        run = new ContainerRun(runId, token, ids, faultProxy.getContainerId(), gatewayPort, faultProxyPort, management);
        for (Service service : Service.values()) {
            awaitReady(service);
        }
    }

    /** Waits until a service answers again (after a start), failing early when its container has exited. */
    void awaitReady(Service service) {
        Docker.awaitUntil(docker, run.container(service), service.wireName(), () -> run.ready(docker, service), START_TIMEOUT);
    }

    /**
     * A container that only holds a service's network: its namespace, its network alias, its published
     * ports, as a pod's sandbox does on Kubernetes. The service's own container joins it, so that killing,
     * stopping or starting the service touches no network (no interface, address, NAT rule or port
     * forwarding torn down or set up while the rest of the replica serves) and a dead service is refused
     * at once on its address, as a dead local process is on its port. It runs {@code sleep} from the
     * service's own image (nothing to pull), without that image's health check.
     */
    private GenericContainer<?> sandbox(Service service, Map<String, String> labels, Map<Integer, Integer> published) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(ContainerRun.NETWORK_OF, service.wireName());
        return new GenericContainer<>(DockerImageName.parse(Images.of(service)))
                .withNetwork(network)
                .withNetworkAliases(service.wireName())
                .withLabels(all)
                .withStartupTimeout(START_TIMEOUT)
                .waitingFor(judgedHere())
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(name(labels, service.wireName() + "-net")).withEntrypoint("sleep", "infinity")
                            .withHealthcheck(new HealthCheck().withTest(List.of("NONE")));
                    publishOnLoopback(cmd, published);
                });
    }

    /** A container of the replica: the fault proxy, or a service in its sandbox's network. */
    private static GenericContainer<?> container(String image, Map<String, String> labels, String role) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(ContainerRun.ROLE, role);
        return new GenericContainer<>(DockerImageName.parse(image))
                .withLabels(all)
                .withStartupTimeout(START_TIMEOUT)
                .waitingFor(judgedHere())
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(name(labels, role));
                    cmd.getHostConfig().withCpuShares(CPU_SHARES.get(role));
                });
    }

    /** docker ps names what it is: blastradius-<run>-<part>. */
    private static String name(Map<String, String> labels, String part) {
        return "blastradius-" + labels.get(ContainerRun.RUN) + "-" + part;
    }

    /** Readiness is judged here ({@link #awaitReady}), with an early end when a container exits. */
    private static AbstractWaitStrategy judgedHere() {
        return new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
            }
        };
    }

    /** Only the ports named, only on 127.0.0.1: nothing of the replica is reachable from another machine. */
    static void publishOnLoopback(CreateContainerCmd cmd, Map<Integer, Integer> published) {
        List<PortBinding> bindings = published.entrySet().stream()
                .map(e -> new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", e.getValue()), ExposedPort.tcp(e.getKey()))).toList();
        cmd.withExposedPorts(published.keySet().stream().map(ExposedPort::tcp).toList());
        cmd.getHostConfig().withPortBindings(bindings).withPublishAllPorts(false);
    }

    static void startInParallel(List<GenericContainer<?>> containers) {
        CompletableFuture<Void> started = Startables.deepStart(containers);
        try {
            started.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = Images.firstLine(cause.getMessage());
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains("port is already allocated") || String.valueOf(t.getMessage()).contains("address already in use")) {
                    message = "a published port was taken by another program between choosing and binding it: run again ("
                            + Images.firstLine(t.getMessage()) + ")";
                }
            }
            throw new EnvironmentException("could not start the replica's containers: " + message, cause);
        } catch (TimeoutException e) {
            throw new EnvironmentException("the replica's containers did not start within " + START_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            // the starts go on in Testcontainers' threads: let them end, so that close() finds every container made
            try {
                started.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException ignored) {
                // it is being given up anyway
            }
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while starting the replica's containers", e);
        }
    }

    /**
     * Keeps each container's log in the run folder, then removes every container (thawed first) and the
     * network; also when the thread was interrupted (a SIGTERM during the start), which would otherwise cut
     * the Docker calls short.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            List<GenericContainer<?>> all = new ArrayList<>(services.values());
            if (faultProxy != null) {
                all.add(faultProxy);
            }
            // the sandboxes last: the services use their networks
            all.addAll(sandboxes.values());
            for (GenericContainer<?> container : all) {
                if (container.getContainerId() == null) {
                    continue;
                }
                if (container.getLabels().containsKey(ContainerRun.ROLE)) {
                    saveLog(container);
                }
                try {
                    if (Boolean.TRUE.equals(docker.inspectContainerCmd(container.getContainerId()).exec().getState().getPaused())) {
                        docker.unpauseContainerCmd(container.getContainerId()).exec();
                    }
                } catch (RuntimeException e) {
                    // gone already: stop() below has nothing to do either
                }
                container.stop();
            }
            if (network != null) {
                network.close();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void saveLog(GenericContainer<?> container) {
        try {
            Files.createDirectories(logs);
            String role = container.getLabels().get(ContainerRun.ROLE);
            Files.writeString(logs.resolve(role + ".log"), container.getLogs(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // a log that cannot be kept does not keep the containers alive
        }
    }
}
