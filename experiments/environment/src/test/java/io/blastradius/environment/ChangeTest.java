package io.blastradius.environment;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.blastradius.experiment.Service;
import io.blastradius.faultproxy.FaultProxyOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Changes undone through an environment's capabilities, against the real fault proxy: what a reset
 * finds is what a fault leaves, undoing twice changes nothing, and each change survives the journal.
 */
class ChangeTest {

    io.blastradius.faultproxy.FaultProxy faultProxy;
    ToxiproxyClient client;
    Environment environment;

    @BeforeEach
    void start() throws IOException {
        faultProxy = io.blastradius.faultproxy.FaultProxy.start(FaultProxyOptions.ofDefaults());
        client = new ToxiproxyClient("127.0.0.1", faultProxy.apiPort());
        client.createProxy("gateway-to-auth-service", "127.0.0.1:0", "127.0.0.1:9");
        client.createProxy("session-cache-to-redis", "127.0.0.1:0", "127.0.0.1:9");
        FaultProxy capability = FaultProxy.at(URI.create(faultProxy.apiUrl()));
        environment = new Environment() {
            @Override
            public String name() {
                return "proxy-only";
            }

            @Override
            public Endpoints endpoints() {
                return Endpoints.of(URI.create("http://127.0.0.1:9"), new Endpoints.Credentials("k", "u", "p"));
            }

            @Override
            public Optional<FaultProxy> faultProxy() {
                return Optional.of(capability);
            }

            @Override
            public EnvironmentRef reattach() {
                return new EnvironmentRef("proxy-only", Map.of());
            }

            @Override
            public void close() {
            }
        };
    }

    @AfterEach
    void stop() {
        faultProxy.close();
    }

    @Test
    void whatAFaultLeftIsFoundAndUndoneOnceThenAlreadyUndone() throws IOException {
        Proxy auth = client.getProxy("gateway-to-auth-service");
        auth.toxics().latency("br-x-0-downstream", ToxicDirection.DOWNSTREAM, 500);
        client.getProxy("session-cache-to-redis").disable();

        List<Change> found = Leftovers.in(environment);

        assertThat(found).containsExactlyInAnyOrder(new Change.ToxicAdded("gateway-to-auth-service", "br-x-0-downstream"),
                new Change.ProxyDisabled("session-cache-to-redis"));
        assertThat(found.stream().map(c -> c.undo(environment)).toList()).containsExactlyInAnyOrder(
                "removed toxic br-x-0-downstream from gateway-to-auth-service", "enabled proxy session-cache-to-redis again");
        assertThat(Leftovers.in(environment)).isEmpty();
        assertThat(found.stream().map(c -> c.undo(environment)).toList()).containsExactlyInAnyOrder(
                "toxic br-x-0-downstream was already gone", "proxy session-cache-to-redis was already enabled");
    }

    @Test
    void aChangeNeedingACapabilityTheEnvironmentLacksSaysWhichAndWhere() {
        assertThatThrownBy(() -> new Change.ProcessPaused(Service.INFERENCE_STUB).undo(environment))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("continuing inference-stub needs control of the services' processes (kill, stop, pause, resume), "
                        + "which the proxy-only environment does not offer");
    }

    @Test
    void everyKindOfChangeSurvivesTheJournalAsItsOwnType() {
        JsonMapper json = JsonMapper.builder().build();
        List<Change> all = List.of(new Change.ToxicAdded("p", "t"), new Change.ProxyDisabled("p"),
                new Change.AssaultEnabled(Service.SESSION_CACHE), new Change.ProcessPaused(Service.REDIS),
                new Change.ProcessStopped(Service.GATEWAY));

        for (Change change : all) {
            String text = json.writeValueAsString(change);
            assertThat(json.readValue(text, Change.class)).as(text).isEqualTo(change);
        }
        assertThat(json.writeValueAsString(new Change.ProcessPaused(Service.REDIS))).contains("\"kind\":\"process-paused\"");
    }
}
