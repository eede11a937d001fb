package io.blastradius.support;

/**
 * The one error body every replica service answers with, in the shape of the Messages API:
 * {@code {"type":"error","error":{"type":"not_found_error","message":"..."}}}.
 *
 * <p>The error types and their statuses are listed once, here, and documented in the README.
 */
public record ApiError(String type, Detail error) {

    /** What went wrong: a stable machine-readable type and a sentence for people. */
    public record Detail(String type, String message) {
    }

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String PERMISSION = "permission_error";
    public static final String NOT_FOUND = "not_found_error";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed_error";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type_error";
    public static final String CONFLICT = "conflict_error";
    public static final String REQUEST_TOO_LARGE = "request_too_large";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String API = "api_error";
    public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable_error";
    public static final String OVERLOADED = "overloaded_error";

    public static ApiError of(String type, String message) {
        return new ApiError("error", new Detail(type, message));
    }

    /** The error type that goes with an HTTP status when nothing more specific is known. */
    public static String typeFor(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> AUTHENTICATION;
            case 403 -> PERMISSION;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMIT;
            case 503, 502, 504 -> UPSTREAM_UNAVAILABLE;
            case 529 -> OVERLOADED;
            default -> status >= 500 ? API : INVALID_REQUEST;
        };
    }

    public static ApiError forStatus(int status, String message) {
        return of(typeFor(status), message);
    }
}
