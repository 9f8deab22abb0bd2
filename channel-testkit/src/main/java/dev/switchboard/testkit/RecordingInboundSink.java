package dev.switchboard.testkit;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * An {@link InboundSink} for channel tests: it "commits" immediately and records every event and rejected input, in
 * order. It can be told to fail the next N commits, to prove a channel acknowledges only after commit: a failed
 * delivery must leave the platform event unacknowledged so the platform redelivers it. Thread-safe.
 */
public final class RecordingInboundSink implements InboundSink {

    /** The exception a deliberately failed commit completes with. */
    public static final class SimulatedCommitFailure extends RuntimeException {
        SimulatedCommitFailure(String what) {
            super("simulated commit failure (RecordingInboundSink.failNextDeliveries) for " + what);
        }
    }

    private final List<InboundEvent> events = new CopyOnWriteArrayList<>();
    private final List<RejectedInput> rejected = new CopyOnWriteArrayList<>();
    private final List<Object> failed = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();

    /**
     * Makes the next {@code n} calls to {@link #deliver} or {@link #reject} complete exceptionally with
     * {@link SimulatedCommitFailure} without recording anything, as a database outage would.
     */
    public RecordingInboundSink failNextDeliveries(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        failuresToInject.set(n);
        return this;
    }

    @Override
    public CompletionStage<Void> deliver(InboundEvent event) {
        if (takeFailure()) {
            failed.add(event);
            return CompletableFuture.failedFuture(new SimulatedCommitFailure("event " + event.eventId()));
        }
        events.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> reject(RejectedInput input) {
        if (takeFailure()) {
            failed.add(input);
            return CompletableFuture.failedFuture(new SimulatedCommitFailure("rejected input " + input));
        }
        rejected.add(input);
        return CompletableFuture.completedFuture(null);
    }

    private boolean takeFailure() {
        return failuresToInject.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Every committed event, in delivery order (redeliveries included: the sink does not dedupe). */
    public List<InboundEvent> events() {
        return List.copyOf(events);
    }

    /** Committed events of one type, in delivery order. */
    public <T extends InboundEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    /** Committed events with the given platform event id (more than one means the platform redelivered). */
    public List<InboundEvent> eventsWithId(String eventId) {
        return events.stream().filter(e -> e.eventId().equals(eventId)).collect(Collectors.toList());
    }

    /** Committed quarantined inputs, in order. */
    public List<RejectedInput> rejected() {
        return List.copyOf(rejected);
    }

    /** Events and inputs whose commit was deliberately failed, in order. */
    public List<Object> failedDeliveries() {
        return List.copyOf(failed);
    }

    /** Forgets everything recorded (the failure counter too). */
    public void clear() {
        events.clear();
        rejected.clear();
        failed.clear();
        failuresToInject.set(0);
    }

    @Override
    public String toString() {
        return "RecordingInboundSink[events=" + events.stream().map(RecordingInboundSink::describe)
                .collect(Collectors.joining(", ", "[", "]")) + ", rejected=" + rejected + ", failed=" + failed.size()
                + "]";
    }

    /** A one-line description of an event for failure messages: type, event id and account. */
    public static String describe(InboundEvent e) {
        return e.getClass().getSimpleName() + "(eventId=" + e.eventId() + ", account=" + e.account().key() + ")";
    }
}
