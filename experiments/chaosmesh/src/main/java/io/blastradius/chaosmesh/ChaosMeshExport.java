package io.blastradius.chaosmesh;

import io.blastradius.experiment.Criterion;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Quantities;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An experiment as a Chaos Mesh {@code Workflow} for the replica of {@code k8s/} in one namespace, for teams
 * that keep their chaos in Git and run it with Chaos Mesh. Its phases become a Serial of nodes, each with a
 * {@code deadline} (a chaos node without one can hang a Workflow): warmup a Suspend; baseline, fault and
 * recovery each a Parallel of a Suspend that holds the phase, the faults (in the fault phase, after a
 * Suspend for their {@code at}), the hypotheses Chaos Mesh can check and the abort guards. Faults map to
 * their kind: network faults to NetworkChaos between the fault proxy's pod and the hop's target (the hop,
 * and only it, runs over that pair in k8s/), crash and restart to PodChaos pod-kill, stop to pod-failure,
 * app faults to HTTPChaos on the service's port. Chaos Mesh checks status codes only: a success- or
 * error-rate becomes a StatusCheck probing the route every second (three failures in a row fail it; an
 * abort guard aborts the Workflow), on the routes a probe can call without a session (api, login).
 * Everything else (the load, percentiles, graceful failures, recovery times, pause, slicer, limit-data, ...)
 * is listed in {@link Export#notCarried()}, never dropped silently: it runs only with {@code blastradius run}.
 */
public final class ChaosMeshExport {

    public static final String API_VERSION = "chaos-mesh.org/v1alpha1";
    /** The label k8s/ puts on every pod, with the service's name. */
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String FAULT_PROXY = "fault-proxy";
    private static final Duration WORKFLOW_SLACK = Duration.ofSeconds(60);

    private final String namespace;
    private final String apiKey;
    private final String username;
    private final String password;

    /** For the namespace the replica runs in, probing with these demo credentials (README: Demo credentials). */
    public ChaosMeshExport(String namespace, String apiKey, String username, String password) {
        this.namespace = namespace;
        this.apiKey = apiKey;
        this.username = username;
        this.password = password;
    }

    /** The Workflow, and in words what it leaves out. */
    public record Export(String name, Map<String, Object> workflow, List<String> notCarried) {
    }

    public Export of(Experiment experiment) {
        String name = experiment.metadata().name();
        List<String> notCarried = new ArrayList<>();
        notCarried.add("the load (" + experiment.traffic().size() + " route(s)): Chaos Mesh has no load node; run a load generator beside the Workflow");
        Templates templates = new Templates();

        List<String> phases = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            Duration length = experiment.phases().get(phase);
            if (length == null || length.isZero()) {
                continue;
            }
            phases.add(phase.wireName());
            if (phase == Phase.WARMUP) {
                templates.suspend(phase.wireName(), length);
                continue;
            }
            List<String> children = new ArrayList<>();
            children.add(templates.suspend(phase.wireName() + "-hold", length));
            if (phase == Phase.FAULT) {
                for (int i = 0; i < experiment.faults().size(); i++) {
                    fault(experiment, i, length, templates, notCarried).ifPresent(children::add);
                }
            }
            for (Experiment.Hypothesis hypothesis : experiment.hypotheses()) {
                if (hypothesis.during().contains(phase)) {
                    check(hypothesis, phase, length, templates, notCarried).ifPresent(children::add);
                }
            }
            for (int i = 0; i < experiment.abort().size(); i++) {
                guard(experiment.abort().get(i), i, phase, length, templates, notCarried).ifPresent(children::add);
            }
            templates.group(phase.wireName(), "Parallel", length, children);
        }
        Duration total = experiment.phases().values().stream().reduce(Duration.ZERO, Duration::plus);
        templates.first(templates.group(dnsName(name), "Serial", total.plus(WORKFLOW_SLACK), phases));

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", dnsName("br-" + name));
        metadata.put("namespace", namespace);
        // insertion-ordered maps throughout: the same experiment gives the same file, byte for byte (diffs in Git)
        metadata.put("labels", map("app.kubernetes.io/part-of", "blast-radius", "blastradius.io/experiment", name));
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("blastradius.io/title", experiment.metadata().title());
        annotations.put("blastradius.io/expect", experiment.expect().name().toLowerCase(Locale.ROOT));
        List<String> said = notCarried.stream().distinct().toList();
        annotations.put("blastradius.io/not-carried", String.join("; ", said));
        metadata.put("annotations", annotations);
        Map<String, Object> workflow = new LinkedHashMap<>();
        workflow.put("apiVersion", API_VERSION);
        workflow.put("kind", "Workflow");
        workflow.put("metadata", metadata);
        workflow.put("spec", map("entry", dnsName(name), "templates", templates.all));
        return new Export(name, workflow, said);
    }

    /** A fault's node (after a Suspend for its offset), or nothing, said in {@code notCarried}. */
    private Optional<String> fault(Experiment experiment, int index, Duration phase, Templates templates, List<String> notCarried) {
        FaultSpec fault = experiment.faults().get(index);
        String what = "faults[" + index + "] " + fault.type() + " on " + fault.target();
        Duration at = fault.at() == null ? Duration.ZERO : fault.at();
        Duration length = fault.duration() == null ? phase.minus(at) : fault.duration();
        String node = "fault-" + index + "-" + fault.type();
        Map<String, Object> chaos;
        String kind;
        switch (fault.type()) {
            case "latency", "bandwidth", "down", "timeout" -> {
                kind = "NetworkChaos";
                chaos = network(fault, what, notCarried);
            }
            case "crash", "restart" -> {
                kind = "PodChaos";
                chaos = pods(fault.service(), "pod-kill");
                if (fault.type().equals("crash")) {
                    chaos.put("gracePeriod", 0);
                }
                notCarried.add(what + ": as a pod-kill, which its Deployment replaces at once (a crash under --env local stays down to the end of its window)");
            }
            case "stop" -> {
                kind = "PodChaos";
                chaos = pods(fault.service(), "pod-failure");
                notCarried.add(what + ": as a pod-failure (its containers run Chaos Mesh's pause image for the window), which needs that image pullable or preloaded");
            }
            case "app-latency" -> {
                kind = "HTTPChaos";
                chaos = http(fault.service());
                Duration max = Quantities.duration(fault.parameters().get("max").toString());
                chaos.put("delay", max.toMillis() + "ms");
                notCarried.add(what + ": as a fixed HTTPChaos delay of its max (" + max.toMillis() + " ms) on every request to the service's port, not Chaos Monkey's random "
                        + fault.parameters().get("min") + "-" + fault.parameters().get("max") + " in its controllers; connections opened before it are not affected");
            }
            case "app-exception" -> {
                kind = "HTTPChaos";
                chaos = http(fault.service());
                chaos.put("target", "Response");
                chaos.put("replace", map("code", 500));
                notCarried.add(what + ": as HTTPChaos answering 500 on the service's port (Chaos Monkey throws in its controllers); connections opened before it are not affected");
            }
            case "http" -> {
                kind = "HTTPChaos";
                chaos = http(fault.hop().to());
                Map<String, Object> p = fault.parameters();
                if (p.get("path") != null) {
                    chaos.put("path", p.get("path") + "*");
                }
                if (p.get("method") != null) {
                    chaos.put("method", p.get("method"));
                }
                if (p.get("status") != null) {
                    chaos.put("target", "Response");
                    chaos.put("replace", map("code", ((Number) p.get("status")).intValue()));
                }
                if (p.get("delay") != null) {
                    chaos.put("delay", Quantities.duration(p.get("delay").toString()).toMillis() + "ms");
                }
                notCarried.add(what + ": as HTTPChaos on " + fault.hop().to().wireName() + "'s port, on every request from any caller"
                        + (p.get("percent") == null || ((Number) p.get("percent")).intValue() == 100 ? "" : " (not " + p.get("percent") + " % of them)")
                        + (p.get("status") == null ? "" : "; the status replaces the service's own answer, so the request still reaches it"));
            }
            case "app-cpu" -> {
                kind = "StressChaos";
                chaos = selected(fault.service().wireName());
                double load = fault.parameters().get("load") == null ? 0.9 : ((Number) fault.parameters().get("load")).doubleValue();
                chaos.put("stressors", map("cpu", map("workers", 1, "load", (int) Math.round(load * 100))));
                notCarried.add(what + ": as StressChaos, one stress-ng worker at " + Math.round(load * 100) + " % of one CPU in the pod;"
                        + " Chaos Monkey drives the service's own JVM to that share of all the machine's CPUs");
            }
            case "app-memory" -> {
                kind = "StressChaos";
                chaos = selected(fault.service().wireName());
                double fill = fault.parameters().get("fill") == null ? 0.8 : ((Number) fault.parameters().get("fill")).doubleValue();
                chaos.put("stressors", map("memory", map("workers", 1, "size", Math.round(fill * 100) + "%")));
                notCarried.add(what + ": as StressChaos taking " + Math.round(fill * 100) + " % of the pod's memory in a stress-ng process,"
                        + " not the JVM's heap filled step by step (step, every)");
            }
            case "app-kill" -> {
                kind = "PodChaos";
                chaos = pods(fault.service(), "pod-kill");
                notCarried.add(what + ": as a pod-kill, which its Deployment replaces at once, not the application ending itself");
            }
            default -> {
                notCarried.add(what + ": Chaos Mesh has no " + fault.type() + " (pause, slicer, limit-data, reset and slow-close run only with blastradius run)");
                return Optional.empty();
            }
        }
        String chaosNode = templates.chaos(at.isZero() ? node : node + "-inject", kind, length, chaos);
        if (at.isZero()) {
            return Optional.of(chaosNode);
        }
        String wait = templates.suspend(node + "-at", at);
        return Optional.of(templates.group(node, "Serial", at.plus(length), List.of(wait, chaosNode)));
    }

    /** Network faults act between the fault proxy's pod and the hop's target: the hop, and only it, runs over that pair. */
    private Map<String, Object> network(FaultSpec fault, String what, List<String> notCarried) {
        Hop hop = fault.hop();
        Map<String, Object> chaos = selected(FAULT_PROXY);
        // downstream: what the target answers (packets from the target); upstream: what is sent to it
        chaos.put("direction", "upstream".equals(fault.stream()) ? "to" : "from");
        chaos.put("target", selected(hop.to().wireName()));
        Map<String, Object> p = fault.parameters();
        switch (fault.type()) {
            case "latency" -> {
                chaos.put("action", "delay");
                Map<String, Object> delay = new LinkedHashMap<>();
                delay.put("latency", Quantities.duration(p.get("delay").toString()).toMillis() + "ms");
                if (p.get("jitter") != null) {
                    delay.put("jitter", Quantities.duration(p.get("jitter").toString()).toMillis() + "ms");
                }
                delay.put("correlation", "0");
                chaos.put("delay", delay);
            }
            case "bandwidth" -> {
                chaos.put("action", "bandwidth");
                // Toxiproxy's KB/s is tc's kbps (bytes); limit and buffer are required: a queue of 20 MB, a 10 kB burst
                chaos.put("bandwidth", map("rate", ((Number) p.get("rate")).longValue() + "kbps", "limit", 20_971_520, "buffer", 10_000));
            }
            case "down" -> {
                chaos.put("action", "partition");
                chaos.put("direction", "to");
                notCarried.add(what + ": as a partition, so a connection to " + hop.to().wireName()
                        + " is dropped (the fault proxy gives up after 500 ms) where the fault proxy refuses it at once");
            }
            default -> { // timeout: data held, never answered
                chaos.put("action", "loss");
                chaos.put("loss", map("loss", "100", "correlation", "0"));
                if (p.get("after") != null) {
                    notCarried.add(what + ": the close after " + p.get("after") + " (a 100 % loss holds the connection open)");
                }
            }
        }
        if (fault.toxicity() < 1) {
            notCarried.add(what + ": toxicity " + fault.toxicity() + " (Chaos Mesh acts on every packet between the pods)");
        }
        return chaos;
    }

    private Map<String, Object> pods(Service service, String action) {
        Map<String, Object> chaos = selected(service.wireName());
        chaos.put("action", action);
        return chaos;
    }

    private Map<String, Object> http(Service service) {
        Map<String, Object> chaos = selected(service.wireName());
        chaos.put("target", "Request");
        chaos.put("port", 8080);
        chaos.put("path", "*");
        return chaos;
    }

    /** Every pod of a service of k8s/ in the namespace, as a Chaos Mesh PodSelector (inlined). */
    private Map<String, Object> selected(String service) {
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("mode", "all");
        selector.put("selector", map("namespaces", List.of(namespace), "labelSelectors", Map.of(NAME_LABEL, service)));
        return selector;
    }

    private Optional<String> check(Experiment.Hypothesis hypothesis, Phase phase, Duration length, Templates templates, List<String> notCarried) {
        String what = "hypothesis " + hypothesis.name() + " (" + hypothesis.route() + ")";
        boolean rate = false;
        for (Criterion criterion : hypothesis.criteria()) {
            if (criterion instanceof Criterion.SuccessRate || criterion instanceof Criterion.ErrorRate) {
                rate = true;
            } else {
                notCarried.add(what + ": " + criterion.metric() + " (Chaos Mesh checks status codes only)");
            }
        }
        if (!rate) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> probe = probe(hypothesis.route());
        if (probe.isEmpty()) {
            notCarried.add(what + ": its success rate, since a probe of " + hypothesis.route() + " needs a session (only api and login can be probed)");
            return Optional.empty();
        }
        Map<String, Object> statusCheck = statusCheck(probe.get(), 3);
        notCarried.add(what + ": its exact rate (checked as a probe each second, failing on 3 non-2xx in a row)");
        return Optional.of(templates.statusCheck(dnsName("check-" + hypothesis.name() + "-" + phase.wireName()), length, statusCheck, false));
    }

    private Optional<String> guard(Experiment.AbortGuard guard, int index, Phase phase, Duration length, Templates templates, List<String> notCarried) {
        String what = "abort[" + index + "] on " + guard.route();
        if (!(guard.criterion() instanceof Criterion.ErrorRate)) {
            notCarried.add(what + ": " + guard.criterion().metric() + " (Chaos Mesh checks status codes only)");
            return Optional.empty();
        }
        Optional<Map<String, Object>> probe = probe(guard.route());
        if (probe.isEmpty()) {
            notCarried.add(what + ": a probe of " + guard.route() + " needs a session");
            return Optional.empty();
        }
        int seconds = (int) Math.max(1, guard.sustained().toSeconds());
        notCarried.add(what + ": its exact rate (aborts after " + seconds + " failed probe(s) in a row, one a second)");
        return Optional.of(templates.statusCheck("abort-" + index + "-" + phase.wireName(), length, statusCheck(probe.get(), seconds), true));
    }

    private static Map<String, Object> statusCheck(Map<String, Object> http, int failureThreshold) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("mode", "Continuous");
        check.put("type", "HTTP");
        check.put("intervalSeconds", 1);
        check.put("timeoutSeconds", 2);
        check.put("failureThreshold", failureThreshold);
        check.put("http", http);
        return check;
    }

    /** A request a StatusCheck can send to the gateway's Service for a route, if it needs no session. */
    private Optional<Map<String, Object>> probe(Route route) {
        String body;
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        switch (route) {
            case API -> {
                body = Route.MESSAGE;
                headers.put("x-api-key", List.of(apiKey));
            }
            case LOGIN -> body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
            default -> {
                return Optional.empty();
            }
        }
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("url", "http://gateway." + namespace + ".svc:8080" + route.path());
        http.put("method", "POST");
        http.put("headers", headers);
        http.put("body", body);
        http.put("criteria", map("statusCode", "200-299"));
        return Optional.of(http);
    }

    /** A name Kubernetes takes (at most 63): a longer one keeps its start and a hash of the whole, so it stays unique. */
    static String dnsName(String name) {
        if (name.length() <= 63) {
            return name;
        }
        return name.substring(0, 54).replaceAll("-+$", "") + "-" + String.format("%08x", name.hashCode());
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The Workflow's templates, in order, the entry first; each adder returns the template's name. */
    private static final class Templates {
        /** The key a chaos node's spec is under, by its kind (httpChaos, not hTTPChaos). */
        private static final Map<String, String> EMBEDDED_KEY = Map.of("NetworkChaos", "networkChaos", "PodChaos", "podChaos", "HTTPChaos", "httpChaos",
                "StressChaos", "stressChaos");
        final List<Map<String, Object>> all = new ArrayList<>();

        String suspend(String name, Duration deadline) {
            return add(name, "Suspend", deadline, null, null);
        }

        String group(String name, String type, Duration deadline, List<String> children) {
            return add(name, type, deadline, "children", List.copyOf(children));
        }

        String chaos(String name, String kind, Duration deadline, Map<String, Object> spec) {
            // a chaos node's deadline is its duration (Chaos Mesh: put it there, not in the chaos's own 'duration')
            return add(name, kind, deadline, EMBEDDED_KEY.get(kind), spec);
        }

        String statusCheck(String name, Duration deadline, Map<String, Object> check, boolean abort) {
            add(name, "StatusCheck", deadline, "statusCheck", check);
            if (abort) {
                all.get(all.size() - 1).put("abortWithStatusCheck", true);
            }
            return name;
        }

        void first(String name) {
            all.stream().filter(t -> t.get("name").equals(name)).findFirst().ifPresent(t -> {
                all.remove(t);
                all.add(0, t);
            });
        }

        private String add(String name, String type, Duration deadline, String key, Object value) {
            Map<String, Object> template = new LinkedHashMap<>();
            template.put("name", name);
            template.put("templateType", type);
            template.put("deadline", deadline.toMillis() % 1000 == 0 ? deadline.toSeconds() + "s" : deadline.toMillis() + "ms");
            if (key != null) {
                template.put(key, value);
            }
            all.add(template);
            return name;
        }
    }
}
