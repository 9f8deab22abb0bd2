package dev.switchboard.channel;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A channel's own account of whether it works: its {@link Status}, the {@link Problem} that keeps it from working (bad
 * credentials, a webhook the platform does not know, a rate limit until {@link #retryAt()}), a human-readable detail
 * that never contains a secret, and when it last received and last sent successfully. Channels report it through
 * {@link Channel#health()}; the inbox adds it to its own health report so a host (or a Spring Boot health indicator)
 * can tell a passing outage from a configuration that will never work. Immutable.
 */
public record ChannelHealth(Status status, Optional<Problem> problem, Optional<String> detail,
                            Optional<Instant> lastReceived, Optional<Instant> lastSent, Optional<Instant> retryAt) {

    /** Whether the channel works. */
    public enum Status {
        /** Not reported: the channel does not track its health. */
        UNKNOWN,
        /** Started, checking its credentials or connecting. */
        STARTING,
        /** Receiving and sending. */
        UP,
        /** Working with a passing problem (an outage being retried, a rate limit): it recovers by itself. */
        DEGRADED,
        /** Not working until someone fixes the configuration (bad credentials, webhook not set); not retried hot. */
        DOWN,
        /** Not started, or stopped. */
        STOPPED
    }

    /** Why a channel is {@link Status#DEGRADED} or {@link Status#DOWN}. */
    public enum Problem {
        /** The platform refused the credentials (a wrong bot token, IMAP password, community token). */
        BAD_CREDENTIALS,
        /** The platform does not deliver to our webhook (not registered, or registered elsewhere). */
        WEBHOOK_NOT_SET,
        /** The platform asked us to slow down; see {@link #retryAt()}. */
        RATE_LIMITED,
        /** The platform or the network is unreachable, or failing; retried with backoff. */
        UNREACHABLE,
        /** The channel's configuration is inconsistent with the platform's (a wrong id, a missing permission). */
        MISCONFIGURED
    }

    public ChannelHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(lastReceived, "lastReceived");
        Objects.requireNonNull(lastSent, "lastSent");
        Objects.requireNonNull(retryAt, "retryAt");
    }

    /** The health of a channel that does not report any. */
    public static ChannelHealth unknown() {
        return new ChannelHealth(Status.UNKNOWN, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The health of a channel that is not running. */
    public static ChannelHealth stopped() {
        return new ChannelHealth(Status.STOPPED, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** True when the channel is {@link Status#UP} (or does not report, which a host cannot hold against it). */
    public boolean isUp() {
        return status == Status.UP || status == Status.UNKNOWN;
    }
}
