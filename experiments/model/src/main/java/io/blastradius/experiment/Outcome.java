package io.blastradius.experiment;

/** How one request ended, as the hypotheses judge it. */
public enum Outcome {
    /** 2xx. */
    SUCCESS,
    /** 503 or 429 with a JSON body: the designed, fast refusal. */
    GRACEFUL,
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
            case SUCCESS -> "success(es)";
        };
    }

    public static Outcome of(int status, String contentType, String body) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        boolean json = contentType != null && contentType.contains("json") && body != null && body.trim().startsWith("{");
        return (status == 503 || status == 429) && json ? GRACEFUL : HTTP_ERROR;
    }
}
