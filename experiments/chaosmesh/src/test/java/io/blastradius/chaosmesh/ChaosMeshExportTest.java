package io.blastradius.chaosmesh;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export on the catalog and on hand-written experiments: each fault as its Chaos Mesh kind between the
 * right pods, the phases as nodes with deadlines, rate hypotheses and guards as StatusChecks, what cannot be
 * carried said; every Workflow valid against the schema of the fields it emits (which refuses a typo: the
 * control), and read back unchanged through fabric8's generic resources. No Chaos Mesh runs here: this
 * proves the resources, not what a cluster does with them.
 */
class ChaosMeshExportTest {

    static final Path CATALOG = Path.of("../catalog").toAbsolutePath().normalize();
    static final ChaosMeshExport EXPORT = new ChaosMeshExport("blast-radius", "br-demo-key", "demo", "demo-password");

    static ChaosMeshExport.Export export(String catalogName) throws IOException {
        return EXPORT.of(new ExperimentLoader().load(CATALOG.resolve(catalogName + ".yaml")));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> templates(ChaosMeshExport.Export export) {
        return (List<Map<String, Object>>) ((Map<String, Object>) export.workflow().get("spec")).get("templates");
    }

    static List<Map<String, Object>> ofType(ChaosMeshExport.Export export, String type) {
        return templates(export).stream().filter(t -> t.get("templateType").equals(type)).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Object map, String... keys) {
        Object node = map;
        for (String key : keys) {
            node = ((Map<String, Object>) node).get(key);
        }
        return (Map<String, Object>) node;
    }

    @Test
    void everyCatalogExperimentBecomesAValidWorkflowWhoseNodesAllHaveDeadlines() throws IOException {
        List<Experiment> catalog = new ExperimentLoader().loadAll(List.of(CATALOG));
        assertThat(catalog).hasSizeGreaterThanOrEqualTo(9);
        for (Experiment experiment : catalog) {
            ChaosMeshExport.Export export = EXPORT.of(experiment);
            assertThat(WorkflowFile.problems(export.workflow())).as(experiment.metadata().name()).isEmpty();
            List<Map<String, Object>> templates = templates(export);
            Set<String> names = new HashSet<>();
            templates.forEach(t -> assertThat(names.add((String) t.get("name"))).as("template names are unique: " + t.get("name")).isTrue());
            Map<String, Object> entry = templates.get(0);
            assertThat(entry.get("name")).isEqualTo(at(export.workflow(), "spec").get("entry"));
            assertThat(entry.get("children")).isEqualTo(List.of("warmup", "baseline", "fault", "recovery"));
            for (Map<String, Object> template : templates) {
                assertThat(template).containsKey("deadline");
                if (template.get("children") instanceof List<?> children) {
                    assertThat(names).as("children of " + template.get("name")).containsAll(children.stream().map(String.class::cast).toList());
                }
            }
            assertThat(export.notCarried()).as("the load is always said").anyMatch(line -> line.startsWith("the load"));
        }
    }

    @Test
    void authLatencyIsADelayBetweenTheFaultProxyAndAuthServiceForTheFaultPhase() throws IOException {
        ChaosMeshExport.Export export = export("auth-latency");
        Map<String, Object> node = ofType(export, "NetworkChaos").get(0);
        assertThat(node.get("deadline")).isEqualTo("15s");
        Map<String, Object> chaos = at(node, "networkChaos");
        assertThat(chaos).containsEntry("action", "delay").containsEntry("direction", "from").containsEntry("mode", "all");
        assertThat(at(chaos, "selector", "labelSelectors")).containsEntry("app.kubernetes.io/name", "fault-proxy");
        assertThat(at(chaos, "selector")).containsEntry("namespaces", List.of("blast-radius"));
        assertThat(at(chaos, "target", "selector", "labelSelectors")).containsEntry("app.kubernetes.io/name", "auth-service");
        assertThat(at(chaos, "delay")).containsEntry("latency", "2000ms").containsEntry("jitter", "100ms");
    }

    @Test
    void aCrashIsAPodKillWithoutGraceOfThatServiceOnly() throws IOException {
        ChaosMeshExport.Export export = export("auth-crash");
        Map<String, Object> chaos = at(ofType(export, "PodChaos").get(0), "podChaos");
        assertThat(chaos).containsEntry("action", "pod-kill").containsEntry("gracePeriod", 0);
        assertThat(at(chaos, "selector", "labelSelectors")).isEqualTo(Map.of("app.kubernetes.io/name", "auth-service"));
        assertThat(export.notCarried()).anyMatch(line -> line.contains("replaces at once"));
    }

    @Test
    void aPauseAndPercentilesAreSaidNotDropped() throws IOException {
        ChaosMeshExport.Export export = export("session-cache-frozen");
        assertThat(templates(export)).noneMatch(t -> t.get("templateType").toString().endsWith("Chaos"));
        assertThat(export.notCarried()).anyMatch(line -> line.contains("pause on session-cache") && line.contains("run only with blastradius run"))
                .anyMatch(line -> line.contains("p99"));
        assertThat(at(export.workflow(), "metadata", "annotations").get("blastradius.io/not-carried").toString()).contains("pause on session-cache");
        assertThat(WorkflowFile.yaml(export)).startsWith("# Blast Radius experiment 'session-cache-frozen'").contains("#   - faults[0] pause on session-cache");
    }

    @Test
    void aSuccessRateOnTheApiIsAStatusCheckAndAnErrorRateGuardAbortsTheWorkflow() throws IOException {
        ChaosMeshExport.Export export = export("auth-latency");
        Map<String, Object> check = templates(export).stream().filter(t -> t.get("name").equals("check-api-unaffected-fault")).findFirst().orElseThrow();
        Map<String, Object> http = at(check, "statusCheck", "http");
        assertThat(http).containsEntry("url", "http://gateway.blast-radius.svc:8080/v1/messages").containsEntry("method", "POST");
        assertThat(at(http, "headers")).containsEntry("x-api-key", List.of("br-demo-key"));
        assertThat(at(http, "criteria")).containsEntry("statusCode", "200-299");
        assertThat(check).doesNotContainKey("abortWithStatusCheck");
        Map<String, Object> guard = templates(export).stream().filter(t -> t.get("name").equals("abort-0-fault")).findFirst().orElseThrow();
        assertThat(guard).containsEntry("abortWithStatusCheck", true);
        assertThat(at(guard, "statusCheck")).containsEntry("failureThreshold", 2);
        assertThat(export.notCarried()).as("the app route needs a session").anyMatch(line -> line.contains("app-recovers"));
    }

    @Test
    void aFaultWithAnOffsetWaitsForItInASerialAndADownHopIsAPartition(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("offset.yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: offset, title: "A hop down for five seconds, five seconds into the fault" }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 20s, recovery: 2s }
                faults: [ { target: auth-service->session-cache, at: 5s, for: 5s, down: {} } ]
                hypotheses: [ { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" } ]
                """);
        ChaosMeshExport.Export export = EXPORT.of(new ExperimentLoader().load(file));
        assertThat(WorkflowFile.problems(export.workflow())).isEmpty();
        Map<String, Object> serial = templates(export).stream().filter(t -> t.get("name").equals("fault-0-down")).findFirst().orElseThrow();
        assertThat(serial).containsEntry("templateType", "Serial").containsEntry("deadline", "10s")
                .containsEntry("children", List.of("fault-0-down-at", "fault-0-down-inject"));
        Map<String, Object> inject = templates(export).stream().filter(t -> t.get("name").equals("fault-0-down-inject")).findFirst().orElseThrow();
        assertThat(inject).containsEntry("deadline", "5s");
        assertThat(at(inject, "networkChaos")).containsEntry("action", "partition").containsEntry("direction", "to");
        assertThat(at(inject, "networkChaos", "target", "selector", "labelSelectors")).containsEntry("app.kubernetes.io/name", "session-cache");
        assertThat(templates(export).stream().filter(t -> t.get("name").equals("fault-0-down-at")).findFirst().orElseThrow())
                .containsEntry("templateType", "Suspend").containsEntry("deadline", "5s");
    }

    @Test
    void cpuAndMemoryAssaultsAreStressChaosAndAKilledApplicationAPodKillEachSaidForWhatDiffers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runtime.yaml");
        Files.writeString(file, """
                apiVersion: blastradius/v1
                kind: Experiment
                metadata: { name: runtime, title: "CPU, memory and a killed application" }
                traffic: [ { route: api, rate: 5/s } ]
                phases: { warmup: 1s, baseline: 2s, fault: 20s, recovery: 2s }
                faults:
                  - { target: auth-service, app-cpu: { load: 0.5 } }
                  - { target: session-cache, app-memory: { fill: 0.6, step: 0.2, every: 500ms } }
                  - { target: inference-stub, app-kill: {} }
                hypotheses: [ { name: api-ok, route: api, during: [fault], success-rate: ">= 99%" } ]
                """);
        ChaosMeshExport.Export export = EXPORT.of(new ExperimentLoader().load(file));
        assertThat(WorkflowFile.problems(export.workflow())).isEmpty();
        List<Map<String, Object>> stress = ofType(export, "StressChaos");
        assertThat(stress).hasSize(2);
        assertThat(at(stress.get(0), "stressChaos", "stressors", "cpu")).containsEntry("workers", 1).containsEntry("load", 50);
        assertThat(at(stress.get(0), "stressChaos", "selector", "labelSelectors")).containsEntry("app.kubernetes.io/name", "auth-service");
        assertThat(at(stress.get(1), "stressChaos", "stressors", "memory")).containsEntry("size", "60%");
        assertThat(at(ofType(export, "PodChaos").get(0), "podChaos")).containsEntry("action", "pod-kill");
        assertThat(export.notCarried()).anyMatch(line -> line.startsWith("faults[0] app-cpu on auth-service: as StressChaos"))
                .anyMatch(line -> line.startsWith("faults[1] app-memory on session-cache: as StressChaos"))
                .anyMatch(line -> line.startsWith("faults[2] app-kill on inference-stub: as a pod-kill"));

        Map<String, Object> typo = deepCopy(export.workflow());
        at(templatesOf(typo).stream().filter(t -> "StressChaos".equals(t.get("templateType"))).findFirst().orElseThrow(), "stressChaos", "stressors", "cpu")
                .put("load", 150);
        assertThat(WorkflowFile.problems(typo)).as("the control: a load past 100 is refused").isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSchemaRefusesAFieldATypeOrANodeChaosMeshWouldNotTake() throws IOException {
        ChaosMeshExport.Export export = export("auth-latency");
        Map<String, Object> typo = deepCopy(export.workflow());
        Map<String, Object> delay = at(templatesOf(typo).stream().filter(t -> "NetworkChaos".equals(t.get("templateType"))).findFirst().orElseThrow(), "networkChaos", "delay");
        delay.put("jiter", delay.remove("jitter"));
        assertThat(WorkflowFile.problems(typo)).singleElement().asString().contains("jiter");

        Map<String, Object> noDeadline = deepCopy(export.workflow());
        templatesOf(noDeadline).get(1).remove("deadline");
        assertThat(WorkflowFile.problems(noDeadline)).singleElement().asString().contains("deadline");

        Map<String, Object> badLatency = deepCopy(export.workflow());
        at(templatesOf(badLatency).stream().filter(t -> "NetworkChaos".equals(t.get("templateType"))).findFirst().orElseThrow(), "networkChaos", "delay")
                .put("latency", "2 seconds");
        assertThat(WorkflowFile.problems(badLatency)).isNotEmpty();
    }

    @Test
    void theWorkflowReadsBackUnchangedThroughFabric8sGenericResources() throws IOException {
        for (String name : List.of("auth-latency", "auth-crash", "auth-exceptions", "redis-partition")) {
            String yaml = WorkflowFile.yaml(export(name));
            GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
            assertThat(resource.getApiVersion()).isEqualTo("chaos-mesh.org/v1alpha1");
            assertThat(resource.getKind()).isEqualTo("Workflow");
            assertThat(resource.getMetadata().getNamespace()).isEqualTo("blast-radius");
            Yaml reader = new Yaml(new SafeConstructor(new LoaderOptions()));
            Object again = reader.load(Serialization.asYaml(resource));
            assertThat(again).as(name).isEqualTo(reader.load(yaml));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> templatesOf(Map<String, Object> workflow) {
        return (List<Map<String, Object>>) at(workflow, "spec").get("templates");
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            return (T) new java.util.ArrayList<>(list.stream().map(ChaosMeshExportTest::deepCopy).toList());
        }
        return value;
    }
}
