package dev.switchboard.inbox.campaign;

import java.util.Objects;

/**
 * Identifies a campaign within its tenant: chosen by the host (for example {@code "spring-sale-2027"}), so creating
 * the same campaign twice is recognised. 1 to 128 characters of letters, digits, {@code . _ -}.
 *
 * @param value the id as the host gave it
 */
public record CampaignId(String value) {
    /** Checks the value's length and characters, naming the offending id. */
    public CampaignId {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("campaign id must be 1-128 letters, digits, '.', '_' or '-', got '"
                    + value + "'");
        }
    }

    /** The campaign id with this value. */
    public static CampaignId of(String value) {
        return new CampaignId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
