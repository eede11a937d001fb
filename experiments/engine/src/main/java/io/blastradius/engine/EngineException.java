package io.blastradius.engine;

/** The harness failed: a run ends in ERROR with this message. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
