package io.blastradius.replica;

/** The replica could not be started or stopped; the message says which part and why. */
public class ReplicaException extends RuntimeException {

    public ReplicaException(String message) {
        super(message);
    }

    public ReplicaException(String message, Throwable cause) {
        super(message, cause);
    }
}
