package io.blastradius.experiment.internal;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.blastradius.experiment.InvalidExperimentException.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates a document against the published JSON Schema and words each error for people: what is
 * wrong, where, and what is allowed there.
 */
public final class SchemaCheck {

    public static final String SCHEMA_RESOURCE = "/io/blastradius/experiment/experiment.schema.json";

    /** What each shared definition means, for pattern and oneOf errors. */
    private static final Map<String, String> SHAPES = Map.of(
            "duration", "a duration like 500ms, 2s or 1m",
            "rate", "a rate like 200/s or 30/m",
            "percentComparison", "a comparison with a percentage like '>= 99.9%' or '< 5%'",
            "latencyComparison", "a comparison with a latency like '<= 150ms' or '< 2s'",
            "ratioComparison", "a comparison with a ratio like '<= 1.2x'",
            "name", "a name of lower-case letters, digits and dashes (like auth-latency)");

    private final JsonNode schemaTree;
    private final Schema schema;

    private SchemaCheck(String text) {
        this.schemaTree = JsonMapper.builder().build().readTree(text);
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
    }

    public static SchemaCheck load() {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the experiment schema " + SCHEMA_RESOURCE + " is not on the classpath");
            }
            return new SchemaCheck(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Problem> check(YamlDocument document) {
        Map<String, Problem> byPlace = new LinkedHashMap<>();
        List<Error> errors = new ArrayList<>(schema.validate(document.root()));
        errors.sort(Comparator.comparing((Error e) -> pointer(e.getInstanceLocation())).thenComparing(e -> e.getKeyword().equals("oneOf") ? 0 : 1));
        for (Error error : errors) {
            String pointer = pointer(error.getInstanceLocation());
            String place = pointer + "|" + (error.getProperty() == null ? "" : error.getProperty());
            if (byPlace.containsKey(place) || insideOneOfAlreadyReported(byPlace, pointer)) {
                continue;
            }
            byPlace.put(place, describe(document, error, pointer));
        }
        return new ArrayList<>(byPlace.values());
    }

    private static boolean insideOneOfAlreadyReported(Map<String, Problem> byPlace, String pointer) {
        return byPlace.keySet().stream().anyMatch(k -> k.startsWith(pointer + "|") || pointer.startsWith(k.substring(0, k.indexOf('|')) + "/"));
    }

    private Problem describe(YamlDocument document, Error error, String pointer) {
        String where = pointer.isEmpty() ? "the experiment" : "'" + pointer.substring(1).replace('/', '.') + "'";
        String schemaPath = error.getSchemaLocation().getFragment().toString();
        JsonNode schemaNode = error.getSchemaNode();
        return switch (error.getKeyword()) {
            case "additionalProperties" -> {
                String key = error.getProperty();
                List<String> allowed = allowedKeys(error);
                yield document.problem(pointer + "/" + key, true, "unknown key '" + key + "' in " + where
                        + (allowed.isEmpty() ? "" : "; allowed here: " + String.join(", ", allowed)));
            }
            case "required" -> document.problem(pointer, false, where + " is missing the required key '" + error.getProperty() + "'");
            case "pattern" -> document.problem(pointer, false, where + " must be " + shapeOf(schemaPath) + ", but was '"
                    + text(error.getInstanceNode()) + "'");
            case "oneOf" -> document.problem(pointer, false, where + " must be " + oneOfShape(schemaPath) + ", but was '"
                    + text(error.getInstanceNode()) + "'");
            case "enum" -> document.problem(pointer, false, where + " must be one of "
                    + listOf(schemaNode) + ", but was '" + text(error.getInstanceNode()) + "'");
            case "const" -> document.problem(pointer, false, where + " must be '" + text(schemaNode) + "', but was '"
                    + text(error.getInstanceNode()) + "'");
            case "type" -> document.problem(pointer, false, where + " must be " + typeOf(schemaNode) + ", but was '"
                    + text(error.getInstanceNode()) + "'");
            case "minItems" -> document.problem(pointer, false, where + " needs at least " + schemaNode.asInt() + " item(s)");
            case "maxItems" -> document.problem(pointer, false, where + " may have at most " + schemaNode.asInt() + " item(s), but has "
                    + error.getInstanceNode().size());
            case "maxProperties" -> document.problem(pointer, false, where + " may have at most " + schemaNode.asInt() + " key(s), but has "
                    + error.getInstanceNode().size());
            case "maxLength" -> document.problem(pointer, false, where + " may be at most " + schemaNode.asInt() + " characters long, but is "
                    + error.getInstanceNode().asString().length());
            case "minProperties" -> document.problem(pointer, false, where + " needs " + (minPropertiesMeaning(schemaPath)));
            case "uniqueItems" -> document.problem(pointer, false, where + " lists an item twice");
            case "minimum", "maximum" -> document.problem(pointer, false, where + " must be " + (error.getKeyword().equals("minimum") ? "≥ " : "≤ ")
                    + text(schemaNode) + ", but was " + text(error.getInstanceNode()));
            default -> document.problem(pointer, false, where + ": " + error.getMessage());
        };
    }

    private List<String> allowedKeys(Error error) {
        NodePath fragment = error.getSchemaLocation().getFragment();
        JsonNode parent = at(fragment.getParent());
        JsonNode properties = parent == null ? null : parent.get("properties");
        return properties == null ? List.of() : new ArrayList<>(properties.propertyNames());
    }

    private JsonNode at(NodePath path) {
        JsonNode node = schemaTree;
        for (int i = 0; i < path.getNameCount() && node != null; i++) {
            Object element = path.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        return node;
    }

    private static String shapeOf(String schemaPath) {
        for (Map.Entry<String, String> shape : SHAPES.entrySet()) {
            if (schemaPath.contains("$defs." + shape.getKey() + ".") || schemaPath.contains("$defs/" + shape.getKey() + "/")
                    || schemaPath.endsWith(shape.getKey() + ".pattern") || schemaPath.contains("/" + shape.getKey() + "/pattern")) {
                return shape.getValue();
            }
        }
        return "of the allowed form";
    }

    private static String oneOfShape(String schemaPath) {
        return schemaPath.contains("rate") ? "a rate like 200/s, or a rate per phase like { baseline: 5/s, fault: 100/s }"
                : "one of the allowed forms";
    }

    private static String minPropertiesMeaning(String schemaPath) {
        if (schemaPath.contains("hypothesis")) {
            return "at least one criterion (success-rate, error-rate, logged-out, p50, p95, p99, max, p50-vs-baseline, p99-vs-baseline, failures, recovers-within)";
        }
        if (schemaPath.contains("abort")) {
            return "a condition: error-rate or p99";
        }
        return "at least one entry";
    }

    private static String typeOf(JsonNode type) {
        if (type.isArray()) {
            List<String> names = new ArrayList<>();
            type.forEach(t -> names.add(t.asString()));
            return String.join(" or ", names.stream().map(SchemaCheck::article).toList());
        }
        return article(type.asString());
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "a map of keys";
            case "array" -> "a list";
            case "integer" -> "a whole number";
            case "null" -> "empty";
            default -> "a " + type;
        };
    }

    private static String listOf(JsonNode values) {
        List<String> all = new ArrayList<>();
        values.forEach(v -> all.add(v.asString()));
        return all.stream().collect(Collectors.joining(", "));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        return node.isString() ? node.stringValue() : node.toString();
    }

    static String pointer(NodePath path) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            pointer.append('/').append(path.getElement(i));
        }
        return pointer.toString();
    }
}
