package dev.switchboard.inbox.survey;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * When the inbox marks a conversation as a complaint by itself: when one of the {@link #labels()} is added as a tag
 * (and clears that mark when the last of them is removed), and when a survey is rated at or below
 * {@link #ratingAtOrBelow()} (0: never). Agents mark and clear by hand whatever the rules. Immutable; build with
 * {@link #builder()}, or take {@link #none()}.
 *
 * @param labels tags that mark a complaint (compared exactly)
 * @param ratingAtOrBelow the highest rating that marks a complaint, 0-4; 0 turns the rating rule off
 */
public record ComplaintRules(Set<String> labels, int ratingAtOrBelow) {
    /** Copies the labels and checks the threshold. */
    public ComplaintRules {
        labels = Set.copyOf(labels);
        if (ratingAtOrBelow < 0 || ratingAtOrBelow > 4) {
            throw new IllegalArgumentException("complaint rules ratingAtOrBelow must be 0-4 (0: off), got "
                    + ratingAtOrBelow);
        }
    }

    /** No automatic complaints (the default): only agents mark them. */
    public static ComplaintRules none() {
        return new ComplaintRules(Set.of(), 0);
    }

    /** A builder with no rule. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a survey rating marks a complaint under these rules. */
    public boolean marksRating(int rating) {
        return rating <= ratingAtOrBelow;
    }

    /** Builds {@link ComplaintRules}; checked at {@link #build()}. */
    public static final class Builder {
        private final Set<String> labels = new LinkedHashSet<>();
        private int ratingAtOrBelow;

        private Builder() {
        }

        /** Tags that mark the conversation as a complaint when added (blank ones are refused at build). */
        public Builder labels(String... tags) {
            for (String t : tags) {
                labels.add(Objects.requireNonNull(t, "label"));
            }
            return this;
        }

        /** A survey rating at or below this (1-4) marks a complaint; 0 (the default) never. */
        public Builder ratingAtOrBelow(int rating) {
            this.ratingAtOrBelow = rating;
            return this;
        }

        /** The rules; a blank label or a threshold outside 0-4 fails naming the option. */
        public ComplaintRules build() {
            for (String l : labels) {
                if (l.isBlank()) {
                    throw new IllegalArgumentException("complaint rules labels must not be blank");
                }
            }
            return new ComplaintRules(labels, ratingAtOrBelow);
        }
    }
}
