package io.blastradius.sessions;

import io.blastradius.support.ApiError;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/**
 * The session API: create, read, delete and touch. Redis trouble is answered 503 at once (Lettuce
 * times out quickly), never as a 500 or a hang.
 */
@RestController
@RequestMapping("/sessions")
public class SessionController {

    private final SessionStore store;

    public SessionController(SessionStore store) {
        this.store = store;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> create(@RequestBody SessionRequests.Create request) {
        return store.create(request.id(), request.user(), Duration.ofSeconds(request.ttlSeconds()))
                .<ResponseEntity<?>>map(s -> ResponseEntity.status(HttpStatus.CREATED).body(s))
                .orElseGet(() -> error(HttpStatus.CONFLICT, "a session with this id exists already"));
    }

    @GetMapping("/{id}")
    public ResponseEntity<?> find(@PathVariable String id) {
        SessionRequests.checkId(id);
        return store.find(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(SessionController::unknown);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<?> delete(@PathVariable String id) {
        SessionRequests.checkId(id);
        return store.delete(id) ? ResponseEntity.noContent().build() : unknown();
    }

    @PostMapping(path = "/{id}/touch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> touch(@PathVariable String id, @RequestBody SessionRequests.Touch request) {
        SessionRequests.checkId(id);
        return store.touch(id, Duration.ofSeconds(request.ttlSeconds()))
                .<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(SessionController::unknown);
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ApiError> redisUnavailable(DataAccessException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, "the session store (Redis) is unavailable: " + e.getClass().getSimpleName());
    }

    private static ResponseEntity<ApiError> unknown() {
        return error(HttpStatus.NOT_FOUND, "no such session (unknown or expired)");
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(ApiError.forStatus(status.value(), message));
    }
}
