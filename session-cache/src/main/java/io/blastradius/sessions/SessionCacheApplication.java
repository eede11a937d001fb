package io.blastradius.sessions;

import io.blastradius.support.ParentWatchdog;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The session-cache of the replica: sessions over Redis, with a TTL. */
@SpringBootApplication
public class SessionCacheApplication {

    public static void main(String[] args) {
        ParentWatchdog.startFromEnvironment();
        SpringApplication.run(SessionCacheApplication.class, args);
    }
}
