package dev.switchboard.inbox.consent;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the append-only consent ledger: the customer granted or withdrew consent for a purpose, for one channel
 * type or all, at a time, through an account (when it came through one), from a source, with evidence. Entries are
 * never changed or deleted; the consent in force is read from them (see {@link Consents#inForce}). An entry recorded
 * through an account belongs to whoever holds that account, so it follows the account when customers are merged or
 * unmerged; an entry without an account belongs to the customer it was recorded for. Immutable.
 *
 * @param tenant the tenant
 * @param id the entry's id, unique in the tenant
 * @param customer the customer it was recorded for (the canonical customer at the time)
 * @param account the account it came through, if any
 * @param purpose what the consent is for ({@link Consent#SERVICE}, {@link Consent#MARKETING}, ...)
 * @param channelType the channel type it is limited to; empty means every channel
 * @param granted true for a grant, false for a withdrawal
 * @param at when it was given or withdrawn
 * @param source who or what recorded it: {@code keyword}, {@code platform}, {@code agent}, {@code host}, {@code merge}
 * @param evidence what proves it
 */
public record ConsentEntry(TenantId tenant, String id, CustomerId customer, Optional<AccountKey> account,
                           String purpose, Optional<ChannelType> channelType, boolean granted, Instant at,
                           String source, ConsentEvidence evidence) {

    /** Checks that no part is null and the purpose is not blank. */
    public ConsentEntry {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(evidence, "evidence");
        if (purpose.isBlank()) {
            throw new IllegalArgumentException("purpose must not be blank");
        }
    }

    /** The entry as the customer's {@link Consent} record (what {@code Preferences.hasConsent} reads). */
    public Consent toConsent() {
        return new Consent(purpose, channelType, granted, at, source + ":" + id);
    }

    /** Whether it applies to {@code purpose} on channels of {@code type}: same purpose, general or that type. */
    public boolean appliesTo(String purpose, ChannelType type) {
        return this.purpose.equals(purpose) && (channelType.isEmpty() || channelType.get().equals(type));
    }
}
