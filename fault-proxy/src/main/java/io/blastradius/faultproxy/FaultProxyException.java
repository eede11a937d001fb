package io.blastradius.faultproxy;

/**
 * A request the fault proxy refuses, with the HTTP status and message its API answers
 * ({@code {"error": message, "status": status}}); the API's own are listed in one table, {@code internal.ApiError}.
 */
public class FaultProxyException extends RuntimeException {

    private final int status;

    public FaultProxyException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
