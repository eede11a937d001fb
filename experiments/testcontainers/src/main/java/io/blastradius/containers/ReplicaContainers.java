package io.blastradius.containers;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.blastradius.environment.Breakers;
import io.blastradius.environment.Endpoints;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replica in containers for a team's JUnit 5 test class: started once before the class's first test,
 * removed after its last. After each test, every toxic is removed and every proxy enabled again
 * (Toxiproxy's reset), every paused or stopped service is back, and the gateway's circuit breakers are
 * closed again (light traffic until they are, up to {@value #SETTLE_SECONDS} s), so that one test's
 * failures do not fail the next.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ReplicaContainers replica = ReplicaContainers.decoupled();
 *
 * @Test
 * void theApiIgnoresSlowAuth() throws IOException {
 *     replica.proxy(Hop.GATEWAY_AUTH).toxics().latency("slow-auth", ToxicDirection.DOWNSTREAM, 1_500);
 *     // call replica.gatewayUrl() + "/v1/messages" with replica.demo().apiKey() and assert on the answer
 * }
 * }</pre>
 */
public final class ReplicaContainers implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static final int SETTLE_SECONDS = 30;

    private final ReplicaProfile profile;
    private final Map<String, Map<String, String>> properties = new LinkedHashMap<>();
    private Environment environment;

    private ReplicaContainers(ReplicaProfile profile) {
        this.profile = profile;
    }

    /** The shipped design: the public API does not depend on auth or Redis. */
    public static ReplicaContainers decoupled() {
        return new ReplicaContainers(ReplicaProfile.DECOUPLED);
    }

    /** The anti-pattern, for negative controls: API keys are checked by the auth service. */
    public static ReplicaContainers coupled() {
        return new ReplicaContainers(ReplicaProfile.COUPLED);
    }

    /** A Spring property of one service, e.g. {@code property("gateway", "resilience4j.timelimiter.instances.auth.timeout-duration", "250ms")}. */
    public ReplicaContainers property(String service, String key, String value) {
        properties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path logs = Path.of(System.getProperty("blastradius.logs", "target/blastradius-containers"), context.getRequiredTestClass().getSimpleName());
        environment = new ContainerEnvironmentProvider().open(new EnvironmentRequest(Path.of("."), logs,
                new ReplicaSpec(profile.wireName(), properties), 0, Map.of()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        toxiproxy().reset();
        Processes processes = processes();
        for (Service service : Service.values()) {
            if (processes.state(service) != Processes.State.RUNNING) {
                processes.start(service);
            }
        }
        awaitBreakersClosed();
    }

    /** A half-open breaker closes only on calls that succeed: a login and an api call every 200 ms until all are closed. */
    private void awaitBreakersClosed() {
        Breakers breakers = started().breakers().orElseThrow();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
        Map<String, String> states = breakers.states();
        while (!states.values().stream().allMatch(s -> s.equals("CLOSED") || s.equals("DISABLED"))) {
            if (System.nanoTime() > deadline) {
                throw new EnvironmentException("the gateway's circuit breakers did not close within " + SETTLE_SECONDS + " s: " + states);
            }
            send(http, "/auth/login", "{\"username\":\"" + demo().username() + "\",\"password\":\"" + demo().password() + "\"}");
            send(http, "/v1/messages", "{\"model\":\"stub\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "x-api-key", demo().apiKey());
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            states = breakers.states();
        }
    }

    private void send(HttpClient http, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gatewayUrl().resolve(path)).timeout(Duration.ofSeconds(5))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // a failed call is what a half-open breaker may still give
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (environment != null) {
            environment.close();
            environment = null;
        }
    }

    /** The gateway, e.g. {@code http://127.0.0.1:41234}: {@code /v1/messages}, {@code /app/chat}, {@code /auth/login}, {@code /auth/logout}. */
    public URI gatewayUrl() {
        return started().endpoints().gatewayUrl();
    }

    /** The demo API key, user and password the replica accepts. */
    public Endpoints.Credentials demo() {
        return started().endpoints().demo();
    }

    /** The official Toxiproxy client on the fault proxy, which carries every hop. */
    public ToxiproxyClient toxiproxy() {
        return started().faultProxy().orElseThrow().client();
    }

    /** The proxy of one hop, e.g. {@link Hop#GATEWAY_AUTH}, for its toxics. */
    public Proxy proxy(Hop hop) throws IOException {
        return toxiproxy().getProxy(hop.proxyName());
    }

    /** Crash, stop, pause, resume or start a service's container. */
    public Processes processes() {
        return started().processes().orElseThrow();
    }

    /** Everything else (Chaos Monkey, circuit-breaker states), as the engine sees it. */
    public Environment environment() {
        return started();
    }

    private Environment started() {
        if (environment == null) {
            throw new EnvironmentException("the replica is not started: register ReplicaContainers as a static @RegisterExtension field");
        }
        return environment;
    }
}
