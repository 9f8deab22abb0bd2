package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded consent decision: the customer granted or revoked permission for a purpose (e.g. {@code marketing}),
 * optionally only for one channel type, at a time, from a source (a form, an agent, a message). Consent records are
 * append-only history; the latest record for a purpose and channel is the one in force. Broadcasts require a granted
 * consent in force.
 */
public record Consent(String purpose, Optional<ChannelType> channelType, boolean granted, Instant at, String source) {
    /** The purpose of service messages: answers, order and account notices the customer needs. */
    public static final String SERVICE = "service";
    /** The purpose of advertising and news (38-FZ needs prior consent for it): campaigns, offers. */
    public static final String MARKETING = "marketing";
    /** The purpose of satisfaction surveys and ratings requests. */
    public static final String SURVEYS = "surveys";
    /**
     * The platform's own permission to message the customer at all (VK {@code message_allow}/{@code message_deny},
     * Viber subscribed/unsubscribed, Telegram "blocked the bot"), recorded as evidence. What refuses sends through
     * the account meanwhile is the inbox's "blocked us" mark, which the same platform signals set.
     */
    public static final String PLATFORM = "platform";

    /** Checks that no component is null. */
    public Consent {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }
}
