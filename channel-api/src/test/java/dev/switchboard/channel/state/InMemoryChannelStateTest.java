package dev.switchboard.channel.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-memory state a channel keeps when no inbox bound it: the same rules the stores' contract checks. */
class InMemoryChannelStateTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final StepClock clock = new StepClock();
    private final ChannelState state = ChannelState.inMemory(clock);

    private static <T> T done(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void recordsHaveGrowingVersionsAndExpire() {
        assertThat(done(state.put("k", "a")).version()).isEqualTo(1);
        assertThat(done(state.put("k", "b")).version()).isEqualTo(2);
        done(state.put("ttl", "v", Optional.of(Duration.ofMinutes(1))));
        clock.now = T0.plus(Duration.ofMinutes(1));
        assertThat(done(state.get("ttl"))).isEmpty();
        assertThat(done(state.get("k")).map(StateRecord::value)).contains("b");
    }

    @Test
    void compareAndSetAndPutIfAbsent() {
        assertThat(done(state.compareAndSet("k", 0, "a", Optional.empty()))).isPresent();
        assertThat(done(state.compareAndSet("k", 0, "b", Optional.empty()))).isEmpty();
        assertThat(done(state.compareAndSet("k", 1, "b", Optional.empty())).map(StateRecord::version)).contains(2L);
        assertThat(done(state.putIfAbsent("k", "c", Optional.empty())).value()).isEqualTo("b");
        assertThat(done(state.delete("k"))).isTrue();
        assertThat(done(state.putIfAbsent("k", "c", Optional.empty())).value()).isEqualTo("c");
    }

    @Test
    void logsAreNumberedFromOneAndResumedAfterANumber() {
        done(state.append("log", "a"));
        assertThat(done(state.append("log", seq -> "entry " + seq)).value()).isEqualTo("entry 2");
        done(state.append("log", "c"));
        assertThat(done(state.lastSeq("log"))).isEqualTo(3);
        assertThat(done(state.read("log", 1, 5))).extracting(LogEntry::value).containsExactly("entry 2", "c");
        assertThat(done(state.read("other", 0, 5))).isEmpty();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> state.get("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> state.put("k", "v", Optional.of(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> state.read("log", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final class StepClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
