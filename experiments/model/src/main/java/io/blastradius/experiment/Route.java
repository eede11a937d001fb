package io.blastradius.experiment;

import java.util.Arrays;
import java.util.Optional;

/** The replica's public routes, as experiments name them. */
public enum Route {
    API("api", "/v1/messages"),
    APP("app", "/app/chat"),
    LOGIN("login", "/auth/login"),
    LOGOUT("logout", "/auth/logout");

    /** What a request on the api and app routes carries: the body the load generator and probes send. */
    public static final String MESSAGE = "{\"model\":\"stub\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"blast radius\"}]}";

    private final String wireName;
    private final String path;

    Route(String wireName, String path) {
        this.wireName = wireName;
        this.path = path;
    }

    public String wireName() {
        return wireName;
    }

    /** The gateway path; every route is a POST. */
    public String path() {
        return path;
    }

    /** Whether its requests carry a session token ({@code app}, {@code logout}): a 401 on it means logged out. */
    public boolean carriesSession() {
        return this == APP || this == LOGOUT;
    }

    public static Optional<Route> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
