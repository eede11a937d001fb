package io.blastradius.gateway.internal;

/** A request body above the gateway's limit; answered 413. */
public class PayloadTooLargeError extends RuntimeException {

    public PayloadTooLargeError(long limit) {
        super("request body must be at most " + limit + " bytes");
    }
}
