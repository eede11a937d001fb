package io.blastradius.environment;

/** An environment could not do what it was asked: start, reach a part, apply or undo a change. */
public class EnvironmentException extends RuntimeException {

    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
