package dev.switchboard.inbox.survey;

import java.util.Locale;

/**
 * What marked or cleared a complaint; its {@link #value()} is the {@code source} attribute of {@code COMPLAINT_MARKED}
 * and {@code COMPLAINT_CLEARED} events.
 */
public enum ComplaintSource {
    /** An agent (or the host on an agent's behalf) called {@code Complaints.mark}/{@code clear}. */
    AGENT,
    /** A tag named in {@link ComplaintRules} was added to (or the last one removed from) the conversation. */
    LABEL,
    /** A survey rating at or below {@link ComplaintRules#ratingAtOrBelow()}. */
    RATING;

    /** The lower-case name used in events and the store: {@code agent}, {@code label}, {@code rating}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source with this {@link #value()}. */
    public static ComplaintSource of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
