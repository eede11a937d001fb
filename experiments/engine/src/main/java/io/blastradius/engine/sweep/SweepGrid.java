package io.blastradius.engine.sweep;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import io.blastradius.experiment.Phase;
import io.blastradius.experiment.Route;
import io.blastradius.experiment.Service;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A sweep's grid: one experiment file, the keys to vary with their values ({@code --vary KEY=V1,V2}), and
 * every combination of them (the Cartesian product), each cell the experiment with its values set and
 * loaded, so validated, like any experiment file. What a key may name:
 * <ul>
 *   <li>{@code SERVICE:spring.property}, a Spring property of a service ({@code gateway:resilience4j.…});</li>
 *   <li>{@code faults[N].TYPE.ATTRIBUTE}, an attribute of the experiment's fault N (from 0);</li>
 *   <li>{@code traffic.ROUTE} (its rate in every phase) or {@code traffic.ROUTE.PHASE};</li>
 *   <li>{@code phases.PHASE}, a phase's length, and {@code replica.profile}.</li>
 * </ul>
 * Every key and every value is checked before anything runs; a bad one is an {@link IllegalArgumentException}
 * naming the key, the value and what is allowed.
 */
public final class SweepGrid {

    /** The first part of a Spring property a sweep may set: the libraries the services configure. */
    static final Set<String> PROPERTY_NAMESPACES = Set.of("resilience4j", "spring", "server", "management", "blastradius", "chaos", "logging");
    static final String KEYS = "SERVICE:spring.property, faults[N].TYPE.ATTRIBUTE, traffic.ROUTE[.PHASE], phases.PHASE or replica.profile";
    private static final Pattern FAULT = Pattern.compile("faults\\[(\\d+)]\\.([a-z-]+)\\.([a-z-]+)");
    private static final Pattern PROPERTY = Pattern.compile("([a-z-]+):([A-Za-z0-9_.\\[\\]-]+)");

    /** One key and the values it takes, in the order given. */
    public record Axis(String key, List<String> values) {
        public Axis {
            values = List.copyOf(values);
        }
    }

    /** One combination: each key's value (in axis order) and the experiment with them set. */
    public record Cell(int index, Map<String, String> values, Experiment experiment) {
        public Cell {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** {@code key=value, key=value}. */
        public String label() {
            return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    private final Path file;
    private final List<Axis> axes;
    private final List<Cell> cells;

    private SweepGrid(Path file, List<Axis> axes, List<Cell> cells) {
        this.file = file;
        this.axes = List.copyOf(axes);
        this.cells = List.copyOf(cells);
    }

    public Path file() {
        return file;
    }

    public List<Axis> axes() {
        return axes;
    }

    public List<Cell> cells() {
        return cells;
    }

    /** A {@code --vary} argument: {@code KEY=V1,V2,…}; its values trimmed, none empty, none twice. */
    public static Axis axis(String vary) {
        int equals = vary.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--vary '" + vary + "': expected KEY=V1,V2,… where KEY is " + KEYS);
        }
        String key = vary.substring(0, equals).trim();
        List<String> values = Arrays.stream(vary.substring(equals + 1).split(",", -1)).map(String::trim).toList();
        if (values.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--vary " + key + ": an empty value in '" + vary.substring(equals + 1) + "'");
        }
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException("--vary " + key + ": a value given twice in '" + vary.substring(equals + 1) + "'");
        }
        return new Axis(key, values);
    }

    /**
     * The grid of an experiment file and its axes, every cell loaded (so checked) before anything runs;
     * refused when it has more than {@code maxRuns} cells, or a key twice.
     */
    public static SweepGrid of(Path file, List<Axis> axes, int maxRuns) {
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one --vary KEY=V1,V2,… (KEY: " + KEYS + ")");
        }
        if (axes.stream().map(Axis::key).distinct().count() != axes.size()) {
            throw new IllegalArgumentException("--vary: a key given twice; give all its values in one --vary");
        }
        long size = axes.stream().mapToLong(a -> a.values().size()).reduce(1, Math::multiplyExact);
        if (size > maxRuns) {
            throw new IllegalArgumentException("the grid has " + size + " cells (" + axes.stream().map(a -> Integer.toString(a.values().size()))
                    .collect(Collectors.joining(" × ")) + "), more than --max-runs " + maxRuns + ": vary fewer values, or raise --max-runs");
        }
        String text = ExperimentLoader.read(file);
        ExperimentLoader loader = new ExperimentLoader();
        // the file itself first: its own problems are an InvalidExperimentException against its own lines
        loader.load(file, text);
        Map<String, Object> document = yaml().load(text);
        for (Axis axis : axes) {
            checkKey(axis.key(), document);
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, String> combination : product(axes)) {
            Map<String, Object> copy = yaml().load(text);
            combination.forEach((key, value) -> set(copy, key, value));
            // each cell its own name, so that its run folder (journal, report) is its own
            Map<String, Object> metadata = child(copy, "metadata");
            metadata.put("name", metadata.get("name") + String.format(java.util.Locale.ROOT, "-%02d", cells.size() + 1));
            Path virtual = file.resolveSibling(file.getFileName() + " [" + combination.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + "]");
            try {
                cells.add(new Cell(cells.size(), combination, loader.load(virtual, yaml().dump(copy))));
            } catch (InvalidExperimentException e) {
                throw new IllegalArgumentException("--vary " + combination.entrySet().stream().map(en -> en.getKey() + "=" + en.getValue())
                        .collect(Collectors.joining(" with ")) + ": " + e.problems().stream().map(InvalidExperimentException.Problem::message)
                        .collect(Collectors.joining("; ")), e);
            }
        }
        return new SweepGrid(file, axes, cells);
    }

    /** Every combination of the axes' values, the last axis varying fastest. */
    static List<Map<String, String>> product(List<Axis> axes) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Axis axis : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : axis.values()) {
                    Map<String, String> extended = new LinkedHashMap<>(partial);
                    extended.put(axis.key(), value);
                    next.add(extended);
                }
            }
            combinations = next;
        }
        return combinations;
    }

    /** A key that names something the experiment has (a fault index, its type) or may have; refused with what is allowed. */
    @SuppressWarnings("unchecked")
    static void checkKey(String key, Map<String, Object> document) {
        if (key.equals("replica.profile")) {
            return;
        }
        Matcher fault = FAULT.matcher(key);
        if (fault.matches()) {
            List<Object> faults = (List<Object>) document.getOrDefault("faults", List.of());
            int index = Integer.parseInt(fault.group(1));
            if (index >= faults.size()) {
                throw new IllegalArgumentException("--vary " + key + ": the experiment has " + (faults.isEmpty() ? "no faults"
                        : faults.size() + " fault(s), faults[0] to faults[" + (faults.size() - 1) + "]"));
            }
            Map<String, Object> spec = (Map<String, Object>) faults.get(index);
            if (!spec.containsKey(fault.group(2))) {
                throw new IllegalArgumentException("--vary " + key + ": faults[" + index + "] is not a " + fault.group(2) + " fault (its keys: "
                        + String.join(", ", spec.keySet()) + ")");
            }
            return;
        }
        if (key.startsWith("traffic.")) {
            String[] parts = key.split("\\.", -1);
            Arrays.stream(Route.values()).filter(r -> r.wireName().equals(parts[1])).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--vary " + key + ": no route '" + parts[1] + "' (routes: "
                            + Arrays.stream(Route.values()).map(Route::wireName).collect(Collectors.joining(", ")) + ")"));
            if (parts.length == 3) {
                phase(key, parts[2]);
            } else if (parts.length != 2) {
                throw new IllegalArgumentException("--vary " + key + ": expected traffic.ROUTE or traffic.ROUTE.PHASE");
            }
            return;
        }
        if (key.startsWith("phases.")) {
            phase(key, key.substring("phases.".length()));
            return;
        }
        Matcher property = PROPERTY.matcher(key);
        if (property.matches()) {
            Service service;
            try {
                service = Service.fromWireName(property.group(1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--vary " + key + ": no service '" + property.group(1) + "' (services: "
                        + Arrays.stream(Service.values()).filter(Service::isJvm).map(Service::wireName).collect(Collectors.joining(", ")) + ")", e);
            }
            if (!service.isJvm()) {
                throw new IllegalArgumentException("--vary " + key + ": " + service.wireName() + " takes no Spring properties");
            }
            String namespace = property.group(2).split("\\.")[0];
            if (!PROPERTY_NAMESPACES.contains(namespace)) {
                throw new IllegalArgumentException("--vary " + key + ": unknown property namespace '" + namespace + "' (known: "
                        + PROPERTY_NAMESPACES.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
            return;
        }
        throw new IllegalArgumentException("--vary " + key + ": not a key a sweep can vary; KEY is " + KEYS);
    }

    private static Phase phase(String key, String name) {
        return Arrays.stream(Phase.values()).filter(p -> p.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--vary " + key + ": no phase '" + name + "' (phases: "
                        + Arrays.stream(Phase.values()).map(Phase::wireName).collect(Collectors.joining(", ")) + ")"));
    }

    /** Sets a key's value in the document (checked by {@link #checkKey}); the loader then checks the value. */
    @SuppressWarnings("unchecked")
    static void set(Map<String, Object> document, String key, String value) {
        Matcher fault = FAULT.matcher(key);
        if (key.equals("replica.profile")) {
            child(document, "replica").put("profile", value);
        } else if (fault.matches()) {
            Map<String, Object> spec = (Map<String, Object>) ((List<Object>) document.get("faults")).get(Integer.parseInt(fault.group(1)));
            Object attributes = spec.get(fault.group(2));
            Map<String, Object> map = attributes instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
            map.put(fault.group(3), scalar(value));
            spec.put(fault.group(2), map);
        } else if (key.startsWith("traffic.")) {
            String[] parts = key.split("\\.");
            List<Object> traffic = (List<Object>) document.computeIfAbsent("traffic", k -> new ArrayList<>());
            Map<String, Object> entry = traffic.stream().map(t -> (Map<String, Object>) t).filter(t -> parts[1].equals(t.get("route")))
                    .findFirst().orElseGet(() -> {
                        Map<String, Object> added = new LinkedHashMap<>();
                        added.put("route", parts[1]);
                        traffic.add(added);
                        return added;
                    });
            if (parts.length == 2) {
                entry.put("rate", value);
            } else {
                Object rate = entry.get("rate");
                Map<String, Object> perPhase = new LinkedHashMap<>();
                if (rate instanceof Map<?, ?> m) {
                    perPhase.putAll((Map<String, Object>) m);
                } else if (rate != null) {
                    // a single rate holds in every phase; the one varied is set apart from the others
                    for (Phase p : List.of(Phase.BASELINE, Phase.FAULT, Phase.RECOVERY)) {
                        perPhase.put(p.wireName(), rate);
                    }
                }
                perPhase.put(parts[2], value);
                entry.put("rate", perPhase);
            }
        } else if (key.startsWith("phases.")) {
            child(document, "phases").put(key.substring("phases.".length()), value);
        } else {
            Matcher property = PROPERTY.matcher(key);
            if (!property.matches()) {
                throw new IllegalArgumentException("--vary " + key + ": not a key a sweep can vary");
            }
            Map<String, Object> properties = child(child(document, "replica"), "properties");
            child(properties, property.group(1)).put(property.group(2), value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }

    /** A fault attribute as YAML would read it: a number stays a number (level: 3), anything else a string (delay: 2s). */
    private static Object scalar(String value) {
        if (value.matches("-?\\d+")) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        if (value.matches("-?\\d+\\.\\d+")) {
            return Double.parseDouble(value);
        }
        return value;
    }

    private static Yaml yaml() {
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        LoaderOptions load = new LoaderOptions();
        return new Yaml(new SafeConstructor(load), new Representer(dump), dump, load);
    }
}
