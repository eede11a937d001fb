package io.blastradius.gateway.internal;

/** A downstream service could not give an answer; the gateway answers 503. */
public class UpstreamUnavailableException extends RuntimeException {

    public UpstreamUnavailableException(String message) {
        super(message);
    }
}
