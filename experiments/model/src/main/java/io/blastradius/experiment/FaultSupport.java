package io.blastradius.experiment;

import java.util.Optional;

/**
 * Whether the place an experiment will run can apply a fault type, asked by the loader for every fault
 * so that a run is refused, with the fault's {@code file:line:col}, before anything starts.
 */
@FunctionalInterface
public interface FaultSupport {

    /** Every fault type is supported: validation of the file alone. */
    FaultSupport ANY = type -> Optional.empty();

    /** Why this fault type cannot run there, in words; empty when it can. */
    Optional<String> refusal(String faultType);
}
