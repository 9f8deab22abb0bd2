package dev.switchboard.channel.webchat;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import java.util.Optional;

/**
 * A host hook consulted before each agent message is delivered to a visitor, which may refuse it with a
 * {@link SendFailure} (a visitor the host banned: {@code NOT_ALLOWED}; the host's own throttle: {@code RATE_LIMITED}
 * with a retry-after; maintenance: {@code UNAVAILABLE}). The send then completes with a {@code ChannelException}
 * carrying that failure, exactly as a remote platform's refusal would.
 */
@FunctionalInterface
public interface SendPolicy {
    /** Allows everything. */
    SendPolicy ALLOW_ALL = message -> Optional.empty();

    Optional<SendFailure> check(OutboundMessage message);
}
