package io.blastradius.engine.env;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.replica.ReplicaInfo;

/**
 * Where an experiment runs: the replica's endpoints, its fault proxy, and its processes. Local starts
 * its own replica; attach uses a running one described by its replica.json.
 */
public interface Environment extends AutoCloseable {

    String name();

    ReplicaInfo replica();

    default ToxiproxyClient toxiproxy() {
        return new ToxiproxyClient(replica().faultProxyUrl().getHost(), replica().faultProxyUrl().getPort());
    }

    /** The current pid of a service's process (it changes when the service is restarted). */
    long pid(String service);

    /** Sends a POSIX signal (KILL, TERM, STOP, CONT) to a service's process. */
    void signal(String service, String signal);

    /** Starts a crashed or stopped service again and waits until it is healthy. */
    void restart(String service);

    /** Whether {@link #restart} is possible here. */
    boolean canRestart();

    @Override
    void close();
}
