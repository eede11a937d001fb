package io.blastradius.engine.env;

import io.blastradius.engine.faults.ChaosMonkeyFault;
import io.blastradius.replica.LocalReplica;
import io.blastradius.replica.ReplicaInfo;
import io.blastradius.replica.Service;

import java.util.ArrayList;
import java.util.List;

/**
 * A replica on this machine, started as {@code blastradius up} does and stopped on close: one
 * experiment's own, or a suite's, {@link #reset} between its experiments.
 */
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
        return replica.pidOf(Service.fromWireName(service));
    }

    @Override
    public void signal(String service, String signal) {
        Signals.send(pid(service), signal);
    }

    @Override
    public void restart(String service) {
        replica.restart(Service.fromWireName(service));
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    /**
     * Undoes whatever an experiment may have left, so that the next one starts as on a fresh replica:
     * paused processes continued, dead ones started again, every proxy enabled without toxics, every
     * Chaos Monkey off, every session removed. Returns what it had to mend, in words.
     */
    public List<String> reset() {
        List<String> mended = new ArrayList<>();
        for (Service service : Service.values()) {
            long pid = replica.pidOf(service);
            if (Signals.isStopped(pid)) {
                Signals.send(pid, "CONT");
                mended.add("continued " + service.wireName());
            }
        }
        mended.addAll(replica.reset());
        ReplicaInfo info = replica.info();
        for (Service service : Service.values()) {
            if (service.hasChaosMonkey()) {
                ChaosMonkeyFault.disable(info.service(service).managementUrl(), info.managementToken());
            }
        }
        return mended;
    }

    @Override
    public void close() {
        replica.close();
    }
}
