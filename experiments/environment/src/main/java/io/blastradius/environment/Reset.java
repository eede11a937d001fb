package io.blastradius.environment;

import java.util.List;

/**
 * What a reset between experiments clears beyond the changes of {@link Leftovers}: the replica's own
 * state, such as every session in Redis. Returns what it did, in words.
 */
public interface Reset {

    List<String> clearState();
}
