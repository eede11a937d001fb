package io.blastradius.faultproxy;

/**
 * A request the fault proxy refuses, with the HTTP status and message its API answers
 * ({@code {"error": message, "status": status}}).
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

    public static FaultProxyException badRequest(String message) {
        return new FaultProxyException(400, message);
    }

    public static FaultProxyException proxyNotFound() {
        return new FaultProxyException(404, "proxy not found");
    }

    public static FaultProxyException toxicNotFound() {
        return new FaultProxyException(404, "toxic not found");
    }
}
