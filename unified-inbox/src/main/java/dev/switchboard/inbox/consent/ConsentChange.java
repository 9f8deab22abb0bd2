package dev.switchboard.inbox.consent;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.CustomerId;
import java.util.Objects;
import java.util.Optional;

/**
 * A consent decision to record in the ledger through {@link Consents#record}: which customer, which purpose, granted
 * or withdrawn, optionally only for one channel type and through which account, and the evidence. Build one with
 * {@link #grant} or {@link #withdraw}; {@link Builder#build()} names the option that is wrong. Immutable.
 *
 * <pre>{@code
 * ConsentChange change = ConsentChange.grant(customer, Consent.MARKETING)
 *         .channelType(ChannelType.EMAIL)
 *         .evidence(ConsentEvidence.webForm("newsletter-signup", "v3"))
 *         .build();
 * }</pre>
 *
 * @param customer the customer (any id they ever had; merges are followed)
 * @param purpose what the consent is for
 * @param granted true for a grant, false for a withdrawal
 * @param channelType the channel type it is limited to; empty means every channel
 * @param account the account it came through, if any (it must be the customer's)
 * @param source who or what recorded it
 * @param evidence what proves it
 */
public record ConsentChange(CustomerId customer, String purpose, boolean granted, Optional<ChannelType> channelType,
                            Optional<AccountKey> account, String source, ConsentEvidence evidence) {

    /** Checks that no part is null. */
    public ConsentChange {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** Starts a grant of {@code purpose} by {@code customer}. */
    public static Builder grant(CustomerId customer, String purpose) {
        return new Builder(customer, purpose, true);
    }

    /** Starts a withdrawal of {@code purpose} by {@code customer}. */
    public static Builder withdraw(CustomerId customer, String purpose) {
        return new Builder(customer, purpose, false);
    }

    /** Collects the options of a {@link ConsentChange}; not thread-safe. */
    public static final class Builder {
        private final CustomerId customer;
        private final String purpose;
        private final boolean granted;
        private ChannelType channelType;
        private AccountKey account;
        private String source = "host";
        private ConsentEvidence evidence;

        private Builder(CustomerId customer, String purpose, boolean granted) {
            this.customer = customer;
            this.purpose = purpose;
            this.granted = granted;
        }

        /** Limits the decision to channels of this type (default: every channel). */
        public Builder channelType(ChannelType type) {
            this.channelType = type;
            return this;
        }

        /** The account the decision came through; its channel's type is used when no channel type was given. */
        public Builder account(AccountKey account) {
            this.account = account;
            return this;
        }

        /** Who or what records it (default {@code host}), e.g. {@code agent} or {@code web-form}. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** What proves the decision (required). */
        public Builder evidence(ConsentEvidence evidence) {
            this.evidence = evidence;
            return this;
        }

        /**
         * The change.
         *
         * @throws IllegalArgumentException naming the option: customer or purpose missing or blank, source blank,
         *     evidence missing
         */
        public ConsentChange build() {
            if (customer == null) {
                throw new IllegalArgumentException("customer is required");
            }
            if (purpose == null || purpose.isBlank()) {
                throw new IllegalArgumentException("purpose is required and must not be blank");
            }
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source must not be blank");
            }
            if (evidence == null) {
                throw new IllegalArgumentException("evidence is required (the message, button, form or note that "
                        + "proves the " + (granted ? "grant" : "withdrawal") + " of " + purpose + ")");
            }
            return new ConsentChange(customer, purpose, granted, Optional.ofNullable(channelType),
                    Optional.ofNullable(account), source, evidence);
        }
    }
}
