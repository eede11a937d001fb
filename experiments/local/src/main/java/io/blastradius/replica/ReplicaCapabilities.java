package io.blastradius.replica;

import io.blastradius.environment.ActuatorAppChaos;
import io.blastradius.environment.ActuatorBreakers;
import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.FaultProxy;
import io.blastradius.experiment.Service;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The capabilities a replica.json describes, shared by the local and the attach environment. */
final class ReplicaCapabilities {

    private ReplicaCapabilities() {
    }

    static Endpoints endpoints(ReplicaInfo info) {
        return Endpoints.of(info.gatewayUrl(), new Endpoints.Credentials(info.demo().apiKey(), info.demo().username(), info.demo().password()));
    }

    static FaultProxy faultProxy(ReplicaInfo info) {
        return FaultProxy.at(info.faultProxyUrl());
    }

    static AppChaos appChaos(ReplicaInfo info) {
        Map<Service, URI> urls = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ReplicaInfo.Endpoint endpoint = info.service(service);
            if (service.hasChaosMonkey() && endpoint != null && endpoint.managementUrl() != null) {
                urls.put(service, endpoint.managementUrl());
            }
        }
        return new ActuatorAppChaos(urls, info.managementToken());
    }

    static Breakers breakers(ReplicaInfo info) {
        ReplicaInfo.Endpoint gateway = info.service(Service.GATEWAY);
        if (gateway == null || gateway.managementUrl() == null) {
            throw new ReplicaException("the replica description gives no management URL for the gateway");
        }
        return new ActuatorBreakers(gateway.managementUrl(), info.managementToken());
    }

    /** A replica whose launcher is gone is reached through its replica.json. */
    static EnvironmentRef reattach(Path replicaJson) {
        return new EnvironmentRef(AttachEnvironmentProvider.NAME, Map.of(AttachEnvironmentProvider.REPLICA, replicaJson.toAbsolutePath().toString()));
    }
}
