package io.blastradius.engine.env;

import io.blastradius.engine.EngineException;
import io.blastradius.replica.ReplicaInfo;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

/**
 * A replica that is already running (a game day on staging, or {@code blastradius up} in another
 * terminal), described by its replica.json. Nothing is started or stopped; a crashed service cannot be
 * restarted from here.
 */
public final class AttachedEnvironment implements Environment {

    private final ReplicaInfo replica;

    public AttachedEnvironment(ReplicaInfo replica) {
        this.replica = replica;
    }

    public static AttachedEnvironment from(Path replicaJson) {
        try {
            return new AttachedEnvironment(JsonMapper.builder().build().readValue(replicaJson.toFile(), ReplicaInfo.class));
        } catch (RuntimeException e) {
            throw new EngineException("cannot read the replica description " + replicaJson + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "attach";
    }

    @Override
    public ReplicaInfo replica() {
        return replica;
    }

    @Override
    public long pid(String service) {
        ReplicaInfo.Endpoint endpoint = replica.services().get(service);
        if (endpoint == null || endpoint.pid() <= 0) {
            throw new EngineException("replica.json gives no pid for " + service + "; process faults need one");
        }
        return endpoint.pid();
    }

    @Override
    public void signal(String service, String signal) {
        Signals.send(pid(service), signal);
    }

    @Override
    public void restart(String service) {
        throw new EngineException("an attached replica cannot restart " + service + "; use a crash with a local replica");
    }

    @Override
    public boolean canRestart() {
        return false;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
