package io.blastradius.engine.sweep;

import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The grid of a sweep: its axes parsed, every key and value checked before anything runs, the cells expanded. */
class SweepGridTest {

    static final Path AUTH_LATENCY = Path.of("../catalog/auth-latency.yaml");

    static SweepGrid grid(String... vary) {
        return SweepGrid.of(AUTH_LATENCY, java.util.Arrays.stream(vary).map(SweepGrid::axis).toList(), 24);
    }

    @Test
    void theCellsAreEveryCombinationEachTheExperimentWithItsValuesSet() {
        SweepGrid grid = grid("gateway:resilience4j.timelimiter.instances.auth.timeout-duration=250ms,1s",
                "faults[0].latency.delay=500ms,2s,4s");

        assertThat(grid.cells()).hasSize(6);
        assertThat(grid.cells()).extracting(SweepGrid.Cell::label).containsExactly(
                "gateway:resilience4j.timelimiter.instances.auth.timeout-duration=250ms, faults[0].latency.delay=500ms",
                "gateway:resilience4j.timelimiter.instances.auth.timeout-duration=250ms, faults[0].latency.delay=2s",
                "gateway:resilience4j.timelimiter.instances.auth.timeout-duration=250ms, faults[0].latency.delay=4s",
                "gateway:resilience4j.timelimiter.instances.auth.timeout-duration=1s, faults[0].latency.delay=500ms",
                "gateway:resilience4j.timelimiter.instances.auth.timeout-duration=1s, faults[0].latency.delay=2s",
                "gateway:resilience4j.timelimiter.instances.auth.timeout-duration=1s, faults[0].latency.delay=4s");
        var last = grid.cells().get(5).experiment();
        assertThat(last.replica().properties()).containsEntry("gateway", Map.of("resilience4j.timelimiter.instances.auth.timeout-duration", "1s"));
        assertThat(last.faults().get(0).parameters()).containsEntry("delay", "4s");
        // what is not varied stays as the file has it
        assertThat(last.faults().get(0).parameters()).containsEntry("jitter", "100ms");
        assertThat(last.metadata().name()).as("each cell its own run folder").isEqualTo("auth-latency-06");
    }

    @Test
    void aRouteRateAPhaseAndTheProfileCanBeVaried() {
        SweepGrid grid = grid("traffic.login.fault=10/s,40/s", "phases.fault=5s", "replica.profile=decoupled,coupled");

        assertThat(grid.cells()).hasSize(4);
        var cell = grid.cells().get(3).experiment();
        assertThat(cell.replica().profile()).isEqualTo("coupled");
        var login = cell.traffic().stream().filter(t -> t.route() == Route.LOGIN).findFirst().orElseThrow();
        assertThat(login.rate(Phase.FAULT)).isEqualTo(40.0);
        assertThat(login.rate(Phase.BASELINE)).as("the other phases keep the file's single rate").isEqualTo(5.0);
        assertThat(login.rate(Phase.RECOVERY)).isEqualTo(5.0);
    }

    @Test
    void eachBadKeyIsRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> grid("faults[3].latency.delay=1s"))
                .hasMessage("--vary faults[3].latency.delay: the experiment has 1 fault(s), faults[0] to faults[0]");
        assertThatThrownBy(() -> grid("faults[0].bandwidth.rate=10"))
                .hasMessage("--vary faults[0].bandwidth.rate: faults[0] is not a bandwidth fault (its keys: target, latency)");
        assertThatThrownBy(() -> grid("gateway:resilence4j.timelimiter.instances.auth.timeout-duration=1s"))
                .hasMessageStartingWith("--vary gateway:resilence4j.timelimiter.instances.auth.timeout-duration: unknown property namespace 'resilence4j' (known: ");
        assertThatThrownBy(() -> grid("gatewy:resilience4j.x=1"))
                .hasMessage("--vary gatewy:resilience4j.x: no service 'gatewy' (services: session-cache, auth-service, inference-stub, gateway)");
        assertThatThrownBy(() -> grid("redis:spring.x=1")).hasMessage("--vary redis:spring.x: redis takes no Spring properties");
        assertThatThrownBy(() -> grid("traffic.signup=5/s")).hasMessageStartingWith("--vary traffic.signup: no route 'signup' (routes: api, app, login, logout)");
        assertThatThrownBy(() -> grid("traffic.login.during=5/s")).hasMessageStartingWith("--vary traffic.login.during: no phase 'during'");
        assertThatThrownBy(() -> grid("seed=1,2")).hasMessageStartingWith("--vary seed: not a key a sweep can vary; KEY is SERVICE:spring.property");
    }

    @Test
    void eachBadValueIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> grid("faults[0].latency.delay=2s,2x"))
                .hasMessageStartingWith("--vary faults[0].latency.delay=2x: ");
        assertThatThrownBy(() -> grid("traffic.login.fault=10/s,fast"))
                .hasMessageStartingWith("--vary traffic.login.fault=fast: ");
        assertThatThrownBy(() -> grid("replica.profile=decoupled,tangled"))
                .hasMessageStartingWith("--vary replica.profile=tangled: ");
    }

    @Test
    void malformedArgumentsAndGridsTooLargeAreRefused() {
        assertThatThrownBy(() -> SweepGrid.axis("faults[0].latency.delay")).hasMessageStartingWith("--vary 'faults[0].latency.delay': expected KEY=V1,V2,…");
        assertThatThrownBy(() -> SweepGrid.axis("phases.fault=5s,,10s")).hasMessage("--vary phases.fault: an empty value in '5s,,10s'");
        assertThatThrownBy(() -> SweepGrid.axis("phases.fault=5s,5s")).hasMessage("--vary phases.fault: a value given twice in '5s,5s'");
        assertThatThrownBy(() -> grid("phases.fault=5s", "phases.fault=10s")).hasMessageStartingWith("--vary: a key given twice");
        assertThatThrownBy(() -> SweepGrid.of(AUTH_LATENCY, List.of(), 24)).hasMessageStartingWith("a sweep needs at least one --vary");
        assertThatThrownBy(() -> SweepGrid.of(AUTH_LATENCY, List.of(SweepGrid.axis("faults[0].latency.delay=1s,2s,3s,4s,5s"),
                SweepGrid.axis("traffic.login.fault=1/s,2/s,3/s,4/s,5/s")), 24))
                .hasMessage("the grid has 25 cells (5 × 5), more than --max-runs 24: vary fewer values, or raise --max-runs");
    }
}
