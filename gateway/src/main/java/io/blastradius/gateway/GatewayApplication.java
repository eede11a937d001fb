package io.blastradius.gateway;

import io.blastradius.support.ParentWatchdog;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The replica's gateway: the routes api, app, login and logout. */
@SpringBootApplication
@EnableConfigurationProperties(GatewaySettings.class)
public class GatewayApplication {

    public static void main(String[] args) {
        ParentWatchdog.startFromEnvironment();
        SpringApplication.run(GatewayApplication.class, args);
    }
}
