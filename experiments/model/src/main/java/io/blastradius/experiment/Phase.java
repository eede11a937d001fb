package io.blastradius.experiment;

import java.util.Arrays;
import java.util.Optional;

/** The fixed order of a run: warmup (not judged), baseline, fault, recovery. */
public enum Phase {
    WARMUP("warmup"),
    BASELINE("baseline"),
    FAULT("fault"),
    RECOVERY("recovery");

    private final String wireName;

    Phase(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Phase> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
