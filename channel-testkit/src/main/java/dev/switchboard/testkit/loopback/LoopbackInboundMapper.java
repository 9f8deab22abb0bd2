package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The inbound mapper: one platform update to the {@link InboundEvent} the inbox stores, or to a
 * {@link RejectedInput} when it cannot be read. Pure (no I/O), so it is tested without the platform.
 */
final class LoopbackInboundMapper {
    private final LoopbackConfig config;
    private final Clock clock;

    LoopbackInboundMapper(LoopbackConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** What became of one update: an event to deliver, or an input to quarantine. */
    sealed interface Outcome permits Mapped, Rejected {
    }

    record Mapped(InboundEvent event) implements Outcome {
    }

    record Rejected(RejectedInput input) implements Outcome {
    }

    Outcome map(LoopbackPlatform.Update u) {
        if (u.text() == null || u.text().isEmpty()) {
            // Something we cannot read must still be stored (quarantined), never silently skipped.
            return new Rejected(new RejectedInput(config.channelId(), Optional.of(u.eventId()),
                    u.toString().getBytes(StandardCharsets.UTF_8), "update has no text", clock.instant()));
        }
        Profile profile = u.userName() == null || u.userName().isBlank() ? Profile.EMPTY : Profile.named(u.userName());
        ChannelAccount account = ChannelAccount.of(config.tenant(), config.channelId(), u.userId(), profile);
        // The platform's event id, not the cursor position: a redelivery has a new position but the same event id.
        return new Mapped(InboundEvent.MessageReceived.of(u.eventId(), account, clock.instant(), "in-" + u.eventId(),
                Content.text(u.text())));
    }
}
