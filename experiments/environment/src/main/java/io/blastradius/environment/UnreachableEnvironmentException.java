package io.blastradius.environment;

/**
 * The environment could not be reached just now (its API server down, the network out), which says nothing
 * about what runs there: a rollback keeps its journal to try again, rather than take the replica for gone.
 */
public class UnreachableEnvironmentException extends EnvironmentException {

    public UnreachableEnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
