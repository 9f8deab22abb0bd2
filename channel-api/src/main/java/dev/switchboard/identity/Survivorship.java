package dev.switchboard.identity;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.AttributeConflict;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Preferences;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules that decide what a merged customer looks like, and what an unmerge gives back. Pure functions over
 * {@link Customer} values, kept apart from the engine so the rules can be read (and tested) in one place.
 */
final class Survivorship {

    static final String DISPLAY_NAME = "displayName";
    static final String LANGUAGE = "language";
    static final String ATTRIBUTE_PREFIX = "attributes.";

    private Survivorship() {
    }

    /** The older customer survives: earlier {@code createdAt}, then the smaller id, so the choice is stable. */
    static boolean survives(Customer a, Customer b) {
        int c = a.createdAt().compareTo(b.createdAt());
        return c < 0 || (c == 0 && a.id().value().compareTo(b.id().value()) < 0);
    }

    /**
     * The survivor after absorbing {@code other}: accounts and contacts unioned (a verified observation beats an
     * unverified one of the same point), disagreeing single values kept as conflicts, preferences combined most
     * restrictively.
     */
    static Customer merge(Customer survivor, Customer other, String mergeSource, Instant now) {
        List<LinkedAccount> accounts = new ArrayList<>(survivor.accounts().size() + other.accounts().size());
        accounts.addAll(survivor.accounts());
        Set<AccountKey> keys = new HashSet<>();
        for (LinkedAccount a : survivor.accounts()) {
            keys.add(a.key());
        }
        for (LinkedAccount a : other.accounts()) {
            if (keys.add(a.key())) {
                accounts.add(a);
            }
        }
        List<CustomerContact> contacts = unionContacts(survivor.contacts(), other.contacts());

        List<AttributeConflict> conflicts = new ArrayList<>(survivor.conflicts());
        for (AttributeConflict c : other.conflicts()) {
            if (!conflicts.contains(c)) {
                conflicts.add(c);
            }
        }
        Optional<String> name = single(DISPLAY_NAME, survivor.displayName(), other, other.displayName(), conflicts, now);
        Optional<String> language = single(LANGUAGE, survivor.language(), other, other.language(), conflicts, now);
        Map<String, String> attributes = new HashMap<>(survivor.attributes());
        for (Map.Entry<String, String> e : other.attributes().entrySet()) {
            String mine = attributes.get(e.getKey());
            if (mine == null) {
                attributes.put(e.getKey(), e.getValue());
            } else if (!mine.equals(e.getValue())) {
                addConflict(conflicts, new AttributeConflict(ATTRIBUTE_PREFIX + e.getKey(), mine, e.getValue(),
                        other.id(), now));
            }
        }
        Preferences prefs = combine(survivor.preferences(), other.preferences(), mergeSource, now);
        return survivor.with(name, language, accounts, contacts, attributes, prefs, conflicts, Optional.empty(), now);
    }

    private static Optional<String> single(String attribute, Optional<String> mine, Customer other,
                                           Optional<String> theirs, List<AttributeConflict> conflicts, Instant now) {
        if (mine.isEmpty()) {
            return theirs;
        }
        if (theirs.isPresent() && !theirs.get().equals(mine.get())) {
            addConflict(conflicts, new AttributeConflict(attribute, mine.get(), theirs.get(), other.id(), now));
        }
        return mine;
    }

    private static void addConflict(List<AttributeConflict> conflicts, AttributeConflict c) {
        for (AttributeConflict existing : conflicts) {
            if (existing.attribute().equals(c.attribute()) && existing.otherValue().equals(c.otherValue())
                    && existing.keptValue().equals(c.keptValue())) {
                return; // already on record from an earlier merge
            }
        }
        conflicts.add(c);
    }

    /** Union by point, first list's order first; a verified observation replaces an unverified one. */
    static List<CustomerContact> unionContacts(List<CustomerContact> first, List<CustomerContact> second) {
        LinkedHashMap<ContactPoint, CustomerContact> byPoint = new LinkedHashMap<>();
        for (CustomerContact c : first) {
            byPoint.merge(c.point(), c, Survivorship::stronger);
        }
        for (CustomerContact c : second) {
            byPoint.merge(c.point(), c, Survivorship::stronger);
        }
        return new ArrayList<>(byPoint.values());
    }

    private static CustomerContact stronger(CustomerContact kept, CustomerContact incoming) {
        return !kept.verified() && incoming.verified() ? incoming : kept;
    }

    /**
     * Most restrictive combination: do-not-contact unioned, consent histories unioned, and for every purpose and
     * scope where either side's consent in force was a revocation but the union would read as a grant, a revocation
     * is appended at merge time. Preferred channel: the survivor's, else the other's.
     */
    static Preferences combine(Preferences mine, Preferences theirs, String source, Instant now) {
        Set<ChannelType> dnc = new HashSet<>(mine.doNotContact());
        dnc.addAll(theirs.doNotContact());
        List<Consent> consents = new ArrayList<>(mine.consents());
        for (Consent c : theirs.consents()) {
            if (!consents.contains(c)) {
                consents.add(c);
            }
        }
        Preferences union = new Preferences(mine.preferredChannel().or(theirs::preferredChannel), dnc, consents,
                mine.preferredChannel().isPresent() ? mine.fallbackChannels() : theirs.fallbackChannels(),
                mine.quietHours().or(theirs::quietHours), mine.language().or(theirs::language));
        if (mine.consents().isEmpty() || theirs.consents().isEmpty()) {
            return union; // nothing can flip when only one side has a history
        }
        Set<String> purposes = new LinkedHashSet<>();
        Set<Optional<ChannelType>> scopes = new LinkedHashSet<>();
        scopes.add(Optional.empty());
        for (Consent c : consents) {
            purposes.add(c.purpose());
            scopes.add(c.channelType());
        }
        List<Consent> revocations = new ArrayList<>();
        for (String purpose : purposes) {
            for (Optional<ChannelType> scope : scopes) {
                boolean revokedBefore = isRevoked(inForce(mine, purpose, scope)) || isRevoked(inForce(theirs, purpose, scope));
                Optional<Consent> after = inForce(union, purpose, scope);
                if (revokedBefore && after.isPresent() && after.get().granted()) {
                    revocations.add(new Consent(purpose, scope, false, now, source));
                }
            }
        }
        if (revocations.isEmpty()) {
            return union;
        }
        consents.addAll(revocations);
        return union.withConsents(consents);
    }

    private static boolean isRevoked(Optional<Consent> c) {
        return c.isPresent() && !c.get().granted();
    }

    /** The consent in force for a purpose in a scope: general consents apply to every scope, specific ones only to theirs. */
    static Optional<Consent> inForce(Preferences p, String purpose, Optional<ChannelType> scope) {
        Consent best = null;
        for (Consent c : p.consents()) {
            if (!c.purpose().equals(purpose)) {
                continue;
            }
            if (c.channelType().isPresent() && !c.channelType().equals(scope)) {
                continue;
            }
            if (best == null || !c.at().isBefore(best.at())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The survivor as it should be after undoing {@code record}: its state before the merge plus whatever it gained
     * afterwards that did not come from the absorbed customer. Observations made after the merge through one of the
     * absorbed customer's accounts go back with those accounts; everything else gained later stays.
     */
    static Customer restoreSurvivor(MergeRecord record, Customer current, Set<AccountKey> absorbedAccounts,
                                    Instant now) {
        Customer before = record.survivorBefore();
        Customer gone = record.absorbedBefore();
        List<LinkedAccount> accounts = new ArrayList<>();
        for (LinkedAccount a : current.accounts()) {
            if (!absorbedAccounts.contains(a.key())) {
                accounts.add(a);
            }
        }
        Set<ContactPoint> goneByPoint = byPoint(gone.contacts()).keySet();
        List<CustomerContact> contacts = new ArrayList<>();
        Set<ContactPoint> seen = new HashSet<>();
        for (CustomerContact c : before.contacts()) {
            CustomerContact now2 = find(current.contacts(), c.point());
            boolean laterOwn = now2 != null && now2.observedAt().isAfter(record.at())
                    && now2.via().map(v -> !absorbedAccounts.contains(v)).orElse(true) && now2.verified();
            contacts.add(laterOwn ? now2 : c);
            seen.add(c.point());
        }
        for (CustomerContact c : current.contacts()) {
            if (seen.contains(c.point())) {
                continue;
            }
            boolean throughAbsorbed = c.via().map(absorbedAccounts::contains).orElse(false);
            boolean cameFromAbsorbed = goneByPoint.contains(c.point()) && !c.observedAt().isAfter(record.at());
            if (!throughAbsorbed && !cameFromAbsorbed) {
                contacts.add(c);
            }
        }

        Optional<String> name = restoreSingle(before.displayName(), gone.displayName(), current.displayName());
        Optional<String> language = restoreSingle(before.language(), gone.language(), current.language());
        Map<String, String> attributes = new HashMap<>();
        Set<String> allKeys = new HashSet<>(current.attributes().keySet());
        allKeys.addAll(before.attributes().keySet());
        for (String k : allKeys) {
            restoreSingle(Optional.ofNullable(before.attributes().get(k)), Optional.ofNullable(gone.attributes().get(k)),
                    Optional.ofNullable(current.attributes().get(k))).ifPresent(v -> attributes.put(k, v));
        }
        List<AttributeConflict> conflicts = new ArrayList<>(before.conflicts());
        for (AttributeConflict c : current.conflicts()) {
            boolean fromThisMerge = c.from().equals(gone.id()) && c.at().equals(record.at());
            if (!conflicts.contains(c) && !gone.conflicts().contains(c) && !fromThisMerge) {
                conflicts.add(c);
            }
        }
        Preferences prefs = restorePreferences(before.preferences(), gone.preferences(), current.preferences(),
                mergeSource(record));
        Customer restored = before.with(name, language, accounts, contacts, attributes, prefs, conflicts,
                Optional.empty(), before.updatedAt());
        return sameContent(restored, before) ? before : restored.with(restored.displayName(), restored.language(),
                restored.accounts(), restored.contacts(), restored.attributes(), restored.preferences(),
                restored.conflicts(), Optional.empty(), now);
    }

    /**
     * The absorbed customer as it was before the merge, with its accounts in their current state (a block set after
     * the merge stays), plus observations made after the merge through its own accounts and revocations or
     * do-not-contact entries added after the merge (those were the person's wishes, whoever they turn out to be).
     */
    static Customer restoreAbsorbed(MergeRecord record, Customer current, Set<AccountKey> absorbedAccounts,
                                    Instant now) {
        Customer before = record.absorbedBefore();
        List<LinkedAccount> accounts = new ArrayList<>();
        for (LinkedAccount a : before.accounts()) {
            LinkedAccount live = current.account(a.key()).orElse(a);
            accounts.add(live);
        }
        List<CustomerContact> contacts = new ArrayList<>(before.contacts());
        Set<ContactPoint> have = byPoint(before.contacts()).keySet();
        for (CustomerContact c : current.contacts()) {
            if (c.observedAt().isAfter(record.at()) && c.via().map(absorbedAccounts::contains).orElse(false)) {
                if (have.contains(c.point())) {
                    if (c.verified() && !find(before.contacts(), c.point()).verified()) {
                        contacts.replaceAll(x -> x.point().equals(c.point()) ? c : x);
                    }
                } else {
                    contacts.add(c);
                }
            }
        }
        Preferences p = before.preferences();
        Preferences survivorBefore = record.survivorBefore().preferences();
        Set<ChannelType> dnc = new HashSet<>(p.doNotContact());
        for (ChannelType t : current.preferences().doNotContact()) {
            if (!survivorBefore.doNotContact().contains(t)) {
                dnc.add(t);
            }
        }
        List<Consent> consents = new ArrayList<>(p.consents());
        String source = mergeSource(record);
        for (Consent c : current.preferences().consents()) {
            if (!c.granted() && c.at().isAfter(record.at()) && !c.source().equals(source) && !consents.contains(c)) {
                consents.add(c);
            }
        }
        Preferences prefs = new Preferences(p.preferredChannel(), dnc, consents, p.fallbackChannels(), p.quietHours(),
                p.language());
        Customer restored = before.with(before.displayName(), before.language(), accounts, contacts,
                before.attributes(), prefs, before.conflicts(), Optional.empty(), before.updatedAt());
        return sameContent(restored, before) && !before.isMerged() ? before
                : restored.with(restored.displayName(), restored.language(), restored.accounts(), restored.contacts(),
                restored.attributes(), restored.preferences(), restored.conflicts(), Optional.empty(), now);
    }

    static String mergeSource(MergeRecord record) {
        return "merge:" + record.id().value();
    }

    private static Preferences restorePreferences(Preferences before, Preferences gone, Preferences current,
                                                  String mergeSource) {
        Set<ChannelType> dnc = new HashSet<>();
        for (ChannelType t : current.doNotContact()) {
            if (before.doNotContact().contains(t) || !gone.doNotContact().contains(t)) {
                dnc.add(t);
            }
        }
        List<Consent> consents = new ArrayList<>(before.consents());
        for (Consent c : current.consents()) {
            if (!consents.contains(c) && !gone.consents().contains(c) && !c.source().equals(mergeSource)) {
                consents.add(c);
            }
        }
        Optional<ChannelType> preferred = restoreSingle(before.preferredChannel(), gone.preferredChannel(),
                current.preferredChannel());
        Optional<List<ChannelType>> fallbacks = restoreSingle(nonEmpty(before.fallbackChannels()),
                nonEmpty(gone.fallbackChannels()), nonEmpty(current.fallbackChannels()));
        return new Preferences(preferred, dnc, consents, fallbacks.orElse(List.of()),
                restoreSingle(before.quietHours(), gone.quietHours(), current.quietHours()),
                restoreSingle(before.language(), gone.language(), current.language()));
    }

    private static <T> Optional<List<T>> nonEmpty(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list);
    }

    /**
     * A single value after unmerge: the value merged in was {@code before} if present, else {@code gone}; if the
     * current value is still that, restore {@code before}; otherwise it was changed after the merge, so keep it.
     */
    private static <T> Optional<T> restoreSingle(Optional<T> before, Optional<T> gone, Optional<T> current) {
        Optional<T> mergedValue = before.isPresent() ? before : gone;
        return current.equals(mergedValue) ? before : current;
    }

    private static boolean sameContent(Customer a, Customer b) {
        return a.displayName().equals(b.displayName()) && a.language().equals(b.language())
                && a.accounts().equals(b.accounts()) && a.contacts().equals(b.contacts())
                && a.attributes().equals(b.attributes()) && a.preferences().equals(b.preferences())
                && a.conflicts().equals(b.conflicts()) && a.mergedInto().equals(b.mergedInto());
    }

    private static Map<ContactPoint, CustomerContact> byPoint(List<CustomerContact> contacts) {
        Map<ContactPoint, CustomerContact> m = new HashMap<>();
        for (CustomerContact c : contacts) {
            m.put(c.point(), c);
        }
        return m;
    }

    private static CustomerContact find(List<CustomerContact> contacts, ContactPoint p) {
        for (CustomerContact c : contacts) {
            if (c.point().equals(p)) {
                return c;
            }
        }
        return null;
    }
}
