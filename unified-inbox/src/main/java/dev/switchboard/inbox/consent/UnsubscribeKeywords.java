package dev.switchboard.inbox.consent;

import dev.switchboard.model.ChannelType;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A tenant's keyword rule: a customer message on a messenger that is exactly one of the keywords (ignoring case,
 * surrounding spaces, a leading {@code /} as in Telegram's {@code /stop} command, and a trailing {@code .} or
 * {@code !}) withdraws their {@code marketing} consent on that
 * channel type through that account, and the inbox answers with a confirmation through the outbox. "Stop the
 * delivery" does not match; "STOP!" does. Configure it with {@link Consents#configureKeywords}; the
 * {@link #defaults()} are on for every tenant until then. Immutable.
 *
 * <pre>{@code
 * UnsubscribeKeywords rule = UnsubscribeKeywords.builder()
 *         .keywords("stop", "стоп", "отписаться", "unsubscribe", "хватит")
 *         .confirmation("Вы отписаны от рассылок. Напишите «подписаться», чтобы вернуть их.")
 *         .build();
 * }</pre>
 *
 * @param keywords the keywords, lower case
 * @param confirmation the reply confirming the withdrawal
 * @param purpose the purpose withdrawn
 * @param channelTypes the channel types the rule listens on (messengers)
 */
public record UnsubscribeKeywords(Set<String> keywords, String confirmation, String purpose,
                                  Set<ChannelType> channelTypes) {
    private static final UnsubscribeKeywords DEFAULTS = builder().build();

    /** Copies the sets. */
    public UnsubscribeKeywords {
        keywords = Set.copyOf(keywords);
        Objects.requireNonNull(confirmation, "confirmation");
        Objects.requireNonNull(purpose, "purpose");
        channelTypes = Set.copyOf(channelTypes);
    }

    /**
     * {@code stop}, {@code стоп}, {@code отписаться}, {@code unsubscribe} on Telegram, VK and Viber, withdrawing
     * {@code marketing}, with a short bilingual confirmation.
     */
    public static UnsubscribeKeywords defaults() {
        return DEFAULTS;
    }

    /** A rule that matches nothing (turns keyword capture off). */
    public static UnsubscribeKeywords off() {
        return new UnsubscribeKeywords(Set.of(), "-", dev.switchboard.model.Consent.MARKETING, Set.of());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code text}, the whole message, is one of the keywords and the channel type is listened on. */
    public boolean matches(ChannelType type, String text) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        return channelTypes.contains(type) && keywords.contains(normalize(text));
    }

    static String normalize(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("/")) {
            s = s.substring(1).strip();
        }
        while (!s.isEmpty() && (s.endsWith(".") || s.endsWith("!"))) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /** Collects the options of an {@link UnsubscribeKeywords}; not thread-safe. */
    public static final class Builder {
        private Set<String> keywords = Set.of("stop", "стоп", "отписаться", "unsubscribe");
        private String confirmation = "You are unsubscribed from marketing messages. / Вы отписаны от рассылок.";
        private String purpose = dev.switchboard.model.Consent.MARKETING;
        private Set<ChannelType> channelTypes = Set.of(ChannelType.TELEGRAM, ChannelType.VK, ChannelType.VIBER);

        private Builder() {
        }

        /** The keywords (replacing the defaults); matched whole-message and case-insensitively. */
        public Builder keywords(String... keywords) {
            Set<String> set = new LinkedHashSet<>();
            for (String k : keywords) {
                if (k == null || normalize(k).isEmpty()) {
                    throw new IllegalArgumentException("keywords must not be null or blank");
                }
                set.add(normalize(k));
            }
            this.keywords = set;
            return this;
        }

        /** The confirmation reply. */
        public Builder confirmation(String text) {
            this.confirmation = text;
            return this;
        }

        /** The purpose withdrawn (default {@code marketing}). */
        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** The channel types to listen on (default Telegram, VK, Viber). */
        public Builder channelTypes(ChannelType... types) {
            this.channelTypes = Set.of(types);
            return this;
        }

        /**
         * The rule.
         *
         * @throws IllegalArgumentException naming the option: no keywords, blank confirmation or purpose
         */
        public UnsubscribeKeywords build() {
            if (keywords.isEmpty()) {
                throw new IllegalArgumentException("keywords must not be empty (use UnsubscribeKeywords.off())");
            }
            if (confirmation == null || confirmation.isBlank()) {
                throw new IllegalArgumentException("confirmation must not be blank");
            }
            if (purpose == null || purpose.isBlank()) {
                throw new IllegalArgumentException("purpose must not be blank");
            }
            return new UnsubscribeKeywords(keywords, confirmation, purpose, channelTypes);
        }
    }
}
