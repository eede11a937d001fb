package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.internal.ToxicConfig.Direction;
import io.blastradius.faultproxy.toxics.ToxicAttributes;
import io.blastradius.faultproxy.toxics.ToxicKind;
import io.blastradius.faultproxy.toxics.ToxicKinds;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON, apart from what the registry does with it: request bodies read into checked values
 * ({@link Registry.ProxySpec}, {@link Registry.ProxyChange}, {@link ToxicConfig}, {@link Registry.ToxicChange}),
 * each refusal from the {@link ApiError} table; proxies, toxics and errors written in Toxiproxy's shapes and
 * key order.
 */
final class ApiJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEFAULT_LISTEN = "127.0.0.1:0";

    private ApiJson() {
    }

    static JsonNode parse(String body) {
        if (body.isBlank()) {
            throw ApiError.BAD_REQUEST_BODY.exception("EOF");
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw ApiError.BAD_REQUEST_BODY.exception(e.getOriginalMessage());
        }
    }

    static byte[] write(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    /** A proxy to create: name and upstream required, enabled defaults to true; {@code where} ends each message. */
    static Registry.ProxySpec proxySpec(JsonNode body, String where) {
        if (body == null || !body.isObject()) {
            throw ApiError.BAD_REQUEST_BODY.exception("expected a JSON object" + where);
        }
        String name = text(body, "name");
        String upstream = text(body, "upstream");
        if (name == null || name.isEmpty()) {
            throw ApiError.MISSING_FIELD.exception("name" + where);
        }
        if (upstream == null || upstream.isEmpty()) {
            throw ApiError.MISSING_FIELD.exception("upstream" + where);
        }
        String listen = text(body, "listen");
        Boolean enabled = enabled(body, where);
        List<ToxicConfig> toxics = new ArrayList<>();
        JsonNode toxicList = body.get("toxics");
        if (toxicList != null && !toxicList.isNull()) {
            if (!toxicList.isArray()) {
                throw ApiError.BAD_REQUEST_BODY.exception("toxics must be a list" + where);
            }
            toxicList.forEach(t -> toxics.add(toxic(t)));
        }
        return new Registry.ProxySpec(name, listen == null || listen.isEmpty() ? DEFAULT_LISTEN : listen, upstream,
                enabled == null || enabled, toxics);
    }

    /** A change to a proxy: any of listen, upstream (empty means unchanged) and enabled. */
    static Registry.ProxyChange proxyChange(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.BAD_REQUEST_BODY.exception("expected a JSON object");
        }
        return new Registry.ProxyChange(emptyToNull(text(body, "listen")), emptyToNull(text(body, "upstream")), enabled(body, ""));
    }

    /** A toxic to add: type required; stream downstream, toxicity 1 and every attribute 0 unless given. */
    static ToxicConfig toxic(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.BAD_REQUEST_BODY.exception("expected a JSON object");
        }
        ToxicKind<?> kind = ToxicKinds.byType(text(body, "type")).orElseThrow(ApiError.INVALID_TOXIC_TYPE::exception);
        String stream = body.has("stream") && !body.get("stream").isNull() ? text(body, "stream") : "downstream";
        Direction direction = stream == null ? null : Direction.parse(stream);
        if (direction == null) {
            throw ApiError.INVALID_STREAM.exception();
        }
        if (kind.onlyStream() != null && !kind.onlyStream().equals(direction.wireName())) {
            throw ApiError.INVALID_STREAM.exception("a " + kind.type() + " toxic acts on the " + kind.onlyStream() + " stream only");
        }
        String name = text(body, "name");
        if (name == null || name.isEmpty()) {
            name = kind.type() + "_" + stream;
        }
        double toxicity = toxicity(body.get("toxicity"), 1.0);
        return ToxicConfig.of(name, kind, direction, stream, toxicity, attributes(kind, body.get("attributes")));
    }

    /** A partial update of a toxic of {@code kind}: the attributes given, and the toxicity if given. */
    static Registry.ToxicChange toxicChange(ToxicKind<?> kind, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.BAD_REQUEST_BODY.exception("expected a JSON object");
        }
        JsonNode toxicity = body.get("toxicity");
        return new Registry.ToxicChange(attributes(kind, body.get("attributes")),
                toxicity == null || toxicity.isNull() ? null : toxicity(toxicity, 1.0));
    }

    /** {@code {"name","listen","upstream","enabled","toxics":[...]}}. */
    static Map<String, Object> proxy(Proxy proxy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", proxy.name());
        json.put("listen", proxy.listen());
        json.put("upstream", proxy.upstream());
        json.put("enabled", proxy.enabled());
        json.put("toxics", proxy.toxics().stream().map(ApiJson::toxic).toList());
        return json;
    }

    static List<Map<String, Object>> proxies(List<Proxy> proxies) {
        return proxies.stream().map(ApiJson::proxy).toList();
    }

    /**
     * {@code {"attributes":{...},"name","type","stream","toxicity"}}, every attribute present; the toxicity as
     * Toxiproxy writes its float32: {@code 1}, {@code 0.5}.
     */
    static Map<String, Object> toxic(ToxicConfig toxic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("attributes", ToxicAttributes.values(toxic.attributes()));
        json.put("name", toxic.name());
        json.put("type", toxic.kind().type());
        json.put("stream", toxic.streamAsSent());
        double toxicity = toxic.toxicity();
        json.put("toxicity", toxicity == Math.rint(toxicity) ? (Object) (long) toxicity : (Object) (float) toxicity);
        return json;
    }

    /** {@code {"error","status"}}, and for {@code /populate} the proxies done before it ({@code null} for none). */
    static Map<String, Object> error(int status, String message, List<Proxy> populated) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        if (populated != null) {
            body.put("proxies", populated.isEmpty() ? null : proxies(populated));
        }
        return body;
    }

    private static Boolean enabled(JsonNode body, String where) {
        JsonNode enabled = body.get("enabled");
        if (enabled == null || enabled.isNull()) {
            return null;
        }
        if (!enabled.isBoolean()) {
            throw ApiError.BAD_REQUEST_BODY.exception("enabled must be true or false" + where);
        }
        return enabled.asBoolean();
    }

    private static double toxicity(JsonNode node, double fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw ApiError.BAD_REQUEST_BODY.exception("toxicity must be a number from 0 to 1");
        }
        double value = node.asDouble();
        if (value < 0 || value > 1 || Double.isNaN(value)) {
            throw ApiError.INVALID_TOXICITY.exception("must be from 0 to 1, but was " + node.asString());
        }
        return value;
    }

    /** The longest text attribute (a path, a method). */
    static final int MAX_TEXT_ATTRIBUTE = 200;

    /**
     * The attributes given, by wire name: each one of the kind's, an integer (or, for the few that are texts, a
     * string of printable ASCII up to {@link #MAX_TEXT_ATTRIBUTE}); others are ignored, as Toxiproxy does.
     */
    private static Map<String, Object> attributes(ToxicKind<?> kind, JsonNode node) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw ApiError.BAD_REQUEST_BODY.exception("attributes must be a JSON object");
        }
        for (String attribute : ToxicAttributes.names(kind.attributes())) {
            JsonNode value = node.get(attribute);
            if (value == null || value.isNull()) {
                continue;
            }
            if (ToxicAttributes.isText(kind.attributes(), attribute)) {
                if (!value.isString() || value.stringValue().length() > MAX_TEXT_ATTRIBUTE || !value.stringValue().matches("[\\x21-\\x7e]*")) {
                    throw ApiError.BAD_REQUEST_BODY.exception("attributes." + attribute + " of a " + kind.type()
                            + " toxic must be a string of printable ASCII without spaces, at most " + MAX_TEXT_ATTRIBUTE + " characters, but was "
                            + abbreviate(value.toString()));
                }
                values.put(attribute, value.stringValue());
                continue;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw ApiError.BAD_REQUEST_BODY.exception("attributes." + attribute + " of a " + kind.type()
                        + " toxic must be an integer, but was " + abbreviate(value.toString()));
            }
            values.put(attribute, value.asLong());
        }
        return values;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw ApiError.BAD_REQUEST_BODY.exception(field + " must be a string");
        }
        return node.stringValue();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
