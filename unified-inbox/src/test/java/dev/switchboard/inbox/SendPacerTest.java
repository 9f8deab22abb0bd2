package dev.switchboard.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The node-local pacer on a controlled clock: even spacing, no burst, per-recipient limits, retry-after pauses. */
class SendPacerTest {
    private static final long MS = 1_000_000L;
    private static final TenantId T = TenantId.DEFAULT;
    private static final ChannelId TG = ChannelId.of("tg");
    /** Telegram's limits: 30 messages per second per bot, one per second per chat. */
    private static final Capabilities TELEGRAM = Capabilities.builder().globalRateLimit(RateLimit.perSecond(30))
            .perRecipientRateLimit(RateLimit.perSecond(1)).build();

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final SendPacer pacer = new SendPacer(now::get);

    /** Asks for a permit every millisecond for {@code millis}; returns the grant times (ms from the start). */
    private List<Long> grantsOver(long millis, Capabilities caps, java.util.function.IntFunction<String> recipient) {
        long start = now.get();
        List<Long> grants = new ArrayList<>();
        int next = 0;
        for (long t = 0; t < millis; t++) {
            now.set(start + t * MS);
            SendPacer.Permit p = pacer.tryAcquire(T, TG, caps, recipient.apply(next));
            if (p.granted()) {
                p.started();
                grants.add(t);
                next++;
            } else {
                assertThat(p.retryAtNanos() - now.get()).as("retry time is in the future").isPositive();
            }
        }
        return grants;
    }

    @Test
    void aSecondsBudgetIsSpreadEvenlyInsteadOfSpentAtOnce() {
        List<Long> grants = grantsOver(1000, TELEGRAM, i -> "chat-" + i);
        assertThat(grants).hasSize(30);
        for (int i = 1; i < grants.size(); i++) {
            // one interval (33.3 ms) apart; a poller asking early may go up to the 10 ms tolerance ahead of it
            assertThat(grants.get(i) - grants.get(i - 1)).as("gap before send %d", i).isBetween(23L, 34L);
        }
        assertThat(grants.get(29)).isBetween(29 * 33L - 10, 29 * 34L);
        // at the very start only one send goes, not the whole second's 30
        assertThat(grants.stream().filter(t -> t < 100)).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void oneRecipientGetsOneSendPerSecond() {
        List<Long> grants = grantsOver(3000, TELEGRAM, i -> "chat-1");
        assertThat(grants).containsExactly(0L, 1000L, 2000L);
    }

    @Test
    void noPeriodLongWindowEverHoldsMoreThanThePermits() {
        Capabilities caps = Capabilities.builder().globalRateLimit(new RateLimit(6, Duration.ofMillis(400))).build();
        List<Long> grants = grantsOver(5000, caps, i -> "r" + (i % 3));
        for (int i = 0; i + 6 < grants.size(); i++) {
            assertThat(grants.get(i + 6) - grants.get(i)).isGreaterThanOrEqualTo(400L);
        }
        assertThat(grants.size()).isBetween(74, 76); // and it uses the whole allowance
    }

    @Test
    void aLateStartCountsInTheWindowAsItReallyHappened() {
        Capabilities twoPerSecond = Capabilities.builder().perRecipientRateLimit(RateLimit.perSecond(2)).build();
        long start = now.get();
        SendPacer.Permit first = pacer.tryAcquire(T, TG, twoPerSecond, "a");
        now.addAndGet(200 * MS); // the send only began 200 ms after its permit
        first.started();
        now.set(start + 500 * MS);
        SendPacer.Permit second = pacer.tryAcquire(T, TG, twoPerSecond, "a");
        assertThat(second.granted()).isTrue();
        second.started();
        now.set(start + 1000 * MS);
        SendPacer.Permit third = pacer.tryAcquire(T, TG, twoPerSecond, "a");
        assertThat(third.granted()).as("two sends began within the last second").isFalse();
        assertThat(third.retryAtNanos()).isEqualTo(start + 1200 * MS);
    }

    @Test
    void aSendHeldUpALittleIsMadeUpForWithoutExceedingTheRate() {
        long start = now.get();
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            SendPacer.Permit p;
            while (!(p = pacer.tryAcquire(T, TG, TELEGRAM, "chat-" + i)).granted()) {
                now.set(p.retryAtNanos() + (i % 2 == 0 ? 5 * MS : 0)); // every other wake-up comes 5 ms late
            }
            p.started();
            grants.add((now.get() - start) / MS);
        }
        // 60 sends at 30/s take two seconds, lateness not accumulating
        assertThat(grants.get(59)).isBetween(1960L, 2000L);
        for (int i = 0; i + 30 < grants.size(); i++) {
            assertThat(grants.get(i + 30) - grants.get(i)).isGreaterThanOrEqualTo(1000L);
        }
    }

    @Test
    void aRetryAfterHoldsTheRecipientButNotOthers() {
        assertThat(pacer.tryAcquire(T, TG, TELEGRAM, "a").granted()).isTrue();
        Instant until = Instant.parse("2026-12-06T12:00:05Z");
        pacer.pause(T, TG, TELEGRAM, "a", now.get() + 5_000 * MS, until);
        now.addAndGet(2_000 * MS);
        SendPacer.Permit held = pacer.tryAcquire(T, TG, TELEGRAM, "a");
        assertThat(held.granted()).isFalse();
        assertThat(held.pausedUntil()).contains(until);
        assertThat(pacer.tryAcquire(T, TG, TELEGRAM, "b").granted()).isTrue();
        now.addAndGet(3_000 * MS);
        assertThat(pacer.tryAcquire(T, TG, TELEGRAM, "a").granted()).isTrue();
    }

    @Test
    void anUnlimitedChannelIsNeverHeld() {
        Capabilities none = Capabilities.builder().build();
        for (int i = 0; i < 1000; i++) {
            assertThat(pacer.tryAcquire(T, TG, none, "a").granted()).isTrue();
        }
    }

    @Test
    void onASmallLimitACampaignSendYieldsTheNextSlotToAWaitingReply() {
        // 10 per second: one reserved send would cost the campaign 10 %, so there is no reserve, only the priority
        Capabilities small = Capabilities.builder().globalRateLimit(RateLimit.perSecond(10)).build();
        assertThat(SendPacer.replyReserve(RateLimit.perSecond(10))).isZero();
        SendPacer.Permit first = pacer.tryAcquire(T, TG, small, "c-1", "cmp-1:0", true);
        assertThat(first.granted()).isTrue();
        first.started();
        // a reply right after it must wait for the next slot, and says so
        now.addAndGet(5 * MS);
        SendPacer.Permit reply = pacer.tryAcquire(T, TG, small, "r-1", "reply-1:0", false);
        assertThat(reply.granted()).isFalse();
        // at the next slot the campaign asks first, but the waiting reply gets it
        now.set(reply.retryAtNanos());
        SendPacer.Permit campaign = pacer.tryAcquire(T, TG, small, "c-2", "cmp-2:0", true);
        assertThat(campaign.granted()).as("campaign yields to the waiting reply").isFalse();
        assertThat(campaign.retryAtNanos()).isGreaterThan(now.get());
        SendPacer.Permit replyAgain = pacer.tryAcquire(T, TG, small, "r-1", "reply-1:0", false);
        assertThat(replyAgain.granted()).isTrue();
        replyAgain.started();
        // with no reply waiting, the campaign takes the slot after that
        now.set(campaign.retryAtNanos());
        SendPacer.Permit later = pacer.tryAcquire(T, TG, small, "c-2", "cmp-2:0", true);
        assertThat(later.granted()).isTrue();
    }

    /** What a saturating campaign plus occasional replies got, in ms from the start of the run. */
    private record Run(List<Long> campaign, List<Long> replies, List<Long> all, List<Long> replyWaits) {
    }

    /**
     * Every millisecond for {@code millis}: the campaign (always more recipients waiting) asks for a permit, and a
     * reply arriving at this millisecond asks after it and keeps asking until granted. Replies arrive every
     * {@code replyEveryMs} at a seeded random offset.
     */
    private Run campaignWithReplies(Capabilities caps, long millis, long replyEveryMs) {
        java.util.Random random = new java.util.Random(42);
        long start = now.get();
        List<Long> campaign = new ArrayList<>();
        List<Long> replies = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        List<Long> waits = new ArrayList<>();
        java.util.ArrayDeque<Long> due = new java.util.ArrayDeque<>();
        if (replyEveryMs > 0) {
            for (long at = 0; at < millis; at += replyEveryMs) {
                due.add(at + random.nextInt((int) replyEveryMs));
            }
        }
        int c = 0;
        int r = 0;
        for (long t = 0; t < millis; t++) {
            now.set(start + t * MS);
            SendPacer.Permit p = pacer.tryAcquire(T, TG, caps, "c-" + c, "cmp-" + c + ":0", true);
            if (p.granted()) {
                p.started();
                campaign.add(t);
                all.add(t);
                c++;
            }
            while (!due.isEmpty() && due.peek() <= t) {
                SendPacer.Permit q = pacer.tryAcquire(T, TG, caps, "r-" + r, "reply-" + r + ":0", false);
                if (!q.granted()) {
                    break; // asks again next millisecond
                }
                q.started();
                replies.add(t);
                all.add(t);
                waits.add(t - due.poll());
                r++;
            }
        }
        return new Run(campaign, replies, all, waits);
    }

    private static void assertWindowHolds(List<Long> grants, int permits, long periodMs) {
        for (int i = 0; i + permits < grants.size(); i++) {
            assertThat(grants.get(i + permits) - grants.get(i)).as("sends %d..%d", i, i + permits)
                    .isGreaterThanOrEqualTo(periodMs);
        }
    }

    @Test
    void aReplyDuringASaturatingCampaignIsSentWithoutWaitingForACampaignSlot() {
        Run run = campaignWithReplies(TELEGRAM, 20_000, 500);
        assertThat(run.replies()).hasSize(40);
        assertThat(run.replyWaits()).as("each reply went the millisecond it arrived").containsOnly(0L);
        // the campaign keeps the channel busy all the time (a reply did not just find it idle): campaign and
        // replies together use at least 95 % of the limit, the campaign yielding what the replies took
        assertThat(run.all().size()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * 20 * 30));
        assertThat(run.campaign().size()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * 20 * 30) - 40);
        assertWindowHolds(run.all(), 30, 1000);
    }

    @Test
    void aCampaignAloneGetsAtLeast95PercentOfTheLimitAndNeverExceedsIt() {
        Run run = campaignWithReplies(TELEGRAM, 20_000, 0);
        // 29 of every 30 sends a second: 96.7 %
        assertThat(run.campaign().size()).isBetween((int) Math.ceil(0.95 * 20 * 30), 20 * 30);
        assertWindowHolds(run.all(), 30, 1000);
        for (int i = 1; i < run.all().size(); i++) {
            assertThat(run.all().get(i) - run.all().get(i - 1)).as("gap before send %d", i).isGreaterThan(20L);
        }
    }

    @Test
    void onVkLimitsTheCampaignAlsoGets95PercentAndRepliesGoAtOnce() {
        RateLimit vk = new RateLimit(20, Duration.ofMillis(1020));
        Capabilities caps = Capabilities.builder().globalRateLimit(vk).build();
        Run alone = campaignWithReplies(caps, 20_400, 0);
        assertThat(alone.campaign().size()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * 20 * 20));
        assertWindowHolds(alone.all(), 20, 1020);
        now.addAndGet(5_000 * MS); // a new run on a rested channel
        Run busy = campaignWithReplies(caps, 20_400, 500);
        assertThat(busy.replyWaits()).containsOnly(0L);
        assertWindowHolds(busy.all(), 20, 1020);
        // with replies the channel is used as fully as by the campaign alone: the replies take the reserve
        assertThat(busy.all().size()).isGreaterThanOrEqualTo(alone.all().size());
    }

    @Test
    void repliesStillFollowTheirOwnEvenSpacingSoTheyNeverBurstTheChannel() {
        // a burst of replies on a channel busy with a campaign: the first goes at once, the rest one interval apart
        Run run = campaignWithReplies(TELEGRAM, 2_000, 0);
        long start = now.get();
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SendPacer.Permit p;
            while (!(p = pacer.tryAcquire(T, TG, TELEGRAM, "burst-" + i, "burst-" + i + ":0", false)).granted()) {
                now.set(p.retryAtNanos());
            }
            p.started();
            grants.add((now.get() - start) / MS);
        }
        assertThat(run.campaign()).isNotEmpty();
        assertThat(grants.get(0)).isZero();
        for (int i = 1; i < grants.size(); i++) {
            assertThat(grants.get(i) - grants.get(i - 1)).isGreaterThanOrEqualTo(23L);
        }
    }

    @Test
    void aReplyWaitingOnlyForItsOwnChatDoesNotHoldCampaignsBack() {
        SendPacer.Permit first = pacer.tryAcquire(T, TG, TELEGRAM, "r-1", "reply-1:0", false);
        first.started();
        now.addAndGet(40 * MS);
        // the same chat again: its one-per-second limit holds it, not the channel's schedule
        assertThat(pacer.tryAcquire(T, TG, TELEGRAM, "r-1", "reply-2:0", false).granted()).isFalse();
        assertThat(pacer.tryAcquire(T, TG, TELEGRAM, "c-1", "cmp-1:0", true).granted()).isTrue();
    }
}
