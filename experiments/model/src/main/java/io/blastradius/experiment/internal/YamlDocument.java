package io.blastradius.experiment.internal;

import io.blastradius.experiment.InvalidExperimentException;
import io.blastradius.experiment.InvalidExperimentException.Problem;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML file as a JSON tree that remembers where every value and key came from (line and column), so
 * that any problem found later, by the schema or by a rule, can point at the text.
 */
public final class YamlDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String file;
    private final List<String> lines;
    private final JsonNode root;
    private final Map<String, Mark> valueMarks = new HashMap<>();
    private final Map<String, Mark> keyMarks = new HashMap<>();

    private YamlDocument(String file, String text, Node node) {
        this.file = file;
        this.lines = text.lines().toList();
        this.root = node == null ? NODES.nullNode() : convert(node, "");
    }

    public static YamlDocument parse(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        try {
            return new YamlDocument(file, text, new Yaml(options).compose(new StringReader(text)));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String why = (e.getProblem() != null ? e.getProblem() : e.getMessage()).trim();
            int line = mark == null ? 1 : mark.getLine() + 1;
            int column = mark == null ? 1 : mark.getColumn() + 1;
            List<String> all = text.lines().toList();
            throw new InvalidExperimentException(List.of(new Problem(file, line, column, "not valid YAML: " + why,
                    line <= all.size() ? all.get(line - 1) : "")));
        } catch (YAMLException e) {
            throw new InvalidExperimentException(List.of(new Problem(file, 1, 1, "not valid YAML: " + e.getMessage(), "")));
        }
    }

    private String lineAt(int zeroBased) {
        return zeroBased < lines.size() ? lines.get(zeroBased) : "";
    }

    public JsonNode root() {
        return root;
    }

    /** A problem at the value under {@code pointer} ({@code /traffic/0/rate}), or at its key with {@code atKey}. */
    public Problem problem(String pointer, boolean atKey, String message) {
        Mark mark = atKey ? keyMarks.getOrDefault(pointer, valueMarks.get(pointer)) : valueMarks.get(pointer);
        String path = pointer;
        while (mark == null && !path.isEmpty()) {
            path = path.substring(0, path.lastIndexOf('/'));
            mark = valueMarks.get(path);
        }
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        String snippet = line <= lines.size() ? lines.get(line - 1) : "";
        return new Problem(file, line, column, message, snippet);
    }

    private JsonNode convert(Node node, String pointer) {
        valueMarks.put(pointer, node.getStartMark());
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(tuple.getKeyNode());
                String child = pointer + "/" + key;
                if (object.has(key)) {
                    Mark mark = tuple.getKeyNode().getStartMark();
                    String where = pointer.isEmpty() ? "the experiment" : "'" + pointer.substring(1).replace('/', '.') + "'";
                    throw new InvalidExperimentException(List.of(new Problem(file, mark.getLine() + 1, mark.getColumn() + 1,
                            "key '" + key + "' appears twice in " + where + "; keep one", lineAt(mark.getLine()))));
                }
                keyMarks.put(child, tuple.getKeyNode().getStartMark());
                object.set(key, convert(tuple.getValueNode(), child));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), pointer + "/" + i));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.INT.equals(tag)) {
                // a whole number past a long stays one (its range is checked later, with the range in the message)
                BigInteger whole = new BigInteger(value.replace("_", ""));
                return whole.bitLength() < 64 ? NODES.numberNode(whole.longValue()) : NODES.numberNode(whole);
            }
            if (Tag.FLOAT.equals(tag)) {
                return NODES.numberNode(Double.parseDouble(value.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            return NODES.stringNode(value);
        }
        if (Tag.BOOL.equals(tag)) {
            return NODES.booleanNode(value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("on"));
        }
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        return NODES.stringNode(value);
    }
}
