package io.blastradius.inference;

import io.blastradius.support.TestHttp;
import io.blastradius.support.TestHttp.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "blastradius.management.token=test-token",
        "blastradius.inference.max-concurrency=2",
        "blastradius.inference.time-to-first-token=5ms"})
class MessagesApiTest {

    static final String HELLO = """
            {"model":"stub-1","max_tokens":64,"messages":[{"role":"user","content":"hello there"}]}""";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    String url() {
        return "http://127.0.0.1:" + port + "/v1/messages";
    }

    @Test
    void answersInTheShapeOfTheMessagesApi() {
        Reply reply = TestHttp.postJson(url(), HELLO);

        assertThat(reply.status()).isEqualTo(200);
        var json = reply.json();
        assertThat(json.path("id").asString()).startsWith("msg_");
        assertThat(json.path("type").asString()).isEqualTo("message");
        assertThat(json.path("role").asString()).isEqualTo("assistant");
        assertThat(json.path("model").asString()).isEqualTo("stub-1");
        assertThat(json.path("content").get(0).path("type").asString()).isEqualTo("text");
        assertThat(json.path("content").get(0).path("text").asString()).isNotBlank();
        assertThat(json.path("stop_reason").asString()).isIn("end_turn", "max_tokens");
        assertThat(json.path("usage").path("input_tokens").asInt()).isEqualTo(2);
        assertThat(json.path("usage").path("output_tokens").asInt()).isPositive();
    }

    @Test
    void theSamePromptGivesTheSameAnswerAndAnotherPromptAnother() {
        Reply first = TestHttp.postJson(url(), HELLO);
        Reply second = TestHttp.postJson(url(), HELLO);
        Reply other = TestHttp.postJson(url(), HELLO.replace("hello there", "something else"));

        assertThat(second.json()).isEqualTo(first.json());
        assertThat(other.json().path("id")).isNotEqualTo(first.json().path("id"));
    }

    @Test
    void maxTokensCutsTheAnswerWithStopReasonMaxTokens() {
        Reply reply = TestHttp.postJson(url(), HELLO.replace("64", "2"));

        assertThat(reply.json().path("usage").path("output_tokens").asInt()).isEqualTo(2);
        assertThat(reply.json().path("stop_reason").asString()).isEqualTo("max_tokens");
    }

    @Test
    void streamsTheSameAnswerAsServerSentEvents() {
        Reply plain = TestHttp.postJson(url(), HELLO);
        Reply stream = TestHttp.postJson(url(), HELLO.replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> events = stream.body().lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim()).toList();
        assertThat(events.get(0)).isEqualTo("message_start");
        assertThat(events.get(1)).isEqualTo("content_block_start");
        assertThat(events.subList(events.size() - 3, events.size()))
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        StringBuilder text = new StringBuilder();
        stream.body().lines().filter(l -> l.startsWith("data:") && l.contains("text_delta"))
                .map(l -> new Reply(200, null, l.substring(5), 0).json().path("delta").path("text").asString())
                .forEach(text::append);
        assertThat(text.toString()).isEqualTo(plain.json().path("content").get(0).path("text").asString());
    }

    @Test
    void pastItsCapacityItAnswers529Overloaded() {
        String slow = "{\"model\":\"m\",\"max_tokens\":40,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        // each stream holds a slot for ~40 tokens; with capacity 2, some of 6 concurrent requests must be refused
        List<CompletableFuture<Reply>> replies = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> TestHttp.postJson(url(), slow)))
                .toList();
        List<Reply> done = replies.stream().map(CompletableFuture::join).toList();

        List<Reply> refused = done.stream().filter(r -> r.status() == 529).toList();
        assertThat(refused).isNotEmpty();
        assertThat(refused.get(0).errorType()).isEqualTo("overloaded_error");
        assertThat(done).anyMatch(r -> r.status() == 200);
        assertThat(TestHttp.postJson(url(), HELLO).status()).as("capacity is released after the streams end").isEqualTo(200);
    }

    @Test
    void badInputGetsADocumented4xxWithAJsonError() {
        assertError(TestHttp.postJson(url(), "{\"model\":"), 400, "invalid_request_error", "not valid JSON");
        assertError(TestHttp.postJson(url(), "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                400, "invalid_request_error", "model: required");
        assertError(TestHttp.postJson(url(), "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                400, "invalid_request_error", "max_tokens: required");
        assertError(TestHttp.postJson(url(), "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                400, "invalid_request_error", "max_tokens: must be from 1 to 4096, but was 0");
        assertError(TestHttp.postJson(url(), "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}"),
                400, "invalid_request_error", "messages: required");
        assertError(TestHttp.postJson(url(), "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"),
                400, "invalid_request_error", "messages.0.role");
        assertError(TestHttp.postJson(url(), "x".repeat(70_000)), 413, "request_too_large", "at most 65536 bytes");
        assertError(TestHttp.post(url(), HELLO, "content-type", "text/plain"), 415, "unsupported_media_type_error", "application/json");
        assertError(TestHttp.get(url()), 405, "method_not_allowed_error", "GET");
        assertError(TestHttp.get("http://127.0.0.1:" + port + "/v2/nothing"), 404, "not_found_error", "/v2/nothing");
    }

    @Test
    void managementEndpointsNeedTheTokenButHealthDoesNot() {
        String base = "http://127.0.0.1:" + managementPort + "/actuator/";

        assertThat(TestHttp.get(base + "health").status()).isEqualTo(200);
        assertError(TestHttp.get(base + "chaosmonkey"), 401, "authentication_error", "Bearer");
        assertThat(TestHttp.get(base + "chaosmonkey", "Authorization", "Bearer wrong").status()).isEqualTo(401);
        Reply monkey = TestHttp.get(base + "chaosmonkey/status", "Authorization", "Bearer test-token");
        assertThat(monkey.status()).isEqualTo(200);
        assertThat(monkey.json().path("enabled").asBoolean()).as("assaults are off by default").isFalse();
        assertThat(TestHttp.get(base + "prometheus", "Authorization", "Bearer test-token").body()).contains("http_server_requests");
    }

    @Test
    void chaosMonkeyAssaultsAreSwitchedOnAndOffAtRuntimeThroughTheActuator() {
        String base = "http://127.0.0.1:" + managementPort + "/actuator/chaosmonkey";
        String[] auth = {"Authorization", "Bearer test-token", "content-type", "application/json"};
        assertThat(TestHttp.postJson(base + "/assaults", "{\"level\":1,\"exceptionsActive\":true,\"latencyActive\":false}",
                auth).status()).isEqualTo(200);
        assertThat(TestHttp.post(base + "/enable", "", auth).status()).isEqualTo(200);
        try {
            Reply attacked = TestHttp.postJson(url(), HELLO);
            assertThat(attacked.status()).isEqualTo(500);
            assertThat(attacked.errorType()).isEqualTo("api_error");
        } finally {
            TestHttp.post(base + "/disable", "", auth);
            TestHttp.postJson(base + "/assaults", "{\"exceptionsActive\":false}", auth);
        }
        assertThat(TestHttp.postJson(url(), HELLO).status()).isEqualTo(200);
    }

    static void assertError(Reply reply, int status, String type, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.errorType()).isEqualTo(type);
        assertThat(reply.errorMessage()).contains(messagePart);
    }
}
