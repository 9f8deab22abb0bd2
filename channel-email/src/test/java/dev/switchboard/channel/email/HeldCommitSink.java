package dev.switchboard.channel.email;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink whose commits the test controls: while {@link #hold()} is on, every delivery is recorded as pending and its
 * stage stays incomplete until {@link #release()}, so a test can assert what the channel did (or did not do) while
 * the inbox had not committed yet, without any timing window. Thread-safe.
 */
final class HeldCommitSink implements InboundSink {
    private final List<InboundEvent> pending = new CopyOnWriteArrayList<>();
    private final List<InboundEvent> committed = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> stages = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    HeldCommitSink hold() {
        holding = true;
        return this;
    }

    /** Commits everything held and lets later deliveries commit at once. */
    synchronized void release() {
        holding = false;
        committed.addAll(pending);
        pending.clear();
        stages.forEach(s -> s.complete(null));
        stages.clear();
    }

    @Override
    public synchronized CompletionStage<Void> deliver(InboundEvent event) {
        if (!holding) {
            committed.add(event);
            return CompletableFuture.completedFuture(null);
        }
        pending.add(event);
        CompletableFuture<Void> stage = new CompletableFuture<>();
        stages.add(stage);
        return stage;
    }

    @Override
    public CompletionStage<Void> reject(RejectedInput input) {
        return CompletableFuture.completedFuture(null);
    }

    List<InboundEvent> pending() {
        return List.copyOf(pending);
    }

    List<String> committedIds() {
        return committed.stream().map(InboundEvent::eventId).toList();
    }
}
