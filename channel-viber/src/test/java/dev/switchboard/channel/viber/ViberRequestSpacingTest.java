package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ViberRequestSpacingTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private final AtomicLong overshoot = new AtomicLong();
    /** A clock that moves only when the spacing sleeps: by the time asked plus {@link #overshoot} (a late wake-up). */
    private final ViberRequestSpacing spacing = new ViberRequestSpacing(20, now::get,
            nanos -> now.addAndGet(nanos + overshoot.get()));

    private List<Long> departures(int n) throws InterruptedException {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            at.add(spacing.awaitDeparture());
        }
        return at;
    }

    /** The most departures in any window of {@code windowMs} (a strict sliding window, as the Viber fake counts). */
    private static int mostWithin(List<Long> at, long windowMs) {
        int most = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(j) >= windowMs * MS) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    @Test
    void theWindowIsOneSecondPlusOneMillisecondPerAllowedCall() {
        assertThat(ViberRequestSpacing.window(20)).isEqualTo(Duration.ofMillis(1020));
        assertThat(ViberRequestSpacing.window(1)).isEqualTo(Duration.ofMillis(1001));
    }

    @Test
    void callsAskingTogetherNeverExceedTheLimitInAnySecond() throws Exception {
        List<Long> at = departures(200);
        assertThat(mostWithin(at, 1_000)).isEqualTo(20);
        assertThat(mostWithin(at, 1_020)).isEqualTo(20); // the margin holds too
        // and they still go at the limit's pace: 200 calls over about ten windows
        assertThat(at.get(199) - at.get(0)).isLessThan(10_300 * MS);
    }

    @Test
    void twoCallsLeaveAtLeastHalfTheEvenSpacingApart() throws Exception {
        List<Long> at = departures(50);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).isGreaterThanOrEqualTo(25 * MS);
        }
    }

    @Test
    void lateWakeUpsNeitherBreakTheWindowNorLowerTheRate() throws Exception {
        overshoot.set(20 * MS); // the machine is busy: every sleep ends 20 ms late
        List<Long> at = departures(200);
        assertThat(mostWithin(at, 1_020)).isLessThanOrEqualTo(20);
        // a late call lets the next follow sooner: the pace stays close to 20 per 1.02 s, not 1/(51 ms + 20 ms)
        assertThat(at.get(199) - at.get(0)).isLessThan(11_000 * MS);
    }

    @Test
    void theFirstCallGoesAtOnceWhateverTheClockReads() throws Exception {
        assertThat(spacing.awaitDeparture()).isEqualTo(5_000 * MS);
        now.set(-7_000 * MS); // System.nanoTime() may be negative too
        ViberRequestSpacing other = new ViberRequestSpacing(20, now::get, now::addAndGet);
        assertThat(other.awaitDeparture()).isEqualTo(-7_000 * MS);
        assertThat(other.awaitDeparture()).isEqualTo(-7_000 * MS + 25_500_000L); // half of 1,020 ms / 20
    }

    @Test
    void aCallAfterAQuietSpellGoesAtOnce() throws Exception {
        departures(20);
        now.addAndGet(10_000 * MS); // ten quiet seconds
        long before = now.get();
        assertThat(spacing.awaitDeparture()).isEqualTo(before);
    }
}
