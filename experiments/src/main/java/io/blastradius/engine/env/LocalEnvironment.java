package io.blastradius.engine.env;

import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.Service;

import java.util.Arrays;

/** The experiment's own replica on this machine, started as {@code blastradius up} does and stopped after the run. */
public final class LocalEnvironment implements Environment {

    private final LocalReplica replica;

    public LocalEnvironment(LocalReplica replica) {
        this.replica = replica;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public ReplicaInfo replica() {
        return replica.info();
    }

    @Override
    public long pid(String service) {
        return replica.pidOf(service(service));
    }

    @Override
    public void signal(String service, String signal) {
        Signals.send(pid(service), signal);
    }

    @Override
    public void restart(String service) {
        replica.restart(service(service));
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    static Service service(String name) {
        return Arrays.stream(Service.values()).filter(s -> s.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service named '" + name + "'"));
    }

    @Override
    public void close() {
        replica.close();
    }
}
