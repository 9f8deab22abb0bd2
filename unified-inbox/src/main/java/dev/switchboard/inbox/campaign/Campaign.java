package dev.switchboard.inbox.campaign;

import dev.switchboard.content.Content;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A campaign a host defines: an opt-in broadcast of one content to an audience, under a consent purpose. Immutable;
 * build it with {@link #builder(CampaignId)}, which requires content, a purpose and an audience:
 *
 * <pre>{@code
 * Campaign sale = Campaign.builder(CampaignId.of("spring-sale"))
 *         .content(Content.text("Spring sale: 20% off until Sunday."))
 *         .purpose("marketing")
 *         .audience(Audience.customers(List.of(CustomerId.of("c-1"))))
 *         .build();
 * }</pre>
 *
 * @param paidSendsAllowed whether the host accepts messages the platform bills (Viber's bot-initiated messages);
 *     without it, a recipient reachable only that way is skipped with {@link SkipReason#PAID_SEND_NOT_ALLOWED}
 */
public record Campaign(CampaignId id, Content content, String purpose, Audience audience, Optional<String> subject,
                       boolean paidSendsAllowed, Map<String, String> footers) {
    /** The default unsubscribe footers of messenger messages (English and Russian). */
    public static final Map<String, String> DEFAULT_FOOTERS = Map.of(
            "en", "Reply STOP to unsubscribe.",
            "ru", "Чтобы отписаться, ответьте СТОП.");

    /** Checks that no component is null; {@link Builder#build()} checks the rest. */
    public Campaign {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(subject, "subject");
        footers = Map.copyOf(Objects.requireNonNull(footers, "footers"));
    }

    /** A builder for a campaign with this id. */
    public static Builder builder(CampaignId id) {
        return new Builder(Objects.requireNonNull(id, "id"));
    }

    /** What is stored of this campaign's message. */
    public CampaignMessage message() {
        return new CampaignMessage(content, subject, paidSendsAllowed, footers);
    }

    /** Builds a {@link Campaign}; {@link #build()} names the missing or invalid option. Not thread-safe. */
    public static final class Builder {
        private final CampaignId id;
        private Content content;
        private String purpose;
        private Audience audience;
        private Optional<String> subject = Optional.empty();
        private boolean paidSendsAllowed;
        private final Map<String, String> footers = new HashMap<>(DEFAULT_FOOTERS);

        private Builder(CampaignId id) {
            this.id = id;
        }

        /** What to send (required, not empty). */
        public Builder content(Content content) {
            this.content = Objects.requireNonNull(content, "content");
            return this;
        }

        /** The consent purpose (required), e.g. {@code "marketing"}: only customers who granted it get the message. */
        public Builder purpose(String purpose) {
            this.purpose = Objects.requireNonNull(purpose, "purpose");
            return this;
        }

        /** Who the campaign is for (required). */
        public Builder audience(Audience audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** The email subject. */
        public Builder subject(String subject) {
            this.subject = Optional.of(Objects.requireNonNull(subject, "subject"));
            return this;
        }

        /**
         * Opts in to messages the platform bills (Viber's bot-initiated messages outside a window the customer
         * opened). Off by default: such recipients are skipped unless another free channel reaches them.
         */
        public Builder allowPaidSends(boolean allow) {
            this.paidSendsAllowed = allow;
            return this;
        }

        /** The unsubscribe footer of messenger messages for a language tag (replaces the default for it). */
        public Builder footer(String language, String text) {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(text, "text");
            if (text.isBlank()) {
                throw new IllegalArgumentException("footer for " + language + " must not be blank");
            }
            footers.put(language.toLowerCase(java.util.Locale.ROOT), text);
            return this;
        }

        /**
         * The campaign.
         *
         * @throws IllegalStateException naming the option: no content (or empty content), no purpose (a blank one
         *     too), no audience
         */
        public Campaign build() {
            if (content == null || content.isEmpty()) {
                throw new IllegalStateException("campaign " + id + ": content is required and must not be empty");
            }
            if (purpose == null || purpose.isBlank()) {
                throw new IllegalStateException("campaign " + id + ": purpose is required (the consent purpose"
                        + " recipients must have granted, e.g. \"marketing\")");
            }
            if (audience == null) {
                throw new IllegalStateException("campaign " + id + ": audience is required");
            }
            return new Campaign(id, content, purpose.strip(), audience, subject, paidSendsAllowed, footers);
        }
    }
}
