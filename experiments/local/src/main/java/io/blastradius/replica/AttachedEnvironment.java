package io.blastradius.replica;

import io.blastradius.environment.AppChaos;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentRef;
import io.blastradius.environment.FaultProxy;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Service;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A replica that is already running (a game day on staging, or {@code blastradius up} in another
 * terminal), described by its replica.json, which is read again for every pid (a restart there changes
 * it). Nothing is started or stopped; a crashed service cannot be started again from here.
 */
public final class AttachedEnvironment implements Environment {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path replicaJson;
    private final ReplicaInfo replica;

    private AttachedEnvironment(Path replicaJson, ReplicaInfo replica) {
        this.replicaJson = replicaJson;
        this.replica = replica;
    }

    static final long MAX_REPLICA_JSON_BYTES = 1 << 20;

    public static AttachedEnvironment from(Path replicaJson) {
        return new AttachedEnvironment(replicaJson.toAbsolutePath(), read(replicaJson));
    }

    static ReplicaInfo read(Path replicaJson) {
        try {
            // a replica.json is about 3 KB: anything past this is not one
            long size = Files.size(replicaJson);
            if (size > MAX_REPLICA_JSON_BYTES) {
                throw new ReplicaException(String.format(Locale.ROOT, "cannot read the replica description %s: it is %,d bytes, "
                        + "and a replica.json is at most %,d (is it the right file?)", replicaJson, size, MAX_REPLICA_JSON_BYTES));
            }
            return JSON.readValue(replicaJson.toFile(), ReplicaInfo.class);
        } catch (IOException e) {
            throw new ReplicaException("cannot read the replica description " + replicaJson + ": " + e.getMessage(), e);
        } catch (ReplicaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ReplicaException("cannot read the replica description " + replicaJson + ": " + e.getMessage(), e);
        }
    }

    /** The gateway profile the replica was started with. */
    public String profile() {
        return replica.profile();
    }

    @Override
    public String name() {
        return AttachEnvironmentProvider.NAME;
    }

    @Override
    public Endpoints endpoints() {
        return ReplicaCapabilities.endpoints(replica);
    }

    @Override
    public Optional<FaultProxy> faultProxy() {
        return Optional.of(ReplicaCapabilities.faultProxy(replica));
    }

    @Override
    public Optional<AppChaos> appChaos() {
        return Optional.of(ReplicaCapabilities.appChaos(replica));
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(new SignalledProcesses(this::pid, null));
    }

    @Override
    public Optional<Breakers> breakers() {
        return Optional.of(ReplicaCapabilities.breakers(replica));
    }

    @Override
    public EnvironmentRef reattach() {
        return ReplicaCapabilities.reattach(replicaJson);
    }

    private long pid(Service service) {
        ReplicaInfo.Endpoint endpoint = read(replicaJson).service(service);
        if (endpoint == null || endpoint.pid() <= 0) {
            throw new ReplicaException("replica.json gives no pid for " + service.wireName() + "; process faults need one");
        }
        return endpoint.pid();
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
