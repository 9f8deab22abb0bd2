package dev.switchboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A channel account as owned by a customer: when and why it was linked, and whether it is blocked. Blocking an
 * account (a stolen phone, a spammer) stops traffic from that account without blocking the customer.
 */
public record LinkedAccount(ChannelAccount account, String source, Instant linkedAt, boolean blocked) {
    public LinkedAccount {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }

    public AccountKey key() {
        return account.key();
    }

    public LinkedAccount withBlocked(boolean blocked) {
        return new LinkedAccount(account, source, linkedAt, blocked);
    }

    public LinkedAccount withAccount(ChannelAccount account) {
        return new LinkedAccount(account, source, linkedAt, blocked);
    }
}
