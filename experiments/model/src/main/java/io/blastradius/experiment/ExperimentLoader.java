package io.blastradius.experiment;

import io.blastradius.experiment.Experiment.AbortGuard;
import io.blastradius.experiment.Experiment.Expectation;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.experiment.Experiment.Hypothesis;
import io.blastradius.experiment.Experiment.Metadata;
import io.blastradius.experiment.Experiment.ReplicaSpec;
import io.blastradius.experiment.Experiment.Traffic;
import io.blastradius.experiment.InvalidExperimentException.Problem;
import io.blastradius.experiment.internal.Bounds;
import io.blastradius.experiment.internal.SchemaCheck;
import io.blastradius.experiment.internal.TextFile;
import io.blastradius.experiment.internal.YamlDocument;
import io.blastradius.experiment.Hop;
import io.blastradius.experiment.Service;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads an experiment file: YAML, then the JSON Schema, then the rules a schema cannot say (targets
 * that fit the fault, offsets inside the fault phase, hypotheses on routes that get traffic, ...).
 * Every problem is reported with its {@code file:line:col}, all at once, before anything starts.
 */
public final class ExperimentLoader {

    /** Faults on a hop, through the fault proxy. */
    public static final Set<String> NETWORK_FAULTS = Set.of("latency", "bandwidth", "timeout", "reset", "slow-close",
            "slicer", "limit-data", "down", "http");
    /** Faults inside a service, through Chaos Monkey. */
    public static final Set<String> APP_FAULTS = Set.of("app-latency", "app-exception", "app-cpu", "app-memory", "app-kill");
    /** Faults on a process. */
    public static final Set<String> PROCESS_FAULTS = Set.of("crash", "stop", "pause", "restart");
    public static final List<String> HOPS = Arrays.stream(Hop.values()).map(Hop::wireName).toList();
    /** The services that load Chaos Monkey: every JVM but the gateway (Chaos Monkey cannot reach its proxy path). */
    public static final List<String> CHAOS_MONKEY_SERVICES = Arrays.stream(Service.values())
            .filter(Service::hasChaosMonkey).map(Service::wireName).toList();
    public static final List<String> PROCESSES = Arrays.stream(Service.values())
            .sorted(Comparator.comparing(s -> !s.isJvm())).map(Service::wireName).toList();
    /** The largest experiment file it reads: the catalog's are 1–3 KB. */
    public static final long MAX_FILE_BYTES = 256 * 1024;
    private static final Set<String> FAULT_COMMON_KEYS = Set.of("target", "at", "for", "stream", "toxicity");

    private final SchemaCheck schema = SchemaCheck.load();
    private final FaultSupport support;

    /** A loader that checks the file alone: every fault type is taken to be supported. */
    public ExperimentLoader() {
        this(FaultSupport.ANY);
    }

    /** A loader that also refuses faults the place it will run cannot apply (see {@link FaultSupport}). */
    public ExperimentLoader(FaultSupport support) {
        this.support = support;
    }

    /** Reads and checks an experiment file: at most {@link #MAX_FILE_BYTES}, UTF-8 text. */
    public Experiment load(Path file) {
        return load(file, read(file));
    }

    /**
     * An experiment file's text, read as {@link #load(Path)} reads it (the size first, then UTF-8 and nothing
     * else); a refusal is an {@link InvalidExperimentException} with where the bad byte is.
     */
    public static String read(Path file) {
        try {
            return TextFile.read(file, MAX_FILE_BYTES, "an experiment file");
        } catch (TextFile.Refused e) {
            throw new InvalidExperimentException(List.of(new Problem(file.toString(), e.line(), e.column(), e.getMessage(), "")));
        }
    }

    /** Checks an experiment's text (read from {@code file}, or sent as a request's body under that name). */
    public Experiment load(Path file, String text) {
        try {
            TextFile.checkSize(text, MAX_FILE_BYTES, "an experiment");
        } catch (TextFile.Refused e) {
            throw new InvalidExperimentException(List.of(new Problem(file.toString(), 1, 1, e.getMessage(), "")));
        }
        YamlDocument document = YamlDocument.parse(file.toString(), text);
        List<Problem> problems = schema.check(document);
        if (problems.isEmpty()) {
            // every number in range before any rule adds or compares them
            problems = Bounds.check(document);
        }
        if (problems.isEmpty()) {
            problems = new Rules(document, support).check();
        }
        if (!problems.isEmpty()) {
            throw new InvalidExperimentException(problems);
        }
        return build(file, document.root());
    }

    /** The checks beyond the schema, on a document the schema accepted. */
    private static final class Rules {
        private final YamlDocument document;
        private final JsonNode root;
        private final FaultSupport support;
        private final List<Problem> problems = new ArrayList<>();

        Rules(YamlDocument document, FaultSupport support) {
            this.document = document;
            this.root = document.root();
            this.support = support;
        }

        List<Problem> check() {
            Duration faultPhase = Quantities.duration(root.path("phases").path("fault").asString());
            Set<String> routesWithTraffic = new HashSet<>();
            JsonNode traffic = root.path("traffic");
            for (int i = 0; i < traffic.size(); i++) {
                String route = traffic.get(i).path("route").asString();
                if (!routesWithTraffic.add(route)) {
                    fail("/traffic/" + i + "/route", "route '" + route + "' has traffic twice; give it one entry, with a rate per phase if needed");
                }
                if (traffic.get(i).has("users") && !Route.APP.wireName().equals(route)) {
                    fail("/traffic/" + i + "/users", "'users' applies to the app route (whose requests carry their sessions), not to " + route);
                }
            }
            JsonNode faults = root.path("faults");
            for (int i = 0; i < faults.size(); i++) {
                checkFault(faults.get(i), "/faults/" + i, faultPhase);
            }
            if (problems.isEmpty()) {
                checkOverlaps(faults, faultPhase);
            }
            Set<String> names = new HashSet<>();
            JsonNode hypotheses = root.path("hypotheses");
            for (int i = 0; i < hypotheses.size(); i++) {
                JsonNode h = hypotheses.get(i);
                String at = "/hypotheses/" + i;
                if (!names.add(h.path("name").asString())) {
                    fail(at + "/name", "hypothesis name '" + h.path("name").asString() + "' is used twice; names must be unique");
                }
                checkRoute(h.path("route").asString(), at + "/route", routesWithTraffic);
                List<String> during = new ArrayList<>();
                h.path("during").forEach(p -> during.add(p.asString()));
                if (during.contains("warmup")) {
                    fail(at + "/during", "warmup is not judged: hypotheses may cover baseline, fault and recovery");
                }
                if ((h.has("p50-vs-baseline") || h.has("p99-vs-baseline")) && during.contains("baseline")) {
                    fail(at + "/during", "a '-vs-baseline' ratio compares a phase with the baseline; remove baseline from 'during'");
                }
                if (h.has("recovers-within") && !during.equals(List.of("recovery"))) {
                    fail(at + "/during", "'recovers-within' is judged in the recovery phase only: use during: [recovery]");
                }
                if (h.has("recovers-within") && Quantities.duration(h.get("recovers-within").asString())
                        .compareTo(Quantities.duration(root.path("phases").path("recovery").asString())) > 0) {
                    fail(at + "/recovers-within", "'recovers-within' is longer than the recovery phase ("
                            + root.path("phases").path("recovery").asString() + ")");
                }
            }
            JsonNode abort = root.path("abort");
            for (int i = 0; i < abort.size(); i++) {
                checkRoute(abort.get(i).path("route").asString(), "/abort/" + i + "/route", routesWithTraffic);
            }
            return problems;
        }

        private void checkRoute(String route, String at, Set<String> routesWithTraffic) {
            if (!routesWithTraffic.contains(route)) {
                fail(at, "route '" + route + "' gets no traffic; add it under 'traffic' or judge another route");
            }
        }

        private void checkFault(JsonNode fault, String at, Duration faultPhase) {
            List<String> types = new ArrayList<>();
            fault.propertyNames().forEach(k -> {
                if (!FAULT_COMMON_KEYS.contains(k)) {
                    types.add(k);
                }
            });
            if (types.size() != 1) {
                fail(at, "a fault needs exactly one type (latency, bandwidth, timeout, reset, slow-close, slicer, limit-data, down, http, "
                        + "app-latency, app-exception, app-cpu, app-memory, app-kill, crash, stop, pause, restart), but has "
                        + (types.isEmpty() ? "none" : String.join(", ", types)));
                return;
            }
            String type = types.get(0);
            String target = fault.path("target").asString();
            support.refusal(type).ifPresent(why -> fail(at + "/" + type, why));
            if (NETWORK_FAULTS.contains(type) && !HOPS.contains(target)) {
                fail(at + "/target", "a " + type + " fault targets a hop: one of " + String.join(", ", HOPS) + ", but was '" + target + "'");
            }
            if (APP_FAULTS.contains(type) && !CHAOS_MONKEY_SERVICES.contains(target)) {
                fail(at + "/target", "an " + type + " fault targets a service with Chaos Monkey: one of "
                        + String.join(", ", CHAOS_MONKEY_SERVICES) + ", but was '" + target + "'");
            }
            if (PROCESS_FAULTS.contains(type) && !PROCESSES.contains(target)) {
                fail(at + "/target", "a " + type + " fault targets a process: one of " + String.join(", ", PROCESSES) + ", but was '" + target + "'");
            }
            if (!NETWORK_FAULTS.contains(type) && (fault.has("stream") || fault.has("toxicity"))) {
                fail(at, "'stream' and 'toxicity' apply to network faults only, not to " + type);
            }
            if (type.equals("http")) {
                JsonNode http = fault.get(type);
                if (http == null || !(http.has("status") || http.has("delay"))) {
                    fail(at + "/http", "an http fault needs a status to answer or a delay to add (or both)");
                }
                if (fault.has("stream") && !"upstream".equals(fault.path("stream").asString())) {
                    fail(at + "/stream", "an http fault acts on the requests a hop carries: its stream is upstream (leave it out)");
                }
            }
            if (type.equals("app-latency")) {
                JsonNode latency = fault.get(type);
                if (Quantities.duration(latency.path("min").asString()).compareTo(Quantities.duration(latency.path("max").asString())) > 0) {
                    fail(at + "/app-latency/min", "app-latency min must not be above max");
                }
            }
            Duration start = fault.has("at") ? Quantities.duration(fault.get("at").asString()) : Duration.ZERO;
            if (start.compareTo(faultPhase) >= 0) {
                fail(at + "/at", "the fault starts at " + fault.get("at").asString() + ", not inside the "
                        + root.path("phases").path("fault").asString() + " fault phase");
            } else if (fault.has("for") && start.plus(Quantities.duration(fault.get("for").asString())).compareTo(faultPhase) > 0) {
                fail(at + "/for", "at + for ends after the fault phase (" + root.path("phases").path("fault").asString()
                        + "); faults are undone when it ends");
            }
        }

        /**
         * Faults that hold the same thing ({@link #holders}) must not overlap: a second Chaos Monkey fault on a service
         * would switch the first's assaults off, and the first's end would end both.
         */
        private void checkOverlaps(JsonNode faults, Duration faultPhase) {
            List<Window> windows = new ArrayList<>();
            for (int i = 0; i < faults.size(); i++) {
                JsonNode fault = faults.get(i);
                String type = typeOf(fault);
                Duration start = fault.has("at") ? Quantities.duration(fault.get("at").asString()) : Duration.ZERO;
                Duration end = fault.has("for") ? start.plus(Quantities.duration(fault.get("for").asString())) : faultPhase;
                List<Window> own = new ArrayList<>();
                for (String holder : holders(type, fault.path("target").asString())) {
                    own.add(new Window(i, type, holder, start, end));
                }
                for (Window mine : own) {
                    Window earlier = windows.stream().filter(mine::overlaps).findFirst().orElse(null);
                    if (earlier != null) {
                        fail("/faults/" + i, "this " + type + " fault overlaps faults." + earlier.index + " (" + earlier.type + " from "
                                + Quantities.format(earlier.start) + " to " + Quantities.format(earlier.end) + " of the fault phase): "
                                + mine.holder + " takes one such fault at a time, so one would undo the other;"
                                + " give them windows that do not overlap ('at' and 'for')");
                        break;
                    }
                }
                windows.addAll(own);
            }
        }

        private record Window(int index, String type, String holder, Duration start, Duration end) {
            boolean overlaps(Window other) {
                return holder.equals(other.holder) && start.compareTo(other.end) < 0 && other.start.compareTo(end) < 0;
            }
        }

        private void fail(String pointer, String message) {
            problems.add(document.problem(pointer, false, message));
        }
    }

    /**
     * What a fault of this type on this target holds while it lasts, in words ("the Chaos Monkey of auth-service",
     * "the process redis", "the hop gateway->auth-service"): at most one fault may hold each at a time. Chaos Monkey
     * keeps one set of assaults per service; a process is crashed, stopped, paused or killed by one fault at a time;
     * a hop is down once. Toxics hold nothing: each is its own.
     */
    public static List<String> holders(String type, String target) {
        List<String> holders = new ArrayList<>();
        if (APP_FAULTS.contains(type)) {
            holders.add("the Chaos Monkey of " + target);
        }
        if (PROCESS_FAULTS.contains(type) || type.equals("app-kill")) {
            holders.add("the process " + target);
        }
        if (type.equals("down")) {
            holders.add("the hop " + target);
        }
        return List.copyOf(holders);
    }

    /** The type of a fault the rules accepted: its one key that is not common to all faults. */
    private static String typeOf(JsonNode fault) {
        for (String key : fault.propertyNames()) {
            if (!FAULT_COMMON_KEYS.contains(key)) {
                return key;
            }
        }
        throw new IllegalStateException("a fault without a type passed its checks");
    }

    private static Experiment build(Path file, JsonNode root) {
        JsonNode meta = root.get("metadata");
        List<String> tags = new ArrayList<>();
        meta.path("tags").forEach(t -> tags.add(t.asString()));
        Metadata metadata = new Metadata(meta.get("name").asString(), meta.get("title").asString(),
                meta.path("description").asString(""), List.copyOf(tags));

        JsonNode replica = root.path("replica");
        Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        replica.path("properties").properties().forEach(service -> {
            Map<String, String> own = new LinkedHashMap<>();
            // YAML 1.1 reads Redis's yes/no as booleans
            boolean redis = Service.REDIS.wireName().equals(service.getKey());
            service.getValue().properties().forEach(p -> own.put(p.getKey(),
                    redis && p.getValue().isBoolean() ? (p.getValue().asBoolean() ? "yes" : "no") : p.getValue().asString()));
            properties.put(service.getKey(), Map.copyOf(own));
        });
        ReplicaSpec replicaSpec = new ReplicaSpec(replica.path("profile").asString("decoupled"), Map.copyOf(properties));

        Map<Phase, Duration> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.WARMUP, Duration.ZERO);
        root.get("phases").properties().forEach(p -> phases.put(Phase.fromWireName(p.getKey()).orElseThrow(),
                Quantities.duration(p.getValue().asString())));

        List<Traffic> traffic = new ArrayList<>();
        root.get("traffic").forEach(t -> {
            Map<Phase, Double> rates = new EnumMap<>(Phase.class);
            JsonNode rate = t.get("rate");
            if (rate.isString()) {
                for (Phase phase : Phase.values()) {
                    rates.put(phase, Quantities.rate(rate.asString()));
                }
            } else {
                rate.properties().forEach(r -> rates.put(Phase.fromWireName(r.getKey()).orElseThrow(), Quantities.rate(r.getValue().asString())));
                rates.putIfAbsent(Phase.WARMUP, rates.getOrDefault(Phase.BASELINE, 0.0));
            }
            traffic.add(new Traffic(Route.fromWireName(t.get("route").asString()).orElseThrow(), Map.copyOf(rates),
                    t.path("users").asInt(Traffic.DEFAULT_USERS)));
        });

        List<FaultSpec> faults = new ArrayList<>();
        root.path("faults").forEach(f -> {
            String type = typeOf(f);
            Map<String, Object> parameters = new LinkedHashMap<>();
            f.path(type).properties().forEach(p -> parameters.put(p.getKey(),
                    p.getValue().isNumber() ? (Object) p.getValue().numberValue() : p.getValue().asString()));
            faults.add(new FaultSpec(type, f.get("target").asString(), Map.copyOf(parameters),
                    f.has("at") ? Quantities.duration(f.get("at").asString()) : Duration.ZERO,
                    f.has("for") ? Quantities.duration(f.get("for").asString()) : null,
                    f.path("stream").asString("downstream"), f.path("toxicity").asDouble(1.0)));
        });

        List<Hypothesis> hypotheses = new ArrayList<>();
        root.get("hypotheses").forEach(h -> {
            List<Phase> during = new ArrayList<>();
            h.get("during").forEach(p -> during.add(Phase.fromWireName(p.asString()).orElseThrow()));
            List<Criterion> criteria = new ArrayList<>();
            h.properties().forEach(c -> {
                if (!List.of("name", "route", "during").contains(c.getKey())) {
                    criteria.add(Criterion.named(c.getKey(), c.getValue().asString()));
                }
            });
            hypotheses.add(new Hypothesis(h.get("name").asString(), Route.fromWireName(h.get("route").asString()).orElseThrow(),
                    List.copyOf(during), List.copyOf(criteria)));
        });

        List<AbortGuard> abort = new ArrayList<>();
        root.path("abort").forEach(a -> {
            String metric = a.has("error-rate") ? "error-rate" : "p99";
            abort.add(new AbortGuard(Route.fromWireName(a.get("route").asString()).orElseThrow(),
                    (Criterion.Bounded) Criterion.named(metric, a.get(metric).asString()), Quantities.duration(a.get("for").asString())));
        });

        Expectation expect = root.path("expect").asString("pass").equals("deviation") ? Expectation.DEVIATION : Expectation.PASS;
        Long seed = root.has("seed") ? root.get("seed").asLong() : null;
        return new Experiment(file, metadata, replicaSpec, List.copyOf(traffic), Map.copyOf(phases), List.copyOf(faults),
                List.copyOf(hypotheses), List.copyOf(abort), expect, seed);
    }

    /** Every experiment in these files and folders; if any is invalid, every problem of every file at once. */
    public List<Experiment> loadAll(List<Path> filesOrFolders) throws IOException {
        List<Experiment> experiments = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path file : files(filesOrFolders)) {
            try {
                experiments.add(load(file));
            } catch (InvalidExperimentException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidExperimentException(problems);
        }
        return experiments;
    }

    /**
     * The experiment files named: each file as it is, each folder's *.yaml and *.yml files in name order; none at
     * all is an error that says where it looked.
     */
    public static List<Path> files(List<Path> filesOrFolders) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : filesOrFolders) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
                }
            } else if (Files.exists(path)) {
                files.add(path);
            } else {
                throw new IOException("no such file or folder: " + path);
            }
        }
        if (files.isEmpty()) {
            // a CI gate pointed at the wrong folder must fail, not pass with nothing tested
            throw new IOException("no experiment in " + String.join(", ", filesOrFolders.stream().map(Path::toString).toList())
                    + ": an experiment is a *.yaml or *.yml file, in a folder named or named itself");
        }
        return files;
    }
}
