package io.blastradius.inference;

import io.blastradius.support.Digests;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic answer to a request: the same model and prompt always give the same id, tokens and
 * usage, so that experiments can compare responses across runs.
 */
public record Completion(String id, String model, List<String> tokens, String stopReason, int inputTokens) {

    private static final String[] WORDS = ("the a blast radius stays small when the public path does not share "
            + "fate with login sessions cache gateway breaker opens fast fails gracefully recovers within seconds "
            + "latency errors traffic measured honestly every hop proxy replica model answers tokens stream").split(" ");

    public static Completion answer(MessageRequest request) {
        byte[] digest = Digests.sha256(request.model() + "\u0000" + request.system() + "\u0000" + String.join("\u0000", request.texts()));
        SplittableRandom random = new SplittableRandom(toLong(digest));
        int natural = 8 + random.nextInt(24);
        int count = Math.min(natural, request.maxTokens());
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            tokens.add(i == 0 ? word : " " + word);
        }
        String id = "msg_" + HexFormat.of().formatHex(digest, 0, 12);
        int input = words(request.system());
        for (String text : request.texts()) {
            input += words(text);
        }
        return new Completion(id, request.model(), List.copyOf(tokens),
                count < natural ? "max_tokens" : "end_turn", input);
    }

    public String text() {
        return String.join("", tokens);
    }

    /** The non-streamed Messages API response body. */
    public Map<String, Object> body() {
        return Map.of(
                "id", id,
                "type", "message",
                "role", "assistant",
                "model", model,
                "content", List.of(Map.of("type", "text", "text", text())),
                "stop_reason", stopReason,
                "usage", usage());
    }

    public Map<String, Object> usage() {
        return Map.of("input_tokens", inputTokens, "output_tokens", tokens.size());
    }

    private static int words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static long toLong(byte[] bytes) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }
}
