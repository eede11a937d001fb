package io.blastradius.sessions;

import java.time.Instant;

/** A stored session: who it belongs to, when it began and when it expires. */
public record Session(String id, String user, Instant createdAt, Instant expiresAt) {
}
