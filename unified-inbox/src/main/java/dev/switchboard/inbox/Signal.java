package dev.switchboard.inbox;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A wake-up flag for a worker loop: {@link #signal()} makes the next (or the current) {@link #await} return early. */
final class Signal {
    private final Semaphore permit = new Semaphore(0);

    void signal() {
        if (permit.availablePermits() == 0) {
            permit.release();
        }
    }

    /** Waits up to {@code timeout} for a signal; returns early when interrupted (the loop checks its own flag). */
    void await(Duration timeout) {
        try {
            if (permit.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                permit.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
