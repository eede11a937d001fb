package io.blastradius.engine;

import io.blastradius.experiment.Phase;

/** Where a phase lies in the run, in whole seconds from the start of the load: {@code [from, to)}. */
public record PhaseWindow(Phase phase, int from, int to) {
}
