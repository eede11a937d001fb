package io.blastradius.inference;

import io.blastradius.support.ApiError;
import jakarta.annotation.PreDestroy;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /v1/messages}: a Messages API answer after the configured time-to-first-token and
 * per-token delays, plain or as SSE events. Delays are scheduled, not slept, so a slow answer holds no
 * worker thread; past its capacity the stub answers 529 {@code overloaded_error}.
 */
@RestController
public class MessagesController {

    private final StubProperties properties;
    private final Capacity capacity;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "inference-timer");
        thread.setDaemon(true);
        return thread;
    });

    public MessagesController(StubProperties properties) {
        this.properties = properties;
        this.capacity = new Capacity(properties.maxConcurrency());
    }

    @PostMapping(path = "/v1/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Object messages(@RequestBody JsonNode body) {
        MessageRequest request = MessageRequest.from(body);
        if (!capacity.tryAcquire()) {
            return ResponseEntity.status(529).body(ApiError.of(ApiError.OVERLOADED,
                    "the model is at capacity (" + properties.maxConcurrency() + " requests in flight); retry later"));
        }
        Runnable release = releaseOnce();
        Completion completion = Completion.answer(request);
        return request.stream() ? stream(completion, release) : answer(completion, release);
    }

    private DeferredResult<ResponseEntity<Map<String, Object>>> answer(Completion completion, Runnable release) {
        DeferredResult<ResponseEntity<Map<String, Object>>> result = new DeferredResult<>();
        result.onCompletion(release);
        result.onError(e -> release.run());
        Duration delay = properties.timeToFirstToken()
                .plus(properties.perTokenDelay().multipliedBy(Math.max(0, completion.tokens().size() - 1)));
        schedule(delay, () -> result.setResult(ResponseEntity.ok(completion.body())));
        return result;
    }

    private SseEmitter stream(Completion completion, Runnable release) {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(release);
        emitter.onError(e -> release.run());
        emitter.onTimeout(release);
        schedule(properties.timeToFirstToken(), () -> sendStart(emitter, completion));
        return emitter;
    }

    private void sendStart(SseEmitter emitter, Completion completion) {
        Map<String, Object> message = Map.of("id", completion.id(), "type", "message", "role", "assistant",
                "model", completion.model(), "content", List.of(),
                "usage", Map.of("input_tokens", completion.inputTokens(), "output_tokens", 0));
        if (send(emitter, "message_start", Map.of("type", "message_start", "message", message))
                && send(emitter, "content_block_start", Map.of("type", "content_block_start", "index", 0,
                        "content_block", Map.of("type", "text", "text", "")))) {
            sendToken(emitter, completion, 0);
        }
    }

    private void sendToken(SseEmitter emitter, Completion completion, int index) {
        if (index == completion.tokens().size()) {
            sendEnd(emitter, completion);
            return;
        }
        boolean sent = send(emitter, "content_block_delta", Map.of("type", "content_block_delta", "index", 0,
                "delta", Map.of("type", "text_delta", "text", completion.tokens().get(index))));
        if (sent) {
            schedule(properties.perTokenDelay(), () -> sendToken(emitter, completion, index + 1));
        }
    }

    private void sendEnd(SseEmitter emitter, Completion completion) {
        Map<String, Object> delta = new HashMap<>();
        delta.put("stop_reason", completion.stopReason());
        delta.put("stop_sequence", null);
        boolean sent = send(emitter, "content_block_stop", Map.of("type", "content_block_stop", "index", 0))
                && send(emitter, "message_delta", Map.of("type", "message_delta", "delta", delta,
                        "usage", Map.of("output_tokens", completion.tokens().size())))
                && send(emitter, "message_stop", Map.of("type", "message_stop"));
        if (sent) {
            emitter.complete();
        }
    }

    private static boolean send(SseEmitter emitter, String event, Map<String, ?> data) {
        try {
            emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
            return true;
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
            return false;
        }
    }

    private void schedule(Duration delay, Runnable task) {
        if (delay.isZero()) {
            timer.execute(task);
        } else {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Runnable releaseOnce() {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                capacity.release();
            }
        };
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
