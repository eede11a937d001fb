package io.blastradius.engine.load;

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

    public static Outcome of(int status, String contentType, String body) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        boolean json = contentType != null && contentType.contains("json") && body != null && body.trim().startsWith("{");
        return (status == 503 || status == 429) && json ? GRACEFUL : HTTP_ERROR;
    }
}
