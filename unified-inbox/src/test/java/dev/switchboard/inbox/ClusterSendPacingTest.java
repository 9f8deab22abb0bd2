package dev.switchboard.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Cluster-wide pacing on a fixed clock: reservations by two "nodes" share one schedule in the store. */
class ClusterSendPacingTest {
    private static final TenantId T = TenantId.DEFAULT;
    private static final ChannelId TG = ChannelId.of("tg");
    private static final Capabilities TELEGRAM = Capabilities.builder().globalRateLimit(RateLimit.perSecond(30))
            .perRecipientRateLimit(RateLimit.perSecond(1)).build();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration WAIT = Duration.ofMillis(500);

    private final InMemoryInboxStore store = new InMemoryInboxStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ClusterSendPacing node1 = new ClusterSendPacing(store, clock);
    private final ClusterSendPacing node2 = new ClusterSendPacing(store, clock);

    @Test
    void twoNodesReserveOneEvenlySpacedSchedule() {
        Duration interval = Duration.ofNanos(1_000_000_000L / 30);
        for (int i = 0; i < 10; i++) {
            ClusterSendPacing.Slot slot = (i % 2 == 0 ? node1 : node2).reserve(T, TG, TELEGRAM, "chat-" + i, WAIT);
            assertThat(slot.reserved()).isTrue();
            // evenly spaced; on this stopped clock every slot after the first uses the 10 ms tolerance
            assertThat(slot.at()).isEqualTo(i == 0 ? NOW : NOW.plus(interval.multipliedBy(i)).minusMillis(10));
        }
    }

    @Test
    void aSlotFurtherThanTheCallerWaitsIsNotReserved() {
        assertThat(node1.reserve(T, TG, TELEGRAM, "chat-1", WAIT).at()).isEqualTo(NOW);
        ClusterSendPacing.Slot second = node2.reserve(T, TG, TELEGRAM, "chat-1", WAIT);
        assertThat(second.reserved()).isFalse();
        assertThat(second.at()).isEqualTo(NOW.plusSeconds(1).minusMillis(10)); // the tolerance
        // nothing was taken: another chat still gets the next global slot
        assertThat(node2.reserve(T, TG, TELEGRAM, "chat-2", WAIT).at())
                .isEqualTo(NOW.plusNanos(1_000_000_000L / 30).minusMillis(10));
    }

    @Test
    void aRetryAfterHoldsTheRecipientOnEveryNode() {
        Instant until = NOW.plusSeconds(7);
        store.inTransaction(tx -> {
            node1.pause(tx, T, TG, "chat-1", until);
            return null;
        });
        ClusterSendPacing.Slot held = node2.reserve(T, TG, TELEGRAM, "chat-1", Duration.ofSeconds(10));
        assertThat(held.reserved()).isTrue();
        assertThat(held.at()).isAfterOrEqualTo(until).isBefore(until.plusMillis(11));
    }

    @Test
    void channelsAndTenantsHaveTheirOwnSchedules() {
        assertThat(node1.reserve(T, TG, TELEGRAM, "chat-1", WAIT).at()).isEqualTo(NOW);
        assertThat(node1.reserve(T, ChannelId.of("tg2"), TELEGRAM, "chat-1", WAIT).at()).isEqualTo(NOW);
        assertThat(node1.reserve(TenantId.of("other"), TG, TELEGRAM, "chat-1", WAIT).at()).isEqualTo(NOW);
    }

    @Test
    void aReplyTakesAStartBetweenTwoCampaignMessagesOnEveryNodeAndTheCampaignWaitsForIt() {
        Duration interval = Duration.ofNanos(1_000_000_000L / 30);
        ClusterSendPacing.Slot c1 = node1.reserve(T, TG, TELEGRAM, "c-1", WAIT, true);
        assertThat(c1.at()).isEqualTo(NOW);
        // node 2's reply does not wait for the campaign's next slot
        ClusterSendPacing.Slot reply = node2.reserve(T, TG, TELEGRAM, "r-1", WAIT, false);
        assertThat(reply.reserved()).isTrue();
        assertThat(reply.at()).isEqualTo(NOW);
        // the campaign's next message waits for both sends' slots (less the tolerance)
        ClusterSendPacing.Slot c2 = node1.reserve(T, TG, TELEGRAM, "c-2", WAIT, true);
        assertThat(c2.at()).isEqualTo(NOW.plus(interval.multipliedBy(2)).minusMillis(10));
        // a second reply at once is spaced from the first reply (no burst of replies)
        ClusterSendPacing.Slot reply2 = node2.reserve(T, TG, TELEGRAM, "r-2", WAIT, false);
        assertThat(reply2.at()).isEqualTo(NOW.plus(interval).minusMillis(10));
    }

    @Test
    void aCampaignAloneIsSpacedAtTwentyNineOfThirtySlots() {
        Duration campaignInterval = Duration.ofNanos(1_000_000_000L / 29);
        Instant previous = null;
        for (int i = 0; i < 10; i++) {
            ClusterSendPacing.Slot slot = (i % 2 == 0 ? node1 : node2).reserve(T, TG, TELEGRAM, "c-" + i, WAIT,
                    true);
            if (previous != null) {
                // on this stopped clock: the campaign's own mark less the tolerance
                assertThat(slot.at()).isEqualTo(NOW.plus(campaignInterval.multipliedBy(i)).minusMillis(10));
            }
            previous = slot.at();
        }
    }
}
