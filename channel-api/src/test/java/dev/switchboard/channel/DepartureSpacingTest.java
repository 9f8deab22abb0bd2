package dev.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DepartureSpacingTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(7_000 * MS);
    private final AtomicLong overshoot = new AtomicLong();
    /** A clock that moves only when the spacing sleeps: by the time asked plus {@link #overshoot} (a late wake-up). */
    private final DepartureSpacing spacing = new DepartureSpacing(30, now::get,
            nanos -> now.addAndGet(nanos + overshoot.get()));

    private List<Long> departures(int n) throws InterruptedException {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            at.add(spacing.awaitDeparture());
        }
        return at;
    }

    /** The most departures in any window of {@code windowMs} (a strict sliding window). */
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
    void requestsAskingTogetherNeverExceedTheLimitInAnyWindowAndStillGoAtItsPace() throws Exception {
        List<Long> at = departures(300);
        assertThat(mostWithin(at, 1_000)).isEqualTo(30);
        assertThat(mostWithin(at, 1_030)).isEqualTo(30);
        assertThat(at.get(299) - at.get(0)).isLessThan(10_400 * MS);
        assertThat(spacing.limit()).isEqualTo(30);
        assertThat(DepartureSpacing.window(30)).isEqualTo(Duration.ofMillis(1_030));
    }

    @Test
    void lateWakeUpsLetTheNextRequestsCatchUpWithoutBreakingTheWindow() throws Exception {
        overshoot.set(40 * MS); // every sleep wakes 40 ms late, more than an even spacing
        List<Long> at = departures(300);
        assertThat(mostWithin(at, 1_030)).isLessThanOrEqualTo(30);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("gap %d", i).isGreaterThanOrEqualTo(17 * MS);
        }
    }

    @Test
    void theFirstRequestGoesAtOnceWhateverTheClockReads() throws Exception {
        now.set(-7_000 * MS); // System.nanoTime() may be negative
        DepartureSpacing twenty = new DepartureSpacing(20, now::get, now::addAndGet);
        assertThat(twenty.awaitDeparture()).isEqualTo(-7_000 * MS);
        assertThat(twenty.awaitDeparture()).isEqualTo(-7_000 * MS + 25_500_000L); // half of 1,020 ms / 20
    }

    @Test
    void aRequestAfterAQuietSpellGoesAtOnce() throws Exception {
        departures(30);
        now.addAndGet(10_000 * MS); // ten quiet seconds
        long before = now.get();
        assertThat(spacing.awaitDeparture()).isEqualTo(before);
    }

    @Test
    void evenSpacingNeverCatchesUpFasterThanTheRate() throws Exception {
        overshoot.set(40 * MS); // late wake-ups: the default spacing would let the next request follow at half a gap
        DepartureSpacing even = new DepartureSpacing(30, DepartureSpacing.EVEN, now::get,
                nanos -> now.addAndGet(nanos + overshoot.get()));
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            at.add(even.awaitDeparture());
        }
        long evenGap = DepartureSpacing.window(30).toNanos() / 30;
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("gap %d", i).isGreaterThanOrEqualTo(evenGap);
        }
        assertThatThrownBy(() -> new DepartureSpacing(30, 1.5, now::get, n -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minGapShare");
    }

    @Test
    void anInterruptedWaitRecordsNoDeparture() throws Exception {
        DepartureSpacing interrupting = new DepartureSpacing(2, now::get, nanos -> {
            throw new InterruptedException("stop");
        });
        interrupting.awaitDeparture();
        assertThatThrownBy(interrupting::awaitDeparture).isInstanceOf(InterruptedException.class);
        now.addAndGet(2_000 * MS);
        assertThat(interrupting.awaitDeparture()).isEqualTo(now.get()); // nothing held from the interrupted one
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> new DepartureSpacing(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestsPerSecond");
    }

    /**
     * Bulk traffic paced as the outbox paces a campaign that left a reply reserve on Telegram and yielded a slot to
     * the urgent request (28 a second, 35.7 ms apart), with an urgent request asking at {@code urgentAt} ms into each
     * second; returns every departure.
     */
    private List<Long> bulkWithUrgent(DepartureSpacing s, int seconds, long urgentAt, List<Long> urgentWaits)
            throws InterruptedException {
        long start = now.get();
        long bulkGap = 1_000 * MS / 28;
        List<Long> at = new ArrayList<>();
        long nextBulk = start;
        for (int sec = 0; sec < seconds; sec++) {
            long urgent = start + sec * 1_000 * MS + urgentAt * MS;
            while (nextBulk < urgent) {
                now.set(Math.max(now.get(), nextBulk));
                at.add(s.awaitDeparture(DepartureSpacing.Lane.BULK));
                nextBulk += bulkGap;
            }
            now.set(Math.max(now.get(), urgent));
            long asked = now.get();
            long left = s.awaitDeparture(DepartureSpacing.Lane.URGENT);
            urgentWaits.add((left - asked) / MS);
            at.add(left);
        }
        return at;
    }

    @Test
    void anUrgentRequestDoesNotWaitBehindBulkTrafficThatLeavesItRoom() throws Exception {
        DepartureSpacing telegram = new DepartureSpacing(30, 0.8, true, now::get, nanos -> now.addAndGet(nanos));
        List<Long> waits = new ArrayList<>();
        // the urgent request comes 3 ms after a bulk departure (the fourth, at 107.1 ms): the minimum gap after it
        // (27.5 ms) would hold it 24.5 ms
        List<Long> at = bulkWithUrgent(telegram, 20, 110, waits);
        assertThat(waits).containsOnly(0L);
        assertThat(mostWithin(at, 1_000)).as("never more than the limit in one second").isLessThanOrEqualTo(30);
    }

    @Test
    void urgentRequestsInARowKeepTheGapAndTheMarginAmongThemselves() throws Exception {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            at.add(spacing.awaitDeparture(DepartureSpacing.Lane.URGENT));
        }
        assertThat(mostWithin(at, 1_030)).isEqualTo(30);
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("gap %d", i).isGreaterThanOrEqualTo(17 * MS);
        }
    }

    @Test
    void bulkTrafficWaitsForTheGapAfterAnUrgentRequest() throws Exception {
        long first = spacing.awaitDeparture(DepartureSpacing.Lane.URGENT);
        long bulk = spacing.awaitDeparture(DepartureSpacing.Lane.BULK);
        assertThat(bulk - first).isEqualTo(1_030 * MS / 30 / 2);
    }

    @Test
    void withoutSkippingTheMarginAnUrgentRequestStillNeedsRoomInTheWholeWindow() throws Exception {
        // VK-like: 20 requests per 1.02 s, counted strictly; bulk filled the window 51 ms apart
        DepartureSpacing vk = new DepartureSpacing(20, now::get, nanos -> now.addAndGet(nanos));
        List<Long> bulk = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            now.set(7_000 * MS + i * 51 * MS);
            bulk.add(vk.awaitDeparture());
        }
        now.set(7_000 * MS + 1_000 * MS); // the first bulk request left 1 s ago: out of one second, not of 1.02 s
        long left = vk.awaitUrgentDeparture();
        assertThat(left).isEqualTo(bulk.get(0) + 1_020 * MS);
    }
}
