package io.blastradius.replica.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes: what close() leaves behind, looked up by pid after it returns. */
class ManagedProcessTest {

    final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        Thread.interrupted();
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aWrapperEndsWithWhatItStartedEvenWhenTheClosingThreadIsInterrupted(@TempDir Path dir) throws InterruptedException {
        // a shell that SIGTERM ends at once, leaving the process it started in the background (as Redis's wrapper
        // did when SIGKILLed: the child, reparented to init, ran on)
        ManagedProcess wrapper = ManagedProcess.start("wrapper", List.of("/bin/sh", "-c", "sleep 300 & wait"), Map.of(), dir.resolve("wrapper.log"));
        started.add(ProcessHandle.of(wrapper.pid()).orElseThrow());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (wrapper.child().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ProcessHandle sleep = wrapper.child().orElseThrow();
        started.add(sleep);

        // Ctrl-C interrupts the thread that then stops the replica
        Thread.currentThread().interrupt();
        wrapper.close();

        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        assertThat(ProcessHandle.of(wrapper.pid()).filter(ProcessHandle::isAlive)).as("the wrapper").isEmpty();
        assertThat(sleep.isAlive()).as("what the wrapper started (pid %d)", sleep.pid()).isFalse();
    }
}
