package dev.switchboard.identity;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Evidence;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An inbound account with its evidence made ready for {@link IdentityEngine#resolve(IdentityTransaction,
 * PreparedAccount)}: every evidence point normalised (points that do not parse left out) and the display name's
 * tokens, blocking keys and index form computed. All of that is pure work that needs no store, so a caller with a
 * transaction to keep short (an ingest lane, a store that serialises transactions) does it first with
 * {@link IdentityEngine#prepare} and opens the transaction afterwards. Immutable; only an engine makes one, so the
 * engine can trust the points are already normalised. Opaque apart from the two accessors: hosts only pass it from
 * {@code prepare} to {@code resolve}. Thread-safe.
 */
public final class PreparedAccount {

    /** A display name with what the name index needs of it. */
    /** @param typoKeys keys the name is also looked up under ({@link NameMatcher#typoKeys}), computed ahead too */
    record Name(String name, List<String> tokens, java.util.Set<String> keys, String form,
                java.util.Set<String> typoKeys) {
    }

    private final ChannelAccount account;
    private final List<Evidence> evidence;
    private final Optional<Name> name;

    PreparedAccount(ChannelAccount account, List<Evidence> evidence, Optional<Name> name) {
        this.account = Objects.requireNonNull(account, "account");
        this.evidence = List.copyOf(evidence);
        this.name = name;
    }

    /** The account as the platform reported it. */
    public ChannelAccount account() {
        return account;
    }

    /** The evidence with every point normalised; points that did not parse are left out. */
    public List<Evidence> evidence() {
        return evidence;
    }

    Optional<Name> name() {
        return name;
    }

    @Override
    public String toString() {
        return "PreparedAccount[" + account.key() + ", " + evidence.size() + " pieces of evidence]";
    }
}
