package io.blastradius.environment;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Names for run folders: sortable by time, unique enough for runs that start in the same second. */
public final class RunIds {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunIds() {
    }

    public static String next() {
        return LocalDateTime.now().format(FORMAT) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }
}
