package io.blastradius.inference;

import io.blastradius.support.ParentWatchdog;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** A fake model API: the inference-stub of the replica. */
@SpringBootApplication
@EnableConfigurationProperties(StubProperties.class)
public class InferenceStubApplication {

    public static void main(String[] args) {
        ParentWatchdog.startFromEnvironment();
        SpringApplication.run(InferenceStubApplication.class, args);
    }
}
