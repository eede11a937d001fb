package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.FaultProxyException;

/**
 * Every error the API answers, in one table: its status and its message, Toxiproxy's own where it has one
 * (the {@code Err*} values of its {@code api.go}). A detail, when given, follows the message after ": ".
 */
enum ApiError {
    BAD_REQUEST_BODY(400, "bad request body"),
    MISSING_FIELD(400, "missing required field"),
    PROXY_NOT_FOUND(404, "proxy not found"),
    PROXY_EXISTS(409, "proxy already exists"),
    INVALID_STREAM(400, "stream was invalid, can be either upstream or downstream"),
    INVALID_TOXIC_TYPE(400, "invalid toxic type"),
    TOXIC_EXISTS(409, "toxic already exists"),
    TOXIC_NOT_FOUND(404, "toxic not found"),
    /** Beyond Toxiproxy, which takes any value (and some crash it): an attribute out of its range; {@code %s} is the type. */
    INVALID_ATTRIBUTE(400, "invalid %s attribute"),
    /** Beyond Toxiproxy, which takes any value: a toxicity outside 0 to 1. */
    INVALID_TOXICITY(400, "invalid toxicity"),
    PAGE_NOT_FOUND(404, "404 page not found"),
    METHOD_NOT_ALLOWED(405, "method not allowed"),
    USER_AGENT_REFUSED(403, "User agent not allowed"),
    /** What the system said, as it said it (a bind or an address error), as Toxiproxy passes Go's errors on. */
    SYSTEM(500, null);

    private final int status;
    private final String message;

    ApiError(int status, String message) {
        this.status = status;
        this.message = message;
    }

    FaultProxyException exception() {
        return new FaultProxyException(status, message);
    }

    FaultProxyException exception(String detail) {
        return new FaultProxyException(status, message == null ? detail : message + ": " + detail);
    }

    /** For a message with a {@code %s}: {@code argument} in its place, then the detail. */
    FaultProxyException exception(String argument, String detail) {
        return new FaultProxyException(status, message.formatted(argument) + ": " + detail);
    }
}
