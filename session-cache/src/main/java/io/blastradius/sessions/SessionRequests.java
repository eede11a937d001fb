package io.blastradius.sessions;

import java.util.regex.Pattern;

/** Request bodies of the session API, each checked at the edge with a message naming the field. */
final class SessionRequests {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final long MAX_TTL_SECONDS = 86_400;

    private SessionRequests() {
    }

    record Create(String id, String user, Long ttlSeconds) {
        Create {
            checkId(id);
            if (user == null || !USER.matcher(user).matches()) {
                throw new IllegalArgumentException("user: required, 1 to 64 of [A-Za-z0-9._@-]");
            }
            checkTtl(ttlSeconds);
        }
    }

    record Touch(Long ttlSeconds) {
        Touch {
            checkTtl(ttlSeconds);
        }
    }

    static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: required, 16 to 128 of [A-Za-z0-9_-]");
        }
    }

    private static void checkTtl(Long ttlSeconds) {
        if (ttlSeconds == null || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("ttlSeconds: required, from 1 to " + MAX_TTL_SECONDS + ", but was " + ttlSeconds);
        }
    }
}
