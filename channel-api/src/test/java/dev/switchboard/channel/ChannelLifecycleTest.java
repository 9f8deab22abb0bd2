package dev.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelLifecycleTest {
    private final ChannelHealthTracker health = new ChannelHealthTracker();
    private final ChannelLifecycle lifecycle = new ChannelLifecycle(TenantId.of("acme"), ChannelId.of("pager"), health);
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();

    private CompletionStage<Void> start(InboundSink sink) {
        return lifecycle.start(sink, () -> {
            starts.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
    }

    private CompletionStage<Void> stop() {
        return lifecycle.stop(() -> {
            releases.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void aSecondStartFailsAndLeavesTheRunningRunAlone() {
        InboundSink first = new NoSink();
        assertThat(start(first)).isCompleted();
        assertThat(health.snapshot().status()).isEqualTo(ChannelHealth.Status.STARTING);

        CompletionStage<Void> second = start(new NoSink());

        assertThat(second).failsWithin(java.time.Duration.ZERO).withThrowableOfType(
                java.util.concurrent.ExecutionException.class).havingCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("acme/pager").withMessageContaining("already running");
        assertThat(starts).hasValue(1);
        assertThat(lifecycle.sink()).containsSame(first);
    }

    @Test
    void stopReleasesOnceAndAStoppedChannelStartsAgain() {
        start(new NoSink());
        assertThat(stop()).isCompleted();
        assertThat(stop()).isCompleted();
        assertThat(releases).hasValue(1);
        assertThat(lifecycle.sink()).isEmpty();
        assertThat(health.snapshot().status()).isEqualTo(ChannelHealth.Status.STOPPED);

        InboundSink again = new NoSink();
        assertThat(start(again)).isCompleted();
        assertThat(starts).hasValue(2);
        assertThat(lifecycle.sink()).containsSame(again);
    }

    @Test
    void stopOfAChannelNeverStartedDoesNothing() {
        assertThat(stop()).isCompleted();
        assertThat(releases).hasValue(0);
    }

    @Test
    void aStartActionThatThrowsLeavesTheChannelStopped() {
        CompletionStage<Void> failed = lifecycle.start(new NoSink(), () -> {
            throw new IllegalArgumentException("boom");
        });
        assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(start(new NoSink())).isCompleted();
    }

    private static final class NoSink implements InboundSink {
        @Override
        public CompletionStage<Void> deliver(InboundEvent event) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> reject(RejectedInput input) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
