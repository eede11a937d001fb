package io.blastradius.auth;

import io.blastradius.support.ParentWatchdog;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The auth-service of the replica: login, logout and session lookup. */
@SpringBootApplication
@EnableConfigurationProperties(AuthProperties.class)
public class AuthServiceApplication {

    public static void main(String[] args) {
        ParentWatchdog.startFromEnvironment();
        SpringApplication.run(AuthServiceApplication.class, args);
    }
}
