package dev.switchboard.inbox;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What one background worker of the inbox (the outbox claimer, the feed dispatcher, the polling supervisor, the
 * retention task) reports about itself: when its loop last completed a round, how many rounds failed and the last
 * failure. Liveness comes from the worker's thread. Thread-safe. Internal.
 */
final class WorkerHealthTracker {
    private final String name;
    private final Clock clock;
    private volatile BooleanSupplier alive = () -> false;
    private Instant lastRun;
    private long errors;
    private String lastError;
    private Instant lastErrorAt;

    WorkerHealthTracker(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    /** How to tell whether the worker's thread still runs (set when the worker starts). */
    void aliveWhen(BooleanSupplier alive) {
        this.alive = alive;
    }

    /** A round of the worker's loop completed. */
    synchronized void ran() {
        lastRun = clock.instant();
    }

    /** A round failed; {@code failure}'s text is kept (exception texts of the inbox never hold secrets). */
    synchronized void failed(Throwable failure) {
        errors++;
        lastError = String.valueOf(failure);
        lastErrorAt = clock.instant();
    }

    synchronized InboxHealth.Worker snapshot() {
        boolean failing = lastErrorAt != null && (lastRun == null || lastErrorAt.isAfter(lastRun));
        return new InboxHealth.Worker(name, alive.getAsBoolean(), Optional.ofNullable(lastRun), errors,
                Optional.ofNullable(lastError), Optional.ofNullable(lastErrorAt), failing);
    }
}
