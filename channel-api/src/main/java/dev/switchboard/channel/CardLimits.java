package dev.switchboard.channel;

/**
 * How a channel shows {@code Cards} natively, declared in {@link Capabilities#cards()}: how many cards and buttons
 * per card it takes, how long titles and descriptions may be (longer ones are truncated with an ellipsis), and the
 * platform's structural rules. A carousel that breaks a rule (too many cards, a card without buttons where buttons
 * are required, cards with different sets of fields where the platform wants them alike, an image the channel cannot
 * send) is degraded as a whole, so the platform never refuses it. Build with {@link #builder()}.
 *
 * @param maxCards the most cards in one carousel
 * @param maxButtonsPerCard the most buttons on one card
 * @param maxTitleLength titles are truncated to this (in the channel's text unit)
 * @param maxDescriptionLength descriptions are truncated to this
 * @param uniformFields every card must have the same fields: all or none with a description, an image, a default
 *     link, buttons (VK)
 * @param buttonRequired every card must have at least one button (VK)
 * @param imageOrDescriptionRequired every card must have an image or a description (VK)
 */
public record CardLimits(int maxCards, int maxButtonsPerCard, int maxTitleLength, int maxDescriptionLength,
                         boolean uniformFields, boolean buttonRequired, boolean imageOrDescriptionRequired) {
    public CardLimits {
        ConfigChecks.check(maxCards >= 1, "maxCards", maxCards, ">= 1");
        ConfigChecks.check(maxButtonsPerCard >= 0, "maxButtonsPerCard", maxButtonsPerCard, ">= 0");
        ConfigChecks.check(maxTitleLength >= 2, "maxTitleLength", maxTitleLength, ">= 2");
        ConfigChecks.check(maxDescriptionLength >= 2, "maxDescriptionLength", maxDescriptionLength, ">= 2");
        ConfigChecks.check(!buttonRequired || maxButtonsPerCard >= 1, "maxButtonsPerCard", maxButtonsPerCard,
                ">= 1 when buttonRequired");
    }

    /** Starts from 10 cards of 3 buttons, 80-unit titles and descriptions, and no structural rules. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects card limits; {@link #build()} checks them. */
    public static final class Builder {
        private int maxCards = 10;
        private int maxButtonsPerCard = 3;
        private int maxTitleLength = 80;
        private int maxDescriptionLength = 80;
        private boolean uniformFields;
        private boolean buttonRequired;
        private boolean imageOrDescriptionRequired;

        private Builder() {
        }

        public Builder maxCards(int v) {
            this.maxCards = v;
            return this;
        }

        public Builder maxButtonsPerCard(int v) {
            this.maxButtonsPerCard = v;
            return this;
        }

        public Builder maxTitleLength(int v) {
            this.maxTitleLength = v;
            return this;
        }

        public Builder maxDescriptionLength(int v) {
            this.maxDescriptionLength = v;
            return this;
        }

        public Builder uniformFields(boolean v) {
            this.uniformFields = v;
            return this;
        }

        public Builder buttonRequired(boolean v) {
            this.buttonRequired = v;
            return this;
        }

        public Builder imageOrDescriptionRequired(boolean v) {
            this.imageOrDescriptionRequired = v;
            return this;
        }

        public CardLimits build() {
            return new CardLimits(maxCards, maxButtonsPerCard, maxTitleLength, maxDescriptionLength, uniformFields,
                    buttonRequired, imageOrDescriptionRequired);
        }
    }
}
