package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.blastradius.environment.ActuatorAppChaos;
import io.blastradius.environment.ActuatorBreakers;
import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.FaultProxy;
import io.blastradius.environment.HealthProbe;
import io.blastradius.experiment.Service;

import java.net.URI;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One replica on containers as Docker knows it: its run id, the container of each service and of the fault
 * proxy, the loopback ports they are published on, the management token. Everything is in the
 * containers' labels and settings, so that another process (a rollback after a SIGKILL) finds it again.
 */
record ContainerRun(String runId, String token, Map<Service, String> containers, String faultProxy, int gatewayPort,
                    int faultProxyPort, Map<Service, Integer> managementPorts) {

    static final String RUN = "io.blastradius.run";
    static final String ROLE = "io.blastradius.role";
    /** On a sandbox: the service whose network (address, alias, published ports) it holds. */
    static final String NETWORK_OF = "io.blastradius.network-of";
    static final String OWNER = "io.blastradius.owner";
    static final String FAULT_PROXY_ROLE = "fault-proxy";
    static final String TOKEN_ENV = "BLASTRADIUS_MANAGEMENT_TOKEN";
    static final int HTTP = 8080;
    static final int MANAGEMENT = 8081;
    static final int TOXIPROXY_API = 8474;
    static final int REDIS = 6379;

    ContainerRun {
        containers = Map.copyOf(containers);
        managementPorts = Map.copyOf(managementPorts);
    }

    Endpoints endpoints() {
        return Endpoints.of(URI.create("http://127.0.0.1:" + gatewayPort), Endpoints.Credentials.DEMO);
    }

    FaultProxy faultProxyApi() {
        return FaultProxy.at(URI.create("http://127.0.0.1:" + faultProxyPort));
    }

    URI managementUrl(Service service) {
        return URI.create("http://127.0.0.1:" + managementPorts.get(service));
    }

    AppChaos appChaos() {
        Map<Service, URI> urls = new EnumMap<>(Service.class);
        Arrays.stream(Service.values()).filter(Service::hasChaosMonkey).forEach(s -> urls.put(s, managementUrl(s)));
        return new ActuatorAppChaos(urls, token);
    }

    Breakers breakers() {
        return new ActuatorBreakers(managementUrl(Service.GATEWAY), token);
    }

    String container(Service service) {
        return containers.get(service);
    }

    /** Whether a service answers: a JVM's actuator says UP, Redis answers PONG. */
    boolean ready(DockerClient docker, Service service) {
        if (service.isJvm()) {
            return HealthProbe.isUp(managementUrl(service));
        }
        return Docker.exec(docker, container(service), "sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli ping | grep -q PONG") == 0;
    }

    /** The replica of a run, found through its containers' labels; an {@link EnvironmentException} when none is left. */
    static ContainerRun find(DockerClient docker, String runId) {
        List<Container> found = docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN, runId)).exec();
        if (found.isEmpty()) {
            throw new EnvironmentException("no container of run " + runId + " is left");
        }
        Map<Service, String> containers = new EnumMap<>(Service.class);
        Map<Service, Integer> management = new EnumMap<>(Service.class);
        String faultProxy = null;
        int gatewayPort = 0;
        int faultProxyPort = 0;
        String token = null;
        for (Container container : found) {
            InspectContainerResponse inspected = docker.inspectContainerCmd(container.getId()).exec();
            String networkOf = container.getLabels().get(NETWORK_OF);
            if (networkOf != null) {
                Service service = Service.fromWireName(networkOf);
                if (service.isJvm()) {
                    management.put(service, hostPort(inspected, MANAGEMENT));
                }
                if (service == Service.GATEWAY) {
                    gatewayPort = hostPort(inspected, HTTP);
                }
                continue;
            }
            String role = container.getLabels().get(ROLE);
            if (FAULT_PROXY_ROLE.equals(role)) {
                faultProxy = container.getId();
                faultProxyPort = hostPort(inspected, TOXIPROXY_API);
                continue;
            }
            Service service = Service.fromWireName(role);
            containers.put(service, container.getId());
            if (service.isJvm()) {
                token = Arrays.stream(inspected.getConfig().getEnv()).filter(e -> e.startsWith(TOKEN_ENV + "="))
                        .map(e -> e.substring(TOKEN_ENV.length() + 1)).findFirst().orElse(token);
            }
        }
        return new ContainerRun(runId, token, containers, faultProxy, gatewayPort, faultProxyPort, management);
    }

    /** The loopback port a container port is published on (from its settings: it holds while the container is stopped). */
    private static int hostPort(InspectContainerResponse inspected, int containerPort) {
        Ports.Binding[] bindings = inspected.getHostConfig().getPortBindings().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0 || bindings[0].getHostPortSpec() == null) {
            return 0;
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }
}
