package dev.switchboard.inbox.campaign;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an inbox node runs campaigns: where unsubscribe links point and how they are signed, how many of a campaign's
 * messages may wait in the outbox per channel at once (few, so replies never queue behind a campaign: the outbox
 * also sends replies first), how many recipients one transaction handles, and how often the worker looks. Build with
 * {@link #builder()}; {@link #defaults()} has no unsubscribe link (email then gets no {@code List-Unsubscribe}).
 *
 * @param unsubscribeUrl the HTTPS URL the host serves {@link UnsubscribeEndpoint} at; links are it with
 *     {@code ?token=...} appended
 * @param tokens the signer of unsubscribe tokens
 * @param inFlightPerChannel campaign messages waiting in the outbox per channel at most (also counts against the
 *     outbox workers: keep it below {@code OutboxSettings.workers})
 * @param batchSize recipients handled per transaction at most
 * @param interval how often the worker looks for due recipients and outbox outcomes
 */
public record CampaignSettings(Optional<URI> unsubscribeUrl, Optional<UnsubscribeTokens> tokens,
                               int inFlightPerChannel, int batchSize, Duration interval) {
    private static final CampaignSettings DEFAULTS = builder().build();

    /** Checks the components (see {@link Builder#build()}). */
    public CampaignSettings {
        Objects.requireNonNull(unsubscribeUrl, "unsubscribeUrl");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(interval, "interval");
    }

    /** No unsubscribe link, 4 messages in flight per channel, batches of 100, every 50 ms. */
    public static CampaignSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link CampaignSettings}; {@link #build()} names the invalid option. Not thread-safe. */
    public static final class Builder {
        private URI unsubscribeUrl;
        private UnsubscribeTokens tokens;
        private int inFlightPerChannel = 4;
        private int batchSize = 100;
        private Duration interval = Duration.ofMillis(50);

        private Builder() {
        }

        /** The HTTPS URL of the host's unsubscribe endpoint and the token signer; both or neither. */
        public Builder unsubscribeLinks(URI url, UnsubscribeTokens tokens) {
            this.unsubscribeUrl = Objects.requireNonNull(url, "url");
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** Campaign messages waiting in the outbox per channel at most (1..1000, default 4). */
        public Builder inFlightPerChannel(int n) {
            this.inFlightPerChannel = n;
            return this;
        }

        /** Recipients handled per transaction (1..1000, default 100). */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** How often the worker looks (positive, default 50 ms). */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the option: {@code unsubscribeUrl} not https,
         *     {@code inFlightPerChannel} or {@code batchSize} out of range, {@code interval} not positive
         */
        public CampaignSettings build() {
            if (unsubscribeUrl != null && !"https".equalsIgnoreCase(unsubscribeUrl.getScheme())) {
                throw new IllegalArgumentException("unsubscribeUrl must be an https URL, got " + unsubscribeUrl);
            }
            if (inFlightPerChannel < 1 || inFlightPerChannel > 1000) {
                throw new IllegalArgumentException("inFlightPerChannel must be within 1..1000, got "
                        + inFlightPerChannel);
            }
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("batchSize must be within 1..1000, got " + batchSize);
            }
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("interval must be positive, got " + interval);
            }
            return new CampaignSettings(Optional.ofNullable(unsubscribeUrl), Optional.ofNullable(tokens),
                    inFlightPerChannel, batchSize, interval);
        }
    }
}
