package dev.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChannelHealthTrackerTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aSuccessClearsAPassingProblemButNotADownOne() {
        ChannelHealthTracker t = new ChannelHealthTracker(clock);
        t.starting();
        t.up();
        t.degraded(ChannelHealth.Problem.UNREACHABLE, "connection refused");
        assertThat(t.snapshot().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        t.received();
        assertThat(t.snapshot().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(t.snapshot().problem()).isEmpty();
        assertThat(t.snapshot().lastReceived()).contains(clock.instant());

        t.down(ChannelHealth.Problem.BAD_CREDENTIALS, "401 Unauthorized");
        t.sent();
        t.degraded(ChannelHealth.Problem.UNREACHABLE, "timeout");
        assertThat(t.snapshot().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(t.snapshot().problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);

        t.starting();
        assertThat(t.snapshot().status()).isEqualTo(ChannelHealth.Status.STARTING);
        assertThat(t.snapshot().problem()).isEmpty();
    }

    @Test
    void lifecycleRefusesASecondStartAndAllowsARestart() {
        ChannelLifecycle l = new ChannelLifecycle("telegram");
        l.begin();
        assertThatThrownBy(l::begin).isInstanceOf(IllegalStateException.class).hasMessageContaining("telegram");
        assertThat(l.end()).isTrue();
        assertThat(l.end()).isFalse();
        l.begin();
        assertThat(l.isRunning()).isTrue();
    }
}
