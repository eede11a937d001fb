package io.blastradius.experiment;

/** How one request ended, as the hypotheses judge it. */
public enum Outcome {
    /** 2xx. */
    SUCCESS,
    /** 503 or 429 with a JSON body: the designed, fast refusal. */
    GRACEFUL,
    /**
     * 401 with a JSON body on a route that carries a session ({@code app}, {@code logout}): the session the
     * client held is gone (expired, or lost with the session store), and the user must log in again.
     */
    LOGGED_OUT,
    /** Any other HTTP status (500, 502, 504, 401, ...). */
    HTTP_ERROR,
    /** No complete response within the client's timeout. */
    TIMEOUT,
    /** Refused, reset or closed before a response. */
    CONNECTION_ERROR;

    /** How a count of them reads: "2 timeout(s)". */
    public String describe() {
        return switch (this) {
            case HTTP_ERROR -> "non-graceful HTTP error(s)";
            case TIMEOUT -> "timeout(s)";
            case CONNECTION_ERROR -> "connection error(s)";
            case GRACEFUL -> "graceful failure(s)";
            case LOGGED_OUT -> "refused session(s) (logged out)";
            case SUCCESS -> "success(es)";
        };
    }

    /** How a response on a route that carries no session ended. */
    public static Outcome of(int status, String contentType, String body) {
        return of(status, contentType, body, false);
    }

    /** How a response ended; {@code sessionRoute}: the request carried a session, so a JSON 401 means logged out. */
    public static Outcome of(int status, String contentType, String body, boolean sessionRoute) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        boolean json = contentType != null && contentType.contains("json") && body != null && body.trim().startsWith("{");
        if (status == 401 && sessionRoute && json) {
            return LOGGED_OUT;
        }
        return (status == 503 || status == 429) && json ? GRACEFUL : HTTP_ERROR;
    }
}
