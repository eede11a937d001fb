package io.blastradius.inference;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated Messages API request. Built from raw JSON so that every defect gets a message naming the
 * field at fault ({@code messages.1.content: ...}).
 */
public record MessageRequest(String model, int maxTokens, String system, List<String> texts, boolean stream) {

    static final int MAX_TOKENS_LIMIT = 4096;

    public static MessageRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isString() || model.stringValue().isBlank()) {
            throw new IllegalArgumentException("model: required, a non-empty string");
        }
        JsonNode maxTokens = body.get("max_tokens");
        if (maxTokens == null || !maxTokens.isIntegralNumber()) {
            throw new IllegalArgumentException("max_tokens: required, an integer from 1 to " + MAX_TOKENS_LIMIT);
        }
        if (maxTokens.asLong() < 1 || maxTokens.asLong() > MAX_TOKENS_LIMIT) {
            throw new IllegalArgumentException("max_tokens: must be from 1 to " + MAX_TOKENS_LIMIT + ", but was " + maxTokens.asLong());
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw new IllegalArgumentException("stream: must be true or false");
        }
        JsonNode system = body.get("system");
        if (system != null && !system.isString() && !system.isNull()) {
            throw new IllegalArgumentException("system: must be a string");
        }
        return new MessageRequest(model.stringValue(), maxTokens.asInt(),
                system == null || system.isNull() ? "" : system.stringValue(),
                texts(body.get("messages")), stream != null && stream.asBoolean());
    }

    private static List<String> texts(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException("messages: required, a non-empty list of {role, content}");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "messages." + i;
            if (!message.isObject()) {
                throw new IllegalArgumentException(at + ": must be an object with role and content");
            }
            String role = message.path("role").asString("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw new IllegalArgumentException(at + ".role: must be 'user' or 'assistant'");
            }
            texts.add(content(message.get("content"), at + ".content"));
        }
        return List.copyOf(texts);
    }

    private static String content(JsonNode content, String at) {
        if (content != null && content.isString()) {
            return content.stringValue();
        }
        if (content == null || !content.isArray() || content.isEmpty()) {
            throw new IllegalArgumentException(at + ": must be a string or a non-empty list of text blocks");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (!block.path("type").asString("").equals("text") || !block.path("text").isString()) {
                throw new IllegalArgumentException(at + "." + i + ": must be {\"type\":\"text\",\"text\":\"...\"}");
            }
            text.append(block.get("text").stringValue()).append(' ');
        }
        return text.toString();
    }
}
