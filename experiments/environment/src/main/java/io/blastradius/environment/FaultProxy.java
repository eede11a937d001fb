package io.blastradius.environment;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.experiment.Hop;

import java.net.URI;

/** The Toxiproxy API (the embedded fault proxy, or a real Toxiproxy) with one proxy per hop. */
public interface FaultProxy {

    URI apiUrl();

    /** The proxy that carries a hop. */
    default String proxyName(Hop hop) {
        return hop.proxyName();
    }

    /** The official client, on {@link #apiUrl()}. */
    default ToxiproxyClient client() {
        return new ToxiproxyClient(apiUrl().getHost(), apiUrl().getPort());
    }

    static FaultProxy at(URI apiUrl) {
        return () -> apiUrl;
    }
}
