package io.blastradius.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.Validator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An object against the Kubernetes OpenAPI schema (fabric8's validator, offline: the definitions are in its
 * jar): wrong types, missing required fields and unknown fields are errors. Two things are added around it:
 * a kind outside {@link #KINDS} is an error (the validator passes a kind it has no definition for), and
 * integers where the API takes an int-or-string or a quantity (a probe's port, a target port, {@code cpu: 1})
 * are turned into strings first, since the schema declares those as strings and would flag what the API
 * server accepts.
 */
final class SchemaCheck {

    /** The kinds k8s/ is made of; a new one is added here once it is known to be validated. */
    static final Set<String> KINDS = Set.of("ConfigMap", "Secret", "Service", "Deployment", "NetworkPolicy");
    private static final Set<String> INT_OR_STRING = Set.of("targetPort", "maxSurge", "maxUnavailable");
    private static final Set<String> PORT_HOLDERS = Set.of("httpGet", "tcpSocket");
    private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Validator VALIDATOR = Validator.newInstance();

    private SchemaCheck() {
    }

    /** Every error in one object, each prefixed with its kind and name; empty when it is valid. */
    static List<String> errors(Map<String, Object> object) {
        JsonNode node = JSON.valueToTree(object);
        String kind = node.path("kind").asText();
        String where = kind + "/" + node.path("metadata").path("name").asText();
        List<String> errors = new ArrayList<>();
        if (!KINDS.contains(kind)) {
            errors.add(where + ": kind '" + kind + "' is not one the check knows how to validate (" + KINDS + ")");
            return errors;
        }
        for (ValidationMessage message : raw(asTheApiServerReadsIt(node))) {
            if (message.getLevel() == ValidationMessage.Level.ERROR) {
                errors.add(where + ": " + message.getMessage());
            }
        }
        return errors;
    }

    /** The validator's own messages, with nothing done to the object first. */
    static List<ValidationMessage> raw(JsonNode node) {
        return List.copyOf(VALIDATOR.validate(node).getMessages());
    }

    /** A copy with integers turned into strings where the API takes an int-or-string or a quantity. */
    static JsonNode asTheApiServerReadsIt(JsonNode node) {
        JsonNode copy = node.deepCopy();
        stringify(copy, "", "NetworkPolicy".equals(node.path("kind").asText()));
        return copy;
    }

    /** {@code field} is the name {@code node} is held under (an array's items: the array's). */
    private static void stringify(JsonNode node, String field, boolean networkPolicy) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                JsonNode value = entry.getValue();
                // a Service's ports[].port is an integer; a NetworkPolicy's, a probe's, a target port may be names
                boolean intOrString = INT_OR_STRING.contains(name)
                        || name.equals("port") && (PORT_HOLDERS.contains(field) || networkPolicy && field.equals("ports"))
                        || QUANTITY_MAPS.contains(field);
                if (intOrString && value.isNumber()) {
                    entry.setValue(TextNode.valueOf(value.asText()));
                } else {
                    stringify(value, name, networkPolicy);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode item : array) {
                stringify(item, field, networkPolicy);
            }
        }
    }
}
