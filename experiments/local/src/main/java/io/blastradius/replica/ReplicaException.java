package io.blastradius.replica;

import io.blastradius.environment.EnvironmentException;

/** The replica could not be started or stopped; the message says which part and why. */
public class ReplicaException extends EnvironmentException {

    public ReplicaException(String message) {
        super(message);
    }

    public ReplicaException(String message, Throwable cause) {
        super(message, cause);
    }
}
