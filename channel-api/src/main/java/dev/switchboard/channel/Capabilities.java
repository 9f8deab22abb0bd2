package dev.switchboard.channel;

import dev.switchboard.content.MediaKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a channel can show and what it allows: text length and markup, media kinds, buttons, locations, contact
 * cards, carousels of cards, edits, typing and read receipts, messaging rules, and send rate limits. The renderer
 * degrades content to
 * fit, and the outbox paces sends to the rate limits, so a channel declares here rather than coding around.
 *
 * @param maxButtons 0 when the channel has no buttons (choices become a numbered list)
 * @param messagingWindow how long after the customer's last message we may write freely (Viber, WhatsApp-like rules)
 * @param cards how the channel shows {@code Cards} natively; empty when it does not (the renderer degrades them)
 */
public record Capabilities(
        int maxTextLength,
        TextLengthUnit textLengthUnit,
        Markup markup,
        Set<MediaKind> mediaKinds,
        int maxButtons,
        int maxButtonLabelLength,
        boolean linkButtons,
        boolean sharePhoneButton,
        boolean locations,
        boolean contactCards,
        boolean edits,
        boolean typingIndicators,
        boolean readReceipts,
        boolean replyThreading,
        boolean requiresSubscription,
        Optional<Duration> messagingWindow,
        ReceiveMode receiveMode,
        Optional<RateLimit> globalRateLimit,
        Optional<RateLimit> perRecipientRateLimit,
        Optional<CardLimits> cards) {

    public Capabilities {
        if (maxTextLength < 16) {
            throw new IllegalArgumentException("maxTextLength must be >= 16, got " + maxTextLength);
        }
        Objects.requireNonNull(textLengthUnit, "textLengthUnit");
        Objects.requireNonNull(markup, "markup");
        mediaKinds = mediaKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(mediaKinds));
        if (maxButtons < 0) {
            throw new IllegalArgumentException("maxButtons must be >= 0");
        }
        if (maxButtons > 0 && maxButtonLabelLength < 1) {
            throw new IllegalArgumentException("maxButtonLabelLength must be >= 1 when buttons are supported");
        }
        Objects.requireNonNull(messagingWindow, "messagingWindow");
        Objects.requireNonNull(receiveMode, "receiveMode");
        Objects.requireNonNull(globalRateLimit, "globalRateLimit");
        Objects.requireNonNull(perRecipientRateLimit, "perRecipientRateLimit");
        // capabilities declared before cards existed have none
        cards = cards == null ? Optional.empty() : cards;
    }

    /** Capabilities without native cards (the form before cards existed). */
    public Capabilities(int maxTextLength, TextLengthUnit textLengthUnit, Markup markup, Set<MediaKind> mediaKinds,
                        int maxButtons, int maxButtonLabelLength, boolean linkButtons, boolean sharePhoneButton,
                        boolean locations, boolean contactCards, boolean edits, boolean typingIndicators,
                        boolean readReceipts, boolean replyThreading, boolean requiresSubscription,
                        Optional<Duration> messagingWindow, ReceiveMode receiveMode,
                        Optional<RateLimit> globalRateLimit, Optional<RateLimit> perRecipientRateLimit) {
        this(maxTextLength, textLengthUnit, markup, mediaKinds, maxButtons, maxButtonLabelLength, linkButtons,
                sharePhoneButton, locations, contactCards, edits, typingIndicators, readReceipts, replyThreading,
                requiresSubscription, messagingWindow, receiveMode, globalRateLimit, perRecipientRateLimit,
                Optional.empty());
    }

    /** These capabilities without native cards: what a channel answers for a recipient whose client lacks them. */
    public Capabilities withoutCards() {
        return new Capabilities(maxTextLength, textLengthUnit, markup, mediaKinds, maxButtons, maxButtonLabelLength,
                linkButtons, sharePhoneButton, locations, contactCards, edits, typingIndicators, readReceipts,
                replyThreading, requiresSubscription, messagingWindow, receiveMode, globalRateLimit,
                perRecipientRateLimit, Optional.empty());
    }

    /** These capabilities without buttons (choices become a numbered list): for a client that shows no keyboards. */
    public Capabilities withoutButtons() {
        return new Capabilities(maxTextLength, textLengthUnit, markup, mediaKinds, 0, maxButtonLabelLength,
                linkButtons, sharePhoneButton, locations, contactCards, edits, typingIndicators, readReceipts,
                replyThreading, requiresSubscription, messagingWindow, receiveMode, globalRateLimit,
                perRecipientRateLimit, cards);
    }

    public boolean buttons() {
        return maxButtons > 0;
    }

    public boolean supports(MediaKind kind) {
        return mediaKinds.contains(kind);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the most limited channel (plain text, 4096 characters, nothing else) and adds what is set. */
    public static final class Builder {
        private int maxTextLength = 4096;
        private TextLengthUnit textLengthUnit = TextLengthUnit.CODE_POINTS;
        private Markup markup = Markup.PLAIN;
        private Set<MediaKind> mediaKinds = EnumSet.noneOf(MediaKind.class);
        private int maxButtons;
        private int maxButtonLabelLength;
        private boolean linkButtons;
        private boolean sharePhoneButton;
        private boolean locations;
        private boolean contactCards;
        private boolean edits;
        private boolean typingIndicators;
        private boolean readReceipts;
        private boolean replyThreading;
        private boolean requiresSubscription;
        private Duration messagingWindow;
        private ReceiveMode receiveMode = ReceiveMode.WEBHOOK;
        private RateLimit globalRateLimit;
        private RateLimit perRecipientRateLimit;
        private CardLimits cards;

        public Builder maxTextLength(int maxTextLength, TextLengthUnit unit) {
            this.maxTextLength = maxTextLength;
            this.textLengthUnit = unit;
            return this;
        }

        public Builder markup(Markup markup) {
            this.markup = markup;
            return this;
        }

        public Builder media(MediaKind... kinds) {
            this.mediaKinds = kinds.length == 0 ? EnumSet.noneOf(MediaKind.class) : EnumSet.of(kinds[0], kinds);
            return this;
        }

        public Builder buttons(int maxButtons, int maxLabelLength) {
            this.maxButtons = maxButtons;
            this.maxButtonLabelLength = maxLabelLength;
            return this;
        }

        public Builder linkButtons(boolean v) {
            this.linkButtons = v;
            return this;
        }

        public Builder sharePhoneButton(boolean v) {
            this.sharePhoneButton = v;
            return this;
        }

        public Builder locations(boolean v) {
            this.locations = v;
            return this;
        }

        public Builder contactCards(boolean v) {
            this.contactCards = v;
            return this;
        }

        public Builder edits(boolean v) {
            this.edits = v;
            return this;
        }

        public Builder typingIndicators(boolean v) {
            this.typingIndicators = v;
            return this;
        }

        public Builder readReceipts(boolean v) {
            this.readReceipts = v;
            return this;
        }

        public Builder replyThreading(boolean v) {
            this.replyThreading = v;
            return this;
        }

        public Builder requiresSubscription(boolean v) {
            this.requiresSubscription = v;
            return this;
        }

        public Builder messagingWindow(Duration window) {
            this.messagingWindow = window;
            return this;
        }

        public Builder receiveMode(ReceiveMode mode) {
            this.receiveMode = mode;
            return this;
        }

        public Builder globalRateLimit(RateLimit limit) {
            this.globalRateLimit = limit;
            return this;
        }

        public Builder perRecipientRateLimit(RateLimit limit) {
            this.perRecipientRateLimit = limit;
            return this;
        }

        /** The channel shows {@code Cards} natively within these limits. */
        public Builder cards(CardLimits limits) {
            this.cards = limits;
            return this;
        }

        public Capabilities build() {
            return new Capabilities(maxTextLength, textLengthUnit, markup, mediaKinds, maxButtons,
                    maxButtonLabelLength, linkButtons, sharePhoneButton, locations, contactCards, edits,
                    typingIndicators, readReceipts, replyThreading, requiresSubscription,
                    Optional.ofNullable(messagingWindow), receiveMode, Optional.ofNullable(globalRateLimit),
                    Optional.ofNullable(perRecipientRateLimit), Optional.ofNullable(cards));
        }
    }
}
