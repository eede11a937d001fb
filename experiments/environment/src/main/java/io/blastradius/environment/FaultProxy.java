package io.blastradius.environment;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.experiment.Hop;

import java.io.IOException;
import java.net.URI;
import java.util.List;

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

    /** The names of every toxic on a proxy, of types beyond Toxiproxy's too (which its client does not list). */
    default List<String> toxicNames(String proxy) throws IOException {
        return ToxicsApi.names(apiUrl(), proxy);
    }

    /**
     * Adds a toxic given as the API's JSON, for the types beyond Toxiproxy's ({@code http}) that its client cannot
     * add; an {@link IOException} with the API's message if refused (a real Toxiproxy has no such type).
     */
    default void addToxic(String proxy, String toxicJson) throws IOException {
        ToxicsApi.add(apiUrl(), proxy, toxicJson);
    }

    /** Removes a toxic by name, whatever its type; false if there was none. */
    default boolean removeToxic(String proxy, String toxic) throws IOException {
        return ToxicsApi.remove(apiUrl(), proxy, toxic);
    }

    static FaultProxy at(URI apiUrl) {
        return () -> apiUrl;
    }
}
