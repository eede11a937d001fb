package io.blastradius.environment;

import java.net.URI;

/** Where traffic goes, and the demo credentials that work there. */
public interface Endpoints {

    /** The public entry point, e.g. {@code http://127.0.0.1:41234}. */
    URI gatewayUrl();

    Credentials demo();

    /** The demo API key and login. */
    record Credentials(String apiKey, String username, String password) {

        /** What every replica this project starts is given (and what an attached one is assumed to have). */
        public static final Credentials DEMO = new Credentials("br-demo-key", "demo", "demo-password");
    }

    static Endpoints of(URI gatewayUrl, Credentials demo) {
        record Fixed(URI gatewayUrl, Credentials demo) implements Endpoints {
        }
        return new Fixed(gatewayUrl, demo);
    }
}
