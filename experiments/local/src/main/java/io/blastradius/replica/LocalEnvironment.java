package io.blastradius.replica;

import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.FaultProxy;
import io.blastradius.environment.Processes;
import io.blastradius.environment.Reconfigure;
import io.blastradius.environment.Reset;

import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A replica on this machine, started as {@code blastradius up} does and stopped on close: every
 * capability, including starting a crashed service again and clearing the sessions between experiments.
 */
public final class LocalEnvironment implements Environment {

    private final LocalReplica replica;
    private final Processes processes;

    public LocalEnvironment(LocalReplica replica) {
        this.replica = replica;
        this.processes = new SignalledProcesses(replica::pidOf, replica::restart);
    }

    @Override
    public String name() {
        return LocalEnvironmentProvider.NAME;
    }

    @Override
    public Endpoints endpoints() {
        return ReplicaCapabilities.endpoints(replica.info());
    }

    @Override
    public Optional<FaultProxy> faultProxy() {
        return Optional.of(ReplicaCapabilities.faultProxy(replica.info()));
    }

    @Override
    public Optional<AppChaos> appChaos() {
        return Optional.of(ReplicaCapabilities.appChaos(replica.info()));
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(processes);
    }

    @Override
    public Optional<Breakers> breakers() {
        return Optional.of(ReplicaCapabilities.breakers(replica.info()));
    }

    @Override
    public Optional<Reset> reset() {
        return Optional.of(() -> {
            replica.clearSessions();
            return List.of();
        });
    }

    /** The gateway alone restarted for a change of profile; each service whose properties change, for the properties. */
    @Override
    public Optional<Reconfigure> reconfigure() {
        return Optional.of(settings -> {
            Map<Service, Map<String, String>> properties = new EnumMap<>(Service.class);
            settings.properties().forEach((service, values) -> properties.put(Service.fromWireName(service), values));
            return replica.reconfigure(ReplicaProfile.fromWireName(settings.profile()), properties);
        });
    }

    @Override
    public EnvironmentRef reattach() {
        return ReplicaCapabilities.reattach(replica.replicaJson());
    }

    @Override
    public void close() {
        replica.close();
    }
}
