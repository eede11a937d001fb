package io.blastradius.experiment;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which gateway the replica runs: the decoupled design, or the classic coupling mistakes. */
public enum ReplicaProfile {
    DECOUPLED("decoupled"),
    COUPLED("coupled");

    private final String wireName;

    ReplicaProfile(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ReplicaProfile fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("profile must be one of "
                        + Arrays.stream(values()).map(ReplicaProfile::wireName).collect(Collectors.joining(", "))
                        + ", but was '" + name + "'"));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
