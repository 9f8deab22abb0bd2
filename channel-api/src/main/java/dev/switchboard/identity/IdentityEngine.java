package dev.switchboard.identity;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which channel accounts belong to the same person. Every inbound event's account is {@link #resolve resolved}
 * to a canonical {@link Customer}; verified evidence (a phone shared through the platform's own contact button, the
 * sender address of a received email, a host-signed user id, an explicit {@link #link}) merges customers
 * automatically, while anything weaker (a phone typed in a message, a similar name in another script) only produces a
 * {@link MergeSuggestion} for an agent. Merges are logged with their evidence and can be {@link #unmerge undone}.
 *
 * <p>The engine keeps no state of its own: everything lives in the {@link IdentityTransaction} it is handed, so it is
 * safe to share between threads and to re-run when a store retries a transaction. Nothing crosses tenants: every
 * lookup is scoped by the tenant of the account or id it is given. See {@code docs/identity.md} for the rules.
 */
public final class IdentityEngine {

    /** The actor recorded on merges and suggestions the engine makes by itself. */
    public static final String ENGINE_ACTOR = "identity-engine";

    private static final Logger LOG = LoggerFactory.getLogger(IdentityEngine.class);
    /** Longest mergedInto chain followed before declaring the store corrupt (a cycle). */
    private static final int MAX_CHAIN = 10_000;
    /** Score of a suggestion from a contact point both customers hold. */
    private static final double SHARED_POINT_SCORE = 0.9;
    /** Score of a suggestion from a contact point one of them only typed. */
    private static final double TYPED_POINT_SCORE = 0.8;
    /** Name scores are capped below contact-point scores: two people may share a name. */
    private static final double MAX_NAME_SCORE = 0.85;
    /** At most this many name-only suggestions per event. */
    private static final int MAX_NAME_SUGGESTIONS = 3;

    private final ContactNormalizer normalizer;
    private final Clock clock;
    private final double suggestionThreshold;
    private final double alignmentFloor;
    private final Supplier<String> idGenerator;
    private final int maxNameCandidates;
    private final int commonNameCustomers;
    private final int sharedPointCustomers;
    /** Holders read per point: one past the shared-point limit is enough to see that a point is shared. */
    private final int holderLimit;
    /**
     * Name -> spelling-skeleton tokens. Names repeat (the same display name is compared every time a namesake shows
     * up), and transliterating is the most expensive part of scoring a candidate. Pure function, so sharing is safe.
     */
    private final TokenCache nameTokens;
    /** Undoes automatic merges made through a point that turned out to be shared (order independence). */
    private final AmbiguitySplitter splitter = new AmbiguitySplitter(this);
    /** The given-name table names are matched with. */
    private final GivenNames givenNames;
    /** Verifies the tokens of host-signed deep links; null when the host configured none. */
    private final SignedDeepLinks deepLinks;
    /** Off only in the test that shows the order-independence property catches a greedy, never-undoing engine. */
    private final boolean undoThroughAmbiguous;

    /** What one call did so far: the merges it made (and still stand), the suggestions it raised, whether it split. */
    static final class Outcome {
        final List<MergeRecord> merges = new ArrayList<>(0);
        final List<MergeSuggestion> suggestions = new ArrayList<>(0);
        boolean split;
    }

    private IdentityEngine(Builder b) {
        this.normalizer = new ContactNormalizer(b.defaultRegion, b.gmailDotsInsensitive);
        this.clock = b.clock;
        this.suggestionThreshold = b.suggestionThreshold;
        // a name score is the cube of its weakest token alignment: below this alignment it cannot reach the threshold
        // (a hair of slack, so rounding in the cube root never turns away a pair the threshold would accept)
        this.alignmentFloor = Math.cbrt(b.suggestionThreshold) - 1e-9;
        this.idGenerator = b.idGenerator;
        this.maxNameCandidates = b.maxNameCandidates;
        this.commonNameCustomers = b.commonNameCustomers;
        this.sharedPointCustomers = b.sharedPointCustomers;
        this.holderLimit = b.sharedPointCustomers == Integer.MAX_VALUE ? Integer.MAX_VALUE : b.sharedPointCustomers + 1;
        this.nameTokens = new TokenCache(b.nameCacheSize, b.givenNames);
        this.undoThroughAmbiguous = b.undoThroughAmbiguous;
        this.deepLinks = b.deepLinks;
        this.givenNames = b.givenNames;
    }

    private List<String> tokens(String name) {
        return nameTokens.get(name);
    }

    /**
     * A direct-mapped cache of {@link NameMatcher#tokens}: one slot per name hash, a colliding name replaces the
     * slot's entry. A general-purpose cache (recency bookkeeping, eviction policy, a concurrent map underneath) cost
     * more per lookup than transliterating a short name, and at a million customers most lookups miss anyway.
     * Deliberately unsynchronised: entries are immutable records (final fields, so safely published even through a
     * data race), and a lost write only costs a recomputation.
     */
    private static final class TokenCache {
        /** The name's hash is kept so that a slot holding another name is told apart without touching its text. */
        private record Entry(int hash, String name, List<String> tokens) {
        }

        private final Entry[] slots;
        private final int mask;
        private final GivenNames names;

        TokenCache(long size, GivenNames names) {
            this.names = names;
            if (size <= 0) {
                slots = null;
                mask = 0;
            } else {
                int n = Integer.highestOneBit((int) Math.min(size, 1 << 26) - 1) << 1;
                slots = new Entry[Math.max(2, n)];
                mask = slots.length - 1;
            }
        }

        List<String> get(String name) {
            if (slots == null) {
                return NameMatcher.tokens(name, names);
            }
            int h = name.hashCode();
            int at = (h ^ (h >>> 16)) & mask;
            Entry e = slots[at];
            if (e != null && e.hash == h && e.name.equals(name)) {
                return e.tokens;
            }
            List<String> tokens = NameMatcher.tokens(name, names);
            slots[at] = new Entry(h, name, tokens);
            return tokens;
        }
    }

    /** A builder with the defaults documented on each option. */
    public static Builder builder() {
        return new Builder();
    }

    /** The normaliser the engine applies to every evidence point, for channels that want to pre-normalise. */
    public ContactNormalizer normalizer() {
        return normalizer;
    }

    // ---------------------------------------------------------------------------------------------- resolve

    /**
     * Finds or creates the customer behind an account and applies the evidence the event carried. Evidence points
     * may be raw ("+7 916 123-45-67"); they are normalised here and silently skipped when they do not parse. Evidence
     * arriving through a blocked account is ignored. Re-running the same call is harmless.
     */
    public Resolution resolve(IdentityTransaction tx, ChannelAccount account, List<Evidence> evidence) {
        Objects.requireNonNull(tx, "tx");
        return resolve(tx, prepare(account, evidence));
    }

    /**
     * Does the part of {@link #resolve} that needs no store: normalises every evidence point (leaving out those that
     * do not parse) and computes the display name's tokens, blocking keys and index form. Thread-safe; call it before
     * opening the transaction to keep the transaction short, then {@link #resolve(IdentityTransaction, PreparedAccount)}.
     */
    public PreparedAccount prepare(ChannelAccount account, List<Evidence> evidence) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(evidence, "evidence");
        AccountKey normalizedKey = accountKey(account.key());
        if (normalizedKey != account.key()) {
            account = new ChannelAccount(normalizedKey, account.profile());
        }
        List<Evidence> normalized = new ArrayList<>(evidence.size());
        for (Evidence e : evidence) {
            if (e.point().kind() == ContactPoint.Kind.SIGNED_LINK) {
                // a host-signed deep link: the user id it names, verified, or nothing (a bad link is no error)
                if (deepLinks == null) {
                    LOG.debug("ignored a signed deep link from {}: no SignedDeepLinks configured", e.source());
                } else {
                    deepLinks.evidence(account.tenant(), e).ifPresent(normalized::add);
                }
                continue;
            }
            Optional<ContactPoint> point = normalizer.normalize(e.point());
            if (point.isEmpty()) {
                LOG.debug("skipping {} evidence from {}: not a valid {}", e.point().kind(), e.source(),
                        e.point().kind());
            } else {
                normalized.add(point.get().equals(e.point()) ? e
                        : new Evidence(point.get(), e.verified(), e.source(), e.observedAt()));
            }
        }
        Optional<PreparedAccount.Name> name = stripped(account.profile().displayName()).map(n -> {
            List<String> tokens = tokens(n);
            return new PreparedAccount.Name(n, tokens, NameMatcher.keys(tokens), NameMatcher.form(tokens),
                    NameMatcher.typoKeys(tokens, givenNames));
        });
        return new PreparedAccount(account, normalized, name);
    }

    /**
     * {@link #resolve(IdentityTransaction, ChannelAccount, List)} for an account {@linkplain #prepare prepared} ahead of
     * the transaction. The result is the same; only the store work is left to do here.
     */
    public Resolution resolve(IdentityTransaction tx, PreparedAccount prepared) {
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(prepared, "prepared");
        ChannelAccount account = prepared.account();
        List<Evidence> evidence = prepared.evidence();
        TenantId tenant = account.tenant();
        AccountKey key = account.key();
        Instant now = clock.instant();

        Optional<CustomerId> owner = tx.customerByAccount(key);
        Customer customer;
        boolean created = false;
        boolean nameChanged = false;
        boolean dirty = false;
        if (owner.isPresent()) {
            customer = load(tx, tenant, canonical(tx, tenant, owner.get()));
            Optional<LinkedAccount> linked = customer.account(key);
            if (linked.isEmpty()) {
                // a store that leaves accounts on tombstones: carry the account over to the canonical customer
                customer = customer.withAccounts(append(customer.accounts(),
                        new LinkedAccount(account, "carried-over", now, false)), now);
                dirty = true;
            } else if (!linked.get().account().profile().equals(account.profile())
                    && !account.profile().equals(Profile.EMPTY)) {
                LinkedAccount updated = linked.get().withAccount(account);
                List<LinkedAccount> accounts = new ArrayList<>(customer.accounts());
                accounts.replaceAll(a -> a.key().equals(key) ? updated : a);
                customer = customer.withAccounts(accounts, now);
                dirty = true;
            }
            Customer filled = fillFromProfile(customer, account.profile(), now);
            if (filled != customer) {
                nameChanged = !filled.displayName().equals(customer.displayName());
                customer = filled;
                dirty = true;
            }
        } else {
            customer = null; // built below, once its contacts are known (the record copies its lists when built)
            created = true;
            dirty = true;
        }
        boolean blocked = !created && customer.account(key).map(LinkedAccount::blocked).orElse(false);

        // attach evidence to the customer; only points that are new (or newly verified) need the merge rules
        List<Evidence> fresh = new ArrayList<>(evidence.size());
        List<CustomerContact> contacts = null;
        if (!blocked && !evidence.isEmpty()) {
            List<CustomerContact> known = created ? List.of() : customer.contacts();
            Optional<AccountKey> via = Optional.of(key); // one per event, shared by the contacts it brings
            for (Evidence e : evidence) {
                ContactPoint p = e.point(); // normalised by prepare
                List<CustomerContact> current = contacts == null ? known : contacts;
                int at = indexOf(current, p);
                if (at >= 0 && (current.get(at).verified() || !e.verified())) {
                    continue; // already known at least as strongly
                }
                if (contacts == null) {
                    contacts = new ArrayList<>(known);
                }
                CustomerContact contact = new CustomerContact(p, e.verified(), e.source(), e.observedAt(), via);
                if (at >= 0) {
                    contacts.set(at, contact);
                } else {
                    contacts.add(contact);
                }
                fresh.add(e);
            }
        }
        if (created) {
            // built in one step: same result as create, then fill from the profile, attach the account and contacts
            Profile profile = account.profile();
            // prepare() already stripped the display name (a blank one is no name): reuse it, not a second strip
            Optional<String> name = prepared.name().map(PreparedAccount.Name::name);
            customer = new Customer(tenant, new CustomerId(idGenerator.get()), name, stripped(profile.language()),
                    List.of(new LinkedAccount(account, "first-contact", now, false)),
                    contacts == null ? List.of() : contacts, Map.of(), Preferences.NONE, List.of(), Optional.empty(),
                    now, now);
            nameChanged = customer.displayName().isPresent();
        } else if (contacts != null) {
            customer = customer.withContacts(contacts, now);
            dirty = true;
        }
        if (dirty) {
            tx.saveCustomer(customer);
        }
        PreparedAccount.Name ownName = null;
        if (nameChanged) {
            // the prepared keys are the customer's when its name is the profile's and no conflicting name adds keys
            Optional<PreparedAccount.Name> profileName = prepared.name();
            ownName = profileName.isPresent() && customer.conflicts().isEmpty()
                    && customer.displayName().equals(Optional.of(profileName.get().name())) ? profileName.get() : null;
            if (ownName != null) {
                tx.saveNameKeys(tenant, customer.id(), ownName.keys(), ownName.form());
            } else {
                tx.saveNameKeys(tenant, customer.id(), nameKeys(customer), nameForm(customer));
            }
        }

        CustomerId current = customer.id();
        Outcome out = new Outcome();
        for (Evidence e : fresh) {
            current = e.verified()
                    ? applyVerified(tx, tenant, current, e, key, now, out)
                    : applyUnverified(tx, tenant, current, e, now, out.suggestions);
        }
        if (nameChanged) {
            suggestByName(tx, tenant, current, now, out.suggestions, current.equals(customer.id()) ? ownName : null);
        }
        Customer result = out.merges.isEmpty() && !out.split ? customer : load(tx, tenant, current);
        return new Resolution(result, created, out.merges, out.suggestions);
    }

    /**
     * The key an account is stored under: an account id that is an email address (the email channel's sender) is the
     * normalised address, so " JOHN.Doe@Example.com" and "john.doe@example.com" name one account. Other ids are
     * kept as they are (the same instance, so the common case allocates nothing).
     */
    AccountKey accountKey(AccountKey key) {
        String id = key.platformUserId();
        if (id.indexOf('@') < 0) {
            return key;
        }
        Optional<ContactPoint> email = normalizer.email(id);
        if (email.isEmpty() || email.get().value().equals(id)) {
            return key;
        }
        return new AccountKey(key.tenant(), key.channel(), email.get().value());
    }

    /** Non-blank value stripped; the profile's own Optional when already stripped (a million customers share it). */
    private static Optional<String> stripped(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return Optional.empty();
        }
        String s = value.get().strip();
        return s.equals(value.get()) ? value : Optional.of(s);
    }

    private static Customer fillFromProfile(Customer c, Profile profile, Instant now) {
        // the profile is only read for what the customer lacks: a known customer's events skip both scans
        Optional<String> name = c.displayName().isEmpty() ? stripped(profile.displayName()) : Optional.empty();
        Optional<String> lang = c.language().isEmpty() ? stripped(profile.language()) : Optional.empty();
        if (name.isEmpty() && lang.isEmpty()) {
            return c;
        }
        return c.with(name.isPresent() ? name : c.displayName(), lang.isPresent() ? lang : c.language(), c.accounts(),
                c.contacts(), c.attributes(), c.preferences(), c.conflicts(), c.mergedInto(), now);
    }

    /**
     * Applies one verified point of the account {@code via} on customer {@code self}: merges with the other customers
     * that verified it, unless the point is (or now turns out to be) ambiguous; then it suggests instead, and the
     * automatic merges made through it earlier are undone ({@link AmbiguitySplitter}). Returns the customer the
     * account belongs to afterwards.
     */
    CustomerId applyVerified(IdentityTransaction tx, TenantId tenant, CustomerId self, Evidence e, AccountKey via,
                             Instant now, Outcome out) {
        List<MergeSuggestion> suggestions = out.suggestions;
        ContactPoint p = e.point();
        Set<CustomerId> holders = tx.customersByContact(tenant, p, holderLimit);
        if (holders.size() <= 1) {
            return self; // only us: the common case, no further lookups
        }
        if (holders.size() > sharedPointCustomers) {
            // held by this many customers the point is shared (a business's hotline, a reseller's address): it
            // identifies nobody, so it neither merges nor suggests, and reading every holder on every event would
            // make each new one cost more than the last
            if (!tx.isAmbiguous(tenant, p)) {
                tx.markAmbiguous(tenant, p);
                if (undoThroughAmbiguous && splitter.split(tx, tenant, p, List.copyOf(holders), now, out)) {
                    return ownerOf(tx, tenant, via);
                }
            }
            return self;
        }
        List<Customer> verifiedOthers = new ArrayList<>();
        List<Customer> unverifiedOthers = new ArrayList<>();
        for (CustomerId h : holders) {
            CustomerId c = canonical(tx, tenant, h);
            if (c.equals(self)) {
                continue;
            }
            Customer other = load(tx, tenant, c);
            (other.hasVerified(p) ? verifiedOthers : unverifiedOthers).add(other);
        }
        boolean ambiguous = tx.isAmbiguous(tenant, p);
        if (!ambiguous && !verifiedOthers.isEmpty()) {
            Customer me = load(tx, tenant, self);
            for (Customer other : verifiedOthers) {
                if (knownDifferent(tx, tenant, me, other, p, via)) {
                    ambiguous = true;
                    break;
                }
            }
            if (!ambiguous && anyAuthoritative(verifiedOthers)) {
                // different host user ids are different people: a point that would join them is shared
                List<Customer> joined = new ArrayList<>(verifiedOthers.size() + 1);
                joined.add(me);
                joined.addAll(verifiedOthers);
                ambiguous = AuthoritativeIds.conflict(joined);
            }
            if (ambiguous) {
                tx.markAmbiguous(tenant, p);
                LOG.debug("contact point of kind {} in tenant {} is held by different people; it no longer merges "
                        + "automatically", p.kind(), tenant);
                if (undoThroughAmbiguous && splitter.split(tx, tenant, p, List.copyOf(holders), now, out)) {
                    // the holders are other customers now: suggest between every two that verified the point
                    self = ownerOf(tx, tenant, via);
                    suggestBetweenHolders(tx, tenant, p, now, suggestions);
                    return self;
                }
            }
        }
        if (ambiguous) {
            for (Customer other : verifiedOthers) {
                suggest(tx, tenant, self, other.id(), SHARED_POINT_SCORE,
                        () -> "both verified " + p + ", which is shared by several people", now, suggestions);
            }
        } else {
            for (Customer other : verifiedOthers) {
                CustomerId target = canonical(tx, tenant, other.id());
                if (target.equals(self)) {
                    continue;
                }
                MergeRecord r = doMerge(tx, tenant, self, target, List.of(e),
                        "both verified " + p + " (" + e.source() + ")", ENGINE_ACTOR, now);
                out.merges.add(r);
                self = r.survivor();
            }
        }
        for (Customer other : unverifiedOthers) {
            suggest(tx, tenant, self, other.id(), TYPED_POINT_SCORE,
                    () -> "verified " + p + " (" + e.source() + ") matches one the other customer typed", now,
                    suggestions);
        }
        return self;
    }

    private static boolean anyAuthoritative(List<Customer> customers) {
        for (Customer c : customers) {
            if (AuthoritativeIds.any(c)) {
                return true;
            }
        }
        return false;
    }

    /** The canonical customer owning an account. */
    private CustomerId ownerOf(IdentityTransaction tx, TenantId tenant, AccountKey account) {
        CustomerId owner = tx.customerByAccount(account)
                .orElseThrow(() -> new IllegalStateException("no customer owns account " + account));
        return canonical(tx, tenant, owner);
    }

    /** A suggestion between every two customers that verified an ambiguous point (a family phone's holders). */
    private void suggestBetweenHolders(IdentityTransaction tx, TenantId tenant, ContactPoint p, Instant now,
                                       List<MergeSuggestion> suggestions) {
        List<CustomerId> verified = new ArrayList<>();
        for (CustomerId h : tx.customersByContact(tenant, p, holderLimit)) {
            CustomerId c = canonical(tx, tenant, h);
            if (!verified.contains(c) && load(tx, tenant, c).hasVerified(p)) {
                verified.add(c);
            }
        }
        for (int i = 0; i < verified.size(); i++) {
            for (int j = i + 1; j < verified.size(); j++) {
                suggest(tx, tenant, verified.get(i), verified.get(j), SHARED_POINT_SCORE,
                        () -> "both verified " + p + ", which is shared by several people", now, suggestions);
            }
        }
    }

    private CustomerId applyUnverified(IdentityTransaction tx, TenantId tenant, CustomerId self, Evidence e, Instant now,
                                       List<MergeSuggestion> suggestions) {
        Set<CustomerId> holders = tx.customersByContact(tenant, e.point(), holderLimit);
        if (holders.size() <= 1 || holders.size() > sharedPointCustomers) {
            // only us, or a shared point (see applyVerified): a suggestion for each of a hundred customers who
            // typed the shop's own phone would pair everyone with everyone, one agent decision per pair
            return self;
        }
        for (CustomerId h : holders) {
            if (!h.equals(self)) {
                suggest(tx, tenant, self, h, TYPED_POINT_SCORE,
                        () -> "same " + e.point() + " (" + e.source() + ", unverified)", now, suggestions);
            }
        }
        return self;
    }

    /**
     * Whether two customers holding the same verified point are known to be different people: marked distinct (an
     * undone merge, a rejected suggestion), or, for a phone, each verified it through a different account of the same
     * channel (two Telegram users cannot both own one number: it is a family phone or a recycled one).
     */
    private boolean knownDifferent(IdentityTransaction tx, TenantId tenant, Customer me, Customer other, ContactPoint p,
                                   AccountKey via) {
        if (distinct(tx, tenant, me.id(), other.id())) {
            return true;
        }
        if (p.kind() != ContactPoint.Kind.PHONE || carriesHostId(me, via)) {
            return false; // a host-signed phone: the host user ids decide (AuthoritativeIds), not the channel
        }
        for (AccountKey theirs : verifiersOf(tx, tenant, other, p)) {
            if (theirs.channel().equals(via.channel()) && !theirs.equals(via) && me.account(theirs).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The accounts through which a customer, or any customer merged into it, verified a point. A customer keeps one
     * contact per point, so a merge of two holders of the same verified phone keeps one of the two accounts that
     * verified it; the other is still in the merge log's before-images. Without it, a family phone verified by the
     * mother's Telegram and the son's Viber (one customer: nothing told them apart) would let the daughter's Viber
     * account, verifying the same phone, merge into them as well.
     */
    private Set<AccountKey> verifiersOf(IdentityTransaction tx, TenantId tenant, Customer c, ContactPoint p) {
        Set<AccountKey> out = new LinkedHashSet<>(2);
        addVerifiers(c, p, out);
        if (tx.mergesOf(tenant, c.id()).isEmpty()) {
            return out; // never merged: the common case
        }
        for (CustomerId id : identities(tx, tenant, c.id())) {
            for (MergeRecord r : tx.mergesOf(tenant, id)) {
                if (r.survivor().equals(id) && !r.isUndone()) {
                    addVerifiers(r.survivorBefore(), p, out);
                    addVerifiers(r.absorbedBefore(), p, out);
                }
            }
        }
        return out;
    }

    /**
     * Adds the accounts that verified the point as their own (a Telegram or Viber user's number), leaving out accounts
     * that carry a host user id: the host signs a phone for its user, and two visitor ids of one user may both sign it.
     */
    private static void addVerifiers(Customer c, ContactPoint p, Set<AccountKey> out) {
        for (CustomerContact contact : c.contacts()) {
            if (contact.verified() && contact.point().equals(p) && contact.via().isPresent()
                    && !carriesHostId(c, contact.via().get())) {
                out.add(contact.via().get());
            }
        }
    }

    /** Whether the customer holds a verified host user id observed through this account. */
    private static boolean carriesHostId(Customer c, AccountKey account) {
        for (CustomerContact contact : c.contacts()) {
            if (contact.verified() && contact.point().kind() == ContactPoint.Kind.EXTERNAL_ID
                    && contact.via().isPresent() && contact.via().get().equals(account)) {
                return true;
            }
        }
        return false;
    }

    /** Distinct if any identity folded into one was marked distinct from any identity folded into the other. */
    private boolean distinct(IdentityTransaction tx, TenantId tenant, CustomerId a, CustomerId b) {
        return distinct(tx, tenant, a, b, tx.mergesOf(tenant, a).isEmpty() && tx.mergesOf(tenant, b).isEmpty());
    }

    /** {@link #distinct(IdentityTransaction, TenantId, CustomerId, CustomerId)}, told whether either ever merged. */
    private boolean distinct(IdentityTransaction tx, TenantId tenant, CustomerId a, CustomerId b, boolean neverMerged) {
        if (tx.areDistinct(tenant, a, b)) {
            return true;
        }
        if (neverMerged) {
            // never merged either way (every merge, and so every tombstone, has a record): each is its only identity,
            // and that pair was just checked; the common case, without building two identity sets
            return false;
        }
        return distinctIdentities(tx, tenant, identities(tx, tenant, a), identities(tx, tenant, b));
    }

    /** Whether any of the first identities was marked distinct from any of the second (the pair itself aside). */
    private static boolean distinctIdentities(IdentityTransaction tx, TenantId tenant, Set<CustomerId> as,
                                              Set<CustomerId> bs) {
        if (as.size() == 1 && bs.size() == 1) {
            return false;
        }
        for (CustomerId x : as) {
            for (CustomerId y : bs) {
                if (tx.areDistinct(tenant, x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------- names

    private Set<String> nameKeys(Customer c) {
        Set<String> names = new LinkedHashSet<>();
        c.displayName().ifPresent(names::add);
        for (var conflict : c.conflicts()) {
            if (conflict.attribute().equals(Survivorship.DISPLAY_NAME)) {
                names.add(conflict.otherValue());
            }
        }
        if (names.isEmpty()) {
            return Set.of();
        }
        if (names.size() == 1) {
            return NameMatcher.keys(tokens(names.iterator().next()));
        }
        Set<String> keys = new HashSet<>();
        for (String n : names) {
            keys.addAll(NameMatcher.keys(tokens(n)));
        }
        return keys;
    }

    /** The form of the customer's display name as the name index keeps it; empty without a name. */
    private String nameForm(Customer c) {
        return c.displayName().map(n -> NameMatcher.form(tokens(n))).orElse("");
    }

    /** @param known {@code self}'s display name with its keys and form when the caller has them at hand, else null */
    private void suggestByName(IdentityTransaction tx, TenantId tenant, CustomerId self, Instant now,
                               List<MergeSuggestion> suggestions, PreparedAccount.Name known) {
        Customer me = load(tx, tenant, self);
        if (me.displayName().isEmpty()) {
            return;
        }
        String myName = me.displayName().get();
        if (known == null || !known.name().equals(myName)) {
            List<String> mine = tokens(myName);
            known = new PreparedAccount.Name(myName, mine, NameMatcher.keys(mine), NameMatcher.form(mine),
                    NameMatcher.typoKeys(mine, givenNames));
        }
        Set<String> keys = known.keys();
        if (keys.isEmpty()) {
            return;
        }
        String myForm = known.form();
        int[] myBounds = null; // the name split into tokens once, when the first candidate needs aligning
        Set<String> typoKeys = known.typoKeys();
        // one key (a two-word name without typo keys) lists each customer once: nothing to deduplicate
        CandidateBudget budget = new CandidateBudget(self, maxNameCandidates, keys.size() > 1 || !typoKeys.isEmpty());
        List<MergeSuggestion> found = new ArrayList<>(0);
        // the name's own keys first, then its typo keys (those it does not have already)
        Iterator<String> own = keys.iterator();
        Iterator<String> typos = typoKeys.iterator();
        while (own.hasNext() || typos.hasNext()) {
            String key;
            if (own.hasNext()) {
                key = own.next();
            } else {
                key = typos.next();
                if (keys.contains(key)) {
                    continue;
                }
            }
            // candidates are scored from the form the index keeps, and only a close one is read: most candidates of
            // a key are near-namesakes below the threshold, and reading each (customer, name, tokens) was most of
            // this step's cost at a million customers
            List<IndexedName> bucket = tx.indexedNames(tenant, key);
            if (bucket.size() > commonNameCustomers) {
                // a common name (the tenth "Ivan Petrov") identifies nobody: a suggestion would pair this customer
                // with an arbitrary namesake, so the key is skipped before any candidate is scored
                continue;
            }
            for (IndexedName candidate : bucket) {
                if (budget.exhausted()) {
                    break; // a huge bucket (a very common name) says little; cap the work per event
                }
                CustomerId id = candidate.customer();
                // Comparing ids costs a read of each (a cache miss apiece at a million customers), so it waits until
                // a candidate scores (see CandidateBudget). Only the identity check is free, and it catches this
                // customer in a store that hands out saved ids.
                if (id == self) {
                    continue;
                }
                // an exact namesake scores 1 before the cap (identical token lists, at least two of them since the
                // name has keys): skip aligning its tokens, the common case among namesakes
                double score;
                if (candidate.form().equals(myForm)) {
                    score = Math.min(MAX_NAME_SCORE, 1);
                } else {
                    if (myBounds == null) {
                        myBounds = NameMatcher.bounds(myForm);
                    }
                    score = Math.min(MAX_NAME_SCORE,
                            NameMatcher.similarity(myForm, myBounds, candidate.form(), alignmentFloor));
                }
                if (score < suggestionThreshold) {
                    budget.spendOnLow(id);
                    continue;
                }
                if (!budget.admit(id)) {
                    continue;
                }
                budget.spend();
                Optional<Customer> other = tx.customer(tenant, id);
                if (other.isEmpty() || other.get().isMerged() || other.get().displayName().isEmpty()) {
                    continue;
                }
                String otherName = other.get().displayName().get();
                suggest(tx, tenant, self, id, score,
                        () -> "similar names: \"" + myName + "\" and \"" + otherName + "\"", now, found);
                if (found.size() == MAX_NAME_SUGGESTIONS) {
                    suggestions.addAll(found);
                    return;
                }
            }
        }
        suggestions.addAll(found);
    }

    /**
     * The name candidates one event may score ({@link Builder#maxNameCandidates}), and, when the event looks under
     * several keys, which customers it has looked at already (one listed under two keys counts once). Whether a
     * candidate is this customer or one seen before is an equality check that reads its id, a cache miss apiece at a
     * million customers, and a candidate scoring below the threshold needs it only for the count. So for such a
     * candidate the check is put off, and run later in the same order with the same outcome, only when it matters:
     * when the count could reach the budget, or before a candidate that scores is checked.
     */
    private static final class CandidateBudget {
        private final CustomerId self;
        private final boolean dedup;
        private int left;
        /** Candidates that scored below the threshold and are not checked yet, in the order they came. */
        private CustomerId[] unchecked;
        private int uncheckedCount;
        private Set<CustomerId> seen;

        CandidateBudget(CustomerId self, int budget, boolean dedup) {
            this.self = self;
            this.left = budget;
            this.dedup = dedup;
        }

        /** Whether no candidate may be scored any more. */
        boolean exhausted() {
            if (left - uncheckedCount > 0) {
                return false; // even if every unchecked candidate counts, some budget is left
            }
            settle();
            return left == 0;
        }

        /** A candidate that scored below the threshold: it counts unless it is this customer or one seen before. */
        void spendOnLow(CustomerId id) {
            if (!dedup) {
                left--;
                return;
            }
            if (unchecked == null) {
                unchecked = new CustomerId[8];
            } else if (uncheckedCount == unchecked.length) {
                unchecked = Arrays.copyOf(unchecked, 2 * uncheckedCount);
            }
            unchecked[uncheckedCount++] = id;
        }

        /** Whether a candidate that scores is another customer, not looked at before (then it is recorded). */
        boolean admit(CustomerId id) {
            if (!dedup) {
                return !id.equals(self);
            }
            settle();
            return firstLook(id);
        }

        /** Counts a candidate that scores. */
        void spend() {
            left--;
        }

        private boolean firstLook(CustomerId id) {
            if (id.equals(self)) {
                return false;
            }
            if (seen == null) {
                seen = new HashSet<>();
            }
            return seen.add(id);
        }

        private void settle() {
            for (int i = 0; i < uncheckedCount; i++) {
                if (firstLook(unchecked[i])) {
                    left--;
                }
                unchecked[i] = null;
            }
            uncheckedCount = 0;
        }
    }

    // ---------------------------------------------------------------------------------------------- suggestions

    /** @param reason why, made only when the suggestion is recorded (most calls find the pair suggested already) */
    private void suggest(IdentityTransaction tx, TenantId tenant, CustomerId a, CustomerId b, double score,
                         Supplier<String> reason, Instant now, List<MergeSuggestion> out) {
        CustomerId ca = canonical(tx, tenant, a);
        CustomerId cb = canonical(tx, tenant, b);
        if (ca.equals(cb)) {
            return;
        }
        // every id that resolves to ca or cb other than themselves got there through a merge they survived
        boolean neverMerged = tx.mergesOf(tenant, ca).isEmpty() && tx.mergesOf(tenant, cb).isEmpty();
        if (tx.areDistinct(tenant, ca, cb)) {
            return;
        }
        // a suggestion is listed under the ids it was made for; one made for a customer merged into ca since is
        // listed under that customer's id, so every identity of ca is looked at (only ca itself without merges)
        Set<CustomerId> listedUnder;
        if (neverMerged) {
            listedUnder = Set.of(ca);
        } else {
            listedUnder = identities(tx, tenant, ca);
            if (distinctIdentities(tx, tenant, listedUnder, identities(tx, tenant, cb))) {
                return;
            }
        }
        for (CustomerId id : listedUnder) {
            for (MergeSuggestion s : tx.suggestionsOf(tenant, id)) {
                if (s.status() == MergeSuggestion.Status.OPEN || s.status() == MergeSuggestion.Status.REJECTED) {
                    CustomerId f = neverMerged ? s.first() : canonical(tx, tenant, s.first());
                    CustomerId g = neverMerged ? s.second() : canonical(tx, tenant, s.second());
                    if ((f.equals(ca) && g.equals(cb)) || (f.equals(cb) && g.equals(ca))) {
                        return; // already waiting for (or refused by) an agent
                    }
                }
            }
        }
        MergeSuggestion s = new MergeSuggestion(tenant, new SuggestionId(idGenerator.get()), ca, cb, score,
                List.of(reason.get()), MergeSuggestion.Status.OPEN, now, Optional.empty(), Optional.empty());
        tx.saveSuggestion(s);
        out.add(s);
    }

    /**
     * The tenant's open suggestions, highest score first, as an agent should see them: named by the customers' current
     * (canonical) ids, never a customer paired with itself, each pair once (the highest-scored suggestion of a pair).
     */
    public List<MergeSuggestion> suggestions(IdentityTransaction tx, TenantId tenant, int limit) {
        return OpenSuggestions.list(tx, tenant, limit, id -> canonical(tx, tenant, id));
    }

    /**
     * Accepts (merges the pair, recording the agent as actor) or rejects (marks the two as different people so they
     * are never suggested or auto-merged again) an open suggestion. Returns the decided suggestion.
     *
     * @throws NoSuchElementException when the suggestion does not exist in this tenant
     * @throws IllegalStateException when it was already decided
     */
    public MergeSuggestion decide(IdentityTransaction tx, TenantId tenant, SuggestionId id, boolean accept, String actor) {
        Objects.requireNonNull(actor, "actor");
        MergeSuggestion s = tx.suggestion(tenant, id)
                .orElseThrow(() -> new NoSuchElementException("no suggestion " + id + " in tenant " + tenant));
        if (s.status() != MergeSuggestion.Status.OPEN) {
            throw new IllegalStateException("suggestion " + id + " is already " + s.status());
        }
        Instant now = clock.instant();
        CustomerId a = canonical(tx, tenant, s.first());
        CustomerId b = canonical(tx, tenant, s.second());
        if (accept) {
            if (!a.equals(b)) {
                doMerge(tx, tenant, a, b, List.of(), "suggestion " + id + " accepted: " + String.join("; ", s.reasons()),
                        actor, now);
            }
        } else if (!a.equals(b)) {
            tx.markDistinct(tenant, a, b);
            if (!a.equals(s.first()) || !b.equals(s.second())) {
                tx.markDistinct(tenant, s.first(), s.second());
            }
        }
        MergeSuggestion decided = s.decided(accept ? MergeSuggestion.Status.ACCEPTED : MergeSuggestion.Status.REJECTED,
                actor, now);
        tx.saveSuggestion(decided);
        return decided;
    }

    // ---------------------------------------------------------------------------------------------- merge

    /**
     * Merges two customers on an agent's or host's word. The older customer survives; the other becomes a tombstone
     * pointing at it. Merging customers marked distinct is allowed (an agent overrides the engine's caution).
     *
     * @throws IllegalStateException when both ids already name the same customer
     */
    public MergeRecord merge(IdentityTransaction tx, TenantId tenant, CustomerId a, CustomerId b, String actor,
                             String reason) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        return doMerge(tx, tenant, a, b, List.of(), reason, actor, clock.instant());
    }

    private MergeRecord doMerge(IdentityTransaction tx, TenantId tenant, CustomerId a, CustomerId b,
                                List<Evidence> evidence, String reason, String actor, Instant now) {
        Customer ca = load(tx, tenant, canonical(tx, tenant, a));
        Customer cb = load(tx, tenant, canonical(tx, tenant, b));
        if (ca.id().equals(cb.id())) {
            throw new IllegalStateException("customers " + a + " and " + b + " are already the same customer " + ca.id());
        }
        Customer survivor = Survivorship.survives(ca, cb) ? ca : cb;
        Customer absorbed = survivor == ca ? cb : ca;
        MergeId id = new MergeId(idGenerator.get());
        Customer merged = Survivorship.merge(survivor, absorbed, "merge:" + id.value(), now);
        Customer tombstone = absorbed.with(absorbed.displayName(), absorbed.language(), List.of(), List.of(),
                absorbed.attributes(), absorbed.preferences(), absorbed.conflicts(), Optional.of(survivor.id()), now);
        tx.saveCustomer(tombstone); // first, so its accounts are free for the survivor
        tx.saveCustomer(merged);
        tx.saveNameKeys(tenant, absorbed.id(), Set.of(), ""); // no keys: no form to compute
        tx.saveNameKeys(tenant, survivor.id(), nameKeys(merged), nameForm(merged));
        MergeRecord record = new MergeRecord(tenant, id, survivor.id(), absorbed.id(), evidence, reason, actor,
                survivor, absorbed, now, Optional.empty());
        tx.saveMerge(record);
        closeInnerSuggestions(tx, tenant, survivor.id(), actor, now);
        LOG.debug("merged customer {} into {} in tenant {} ({})", absorbed.id(), survivor.id(), tenant, actor);
        return record;
    }

    /**
     * Closes as OBSOLETE every open suggestion that a merge turned into a pair inside one customer: those listed under
     * the survivor, under the customer it just absorbed, and under every customer folded into either earlier (a
     * suggestion stays listed under the ids it was made for).
     */
    private void closeInnerSuggestions(IdentityTransaction tx, TenantId tenant, CustomerId survivor, String actor,
                                       Instant now) {
        Set<SuggestionId> looked = new HashSet<>();
        // open suggestions of the merged customer by the other side: two that now name one pair keep the better one
        Map<CustomerId, MergeSuggestion> byOther = new LinkedHashMap<>();
        for (CustomerId listedUnder : identities(tx, tenant, survivor)) {
            for (MergeSuggestion s : tx.suggestionsOf(tenant, listedUnder)) {
                if (s.status() != MergeSuggestion.Status.OPEN || !looked.add(s.id())) {
                    continue;
                }
                CustomerId f = canonical(tx, tenant, s.first());
                CustomerId g = canonical(tx, tenant, s.second());
                if (f.equals(g)) {
                    tx.saveSuggestion(s.decided(MergeSuggestion.Status.OBSOLETE, actor, now));
                    continue;
                }
                CustomerId other = f.equals(survivor) ? g : f;
                MergeSuggestion kept = byOther.get(other);
                if (kept == null) {
                    byOther.put(other, s);
                } else {
                    MergeSuggestion worse = kept.score() >= s.score() ? s : kept;
                    byOther.put(other, worse == s ? kept : s);
                    tx.saveSuggestion(worse.decided(MergeSuggestion.Status.OBSOLETE, actor, now));
                }
            }
        }
    }

    /**
     * Undoes a merge: the absorbed customer comes back under its own id with its accounts and contacts, the survivor
     * loses what the absorbed one brought but keeps what it gained afterwards, and the two are marked distinct so the
     * next event does not merge them again.
     *
     * <p>Rule for later merges: a merge can only be undone while its survivor is still a canonical customer. If the
     * survivor was itself merged into someone else later, undo that later merge first (the exception names it).
     * Merges the survivor made later with third customers are unaffected and stay.
     *
     * @throws NoSuchElementException when there is no such merge in this tenant
     * @throws IllegalStateException when the merge was already undone, or its survivor was merged away since
     */
    public Unmerge unmerge(IdentityTransaction tx, TenantId tenant, MergeId id, String actor) {
        Objects.requireNonNull(actor, "actor");
        MergeRecord record = tx.merge(tenant, id)
                .orElseThrow(() -> new NoSuchElementException("no merge " + id + " in tenant " + tenant));
        if (record.isUndone()) {
            throw new IllegalStateException("merge " + id + " was already undone at " + record.undoneAt().get());
        }
        Customer survivor = load(tx, tenant, record.survivor());
        if (survivor.isMerged()) {
            String later = tx.mergesOf(tenant, record.survivor()).stream()
                    .filter(r -> r.absorbed().equals(record.survivor()) && !r.isUndone())
                    .reduce((x, y) -> y).map(r -> r.id().value()).orElse("?");
            throw new IllegalStateException("cannot undo merge " + id + ": its survivor " + record.survivor()
                    + " was merged into " + survivor.mergedInto().get() + " since (merge " + later
                    + "); undo that merge first");
        }
        return undo(tx, tenant, record, actor, true);
    }

    /**
     * Undoes a merge whose survivor is canonical. An agent's undo marks the pair distinct; the engine's own undo of a
     * merge through a point found ambiguous does not (the two may still be one person through other evidence).
     */
    Unmerge undo(IdentityTransaction tx, TenantId tenant, MergeRecord record, String actor, boolean markDistinct) {
        MergeId id = record.id();
        Customer survivor = load(tx, tenant, record.survivor());
        Instant now = clock.instant();
        Set<AccountKey> absorbedAccounts = new HashSet<>();
        for (LinkedAccount a : record.absorbedBefore().accounts()) {
            absorbedAccounts.add(a.key());
        }
        Customer restoredSurvivor = Survivorship.restoreSurvivor(record, survivor, absorbedAccounts, now);
        Customer restoredAbsorbed = Survivorship.restoreAbsorbed(record, survivor, absorbedAccounts, now);
        tx.saveCustomer(restoredSurvivor); // first, so the absorbed accounts are free again
        tx.saveCustomer(restoredAbsorbed);
        repointSubtree(tx, tenant, restoredAbsorbed.id());
        tx.saveNameKeys(tenant, restoredSurvivor.id(), nameKeys(restoredSurvivor), nameForm(restoredSurvivor));
        tx.saveNameKeys(tenant, restoredAbsorbed.id(), nameKeys(restoredAbsorbed), nameForm(restoredAbsorbed));
        if (markDistinct) {
            tx.markDistinct(tenant, record.survivor(), record.absorbed());
        }
        tx.saveMerge(record.undone(now));
        LOG.debug("undid merge {} in tenant {} ({})", id, tenant, actor);
        return new Unmerge(restoredSurvivor, restoredAbsorbed);
    }

    /**
     * After an unmerge, tombstones folded into the restored customer may have been path-compressed to point past it;
     * point each back at the customer that absorbed it so they resolve to the restored customer again.
     */
    private void repointSubtree(IdentityTransaction tx, TenantId tenant, CustomerId root) {
        List<CustomerId> stack = new ArrayList<>();
        stack.add(root);
        Set<CustomerId> visited = new HashSet<>();
        while (!stack.isEmpty()) {
            CustomerId node = stack.remove(stack.size() - 1);
            if (!visited.add(node)) {
                continue;
            }
            for (MergeRecord r : tx.mergesOf(tenant, node)) {
                if (r.survivor().equals(node) && !r.isUndone()) {
                    Customer child = load(tx, tenant, r.absorbed());
                    if (!child.mergedInto().equals(Optional.of(node))) {
                        tx.saveCustomer(child.with(child.displayName(), child.language(), child.accounts(),
                                child.contacts(), child.attributes(), child.preferences(), child.conflicts(),
                                Optional.of(node), child.updatedAt()));
                    }
                    stack.add(r.absorbed());
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- link, block

    /**
     * The host says this account belongs to this customer (it knows better: a logged-in user, a CRM record). An
     * unknown account is attached to the customer; an account owned by another customer makes the two one customer
     * through a logged, undoable merge with the host as actor.
     *
     * @throws NoSuchElementException when the customer does not exist in the account's tenant
     */
    public Resolution link(IdentityTransaction tx, AccountKey account, CustomerId customer, String actor) {
        Objects.requireNonNull(account, "account");
        account = accountKey(account);
        Objects.requireNonNull(actor, "actor");
        TenantId tenant = account.tenant();
        Instant now = clock.instant();
        CustomerId target = canonical(tx, tenant, customer);
        Optional<CustomerId> owner = tx.customerByAccount(account);
        if (owner.isEmpty()) {
            Customer c = load(tx, tenant, target);
            Customer updated = c.withAccounts(append(c.accounts(),
                    new LinkedAccount(new ChannelAccount(account, Profile.EMPTY), "link:" + actor, now, false)), now);
            tx.saveCustomer(updated);
            return new Resolution(updated, false, List.of(), List.of());
        }
        CustomerId current = canonical(tx, tenant, owner.get());
        if (current.equals(target)) {
            return new Resolution(load(tx, tenant, target), false, List.of(), List.of());
        }
        Evidence evidence = Evidence.verified(ContactPoint.externalId("account:" + account), "host.link", now);
        MergeRecord r = doMerge(tx, tenant, current, target, List.of(evidence),
                "host linked account " + account + " to customer " + customer, actor, now);
        return new Resolution(load(tx, tenant, r.survivor()), false, List.of(r), List.of());
    }

    /**
     * Blocks or unblocks one account (a stolen phone, a spammer) without touching the customer's other accounts.
     * Evidence arriving through a blocked account is ignored by {@link #resolve}.
     *
     * @throws NoSuchElementException when no customer owns the account
     */
    public Customer setBlocked(IdentityTransaction tx, AccountKey accountKey, boolean blocked) {
        Objects.requireNonNull(accountKey, "account");
        AccountKey account = accountKey(accountKey);
        TenantId tenant = account.tenant();
        CustomerId owner = tx.customerByAccount(account)
                .orElseThrow(() -> new NoSuchElementException("no customer owns account " + account));
        Customer c = load(tx, tenant, canonical(tx, tenant, owner));
        LinkedAccount linked = c.account(account)
                .orElseThrow(() -> new IllegalStateException("account " + account + " is indexed but not on " + c.id()));
        if (linked.blocked() == blocked) {
            return c;
        }
        List<LinkedAccount> accounts = new ArrayList<>(c.accounts());
        accounts.replaceAll(a -> a.key().equals(account) ? a.withBlocked(blocked) : a);
        Customer updated = c.withAccounts(accounts, clock.instant());
        tx.saveCustomer(updated);
        return updated;
    }

    /** Replaces a customer's preferences (preferred channel, do-not-contact, consent history). */
    public Customer setPreferences(IdentityTransaction tx, TenantId tenant, CustomerId id, Preferences preferences) {
        Objects.requireNonNull(preferences, "preferences");
        Customer c = load(tx, tenant, canonical(tx, tenant, id));
        Customer updated = c.withPreferences(preferences, clock.instant());
        tx.saveCustomer(updated);
        return updated;
    }

    // ---------------------------------------------------------------------------------------------- lookups

    /** The canonical customer for any id the customer ever had. */
    public Customer customer(IdentityTransaction tx, TenantId tenant, CustomerId id) {
        return load(tx, tenant, canonical(tx, tenant, id));
    }

    /**
     * Follows {@code mergedInto} to the customer an id lives on now. Long chains are compressed on the way (each
     * tombstone on the path is re-pointed at the end of the chain), so later lookups take one step.
     *
     * @throws NoSuchElementException when the id is unknown in this tenant
     */
    public CustomerId canonical(IdentityTransaction tx, TenantId tenant, CustomerId id) {
        Customer c = load(tx, tenant, id);
        if (c.mergedInto().isEmpty()) {
            return id;
        }
        Customer next = load(tx, tenant, c.mergedInto().get());
        if (next.mergedInto().isEmpty()) {
            return next.id();
        }
        List<Customer> path = new ArrayList<>();
        path.add(c);
        Set<CustomerId> seen = new HashSet<>();
        seen.add(c.id());
        while (next.mergedInto().isPresent()) {
            if (!seen.add(next.id()) || path.size() > MAX_CHAIN) {
                throw new IllegalStateException("mergedInto chain of customer " + id + " loops in tenant " + tenant);
            }
            path.add(next);
            next = load(tx, tenant, next.mergedInto().get());
        }
        CustomerId root = next.id();
        for (Customer p : path) {
            if (!p.mergedInto().get().equals(root)) {
                tx.saveCustomer(p.with(p.displayName(), p.language(), p.accounts(), p.contacts(), p.attributes(),
                        p.preferences(), p.conflicts(), Optional.of(root), p.updatedAt()));
            }
        }
        return root;
    }

    /** The canonical id plus every id merged into it (directly or through other merges) and not unmerged since. */
    public Set<CustomerId> identities(IdentityTransaction tx, TenantId tenant, CustomerId id) {
        CustomerId root = canonical(tx, tenant, id);
        Set<CustomerId> out = new LinkedHashSet<>();
        List<CustomerId> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            CustomerId node = stack.remove(stack.size() - 1);
            if (!out.add(node)) {
                continue;
            }
            for (MergeRecord r : tx.mergesOf(tenant, node)) {
                if (r.survivor().equals(node) && !r.isUndone()) {
                    stack.add(r.absorbed());
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** The merge log of a customer and of everything merged into it, oldest first. */
    public List<MergeRecord> mergeLog(IdentityTransaction tx, TenantId tenant, CustomerId id) {
        Map<MergeId, MergeRecord> log = new LinkedHashMap<>();
        for (CustomerId c : identities(tx, tenant, id)) {
            for (MergeRecord r : tx.mergesOf(tenant, c)) {
                log.putIfAbsent(r.id(), r);
            }
        }
        List<MergeRecord> out = new ArrayList<>(log.values());
        out.sort((x, y) -> x.at().compareTo(y.at()));
        return out;
    }

    private static Customer load(IdentityTransaction tx, TenantId tenant, CustomerId id) {
        Objects.requireNonNull(id, "customer id");
        return tx.customer(tenant, id)
                .orElseThrow(() -> new NoSuchElementException("no customer " + id + " in tenant " + tenant));
    }

    private static int indexOf(List<CustomerContact> contacts, ContactPoint p) {
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).point().equals(p)) {
                return i;
            }
        }
        return -1;
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(item);
        return out;
    }

    @Override
    public String toString() {
        return "IdentityEngine[region=" + normalizer.defaultRegion() + ", suggestionThreshold=" + suggestionThreshold
                + "]";
    }

    /** Configures an {@link IdentityEngine}; every option has a default, and {@code build()} checks them. */
    public static final class Builder {
        private String defaultRegion = "ZZ";
        private Clock clock = Clock.systemUTC();
        private double suggestionThreshold = 0.75;
        private Supplier<String> idGenerator = () -> UUID.randomUUID().toString();
        private int maxNameCandidates = 32;
        private int commonNameCustomers = 8;
        private int sharedPointCustomers = 8;
        private long nameCacheSize = 100_000;
        private boolean gmailDotsInsensitive;
        private boolean undoThroughAmbiguous = true;
        private GivenNames givenNames = GivenNames.standard();
        private SignedDeepLinks deepLinks;

        private Builder() {
        }

        /**
         * Whether dot variants of a {@code @gmail.com} / {@code @googlemail.com} address ({@code j.doe@gmail.com},
         * {@code jdoe@googlemail.com}) are one mailbox, as Gmail delivers them. Default off: on other providers a dot
         * makes another mailbox, and a wrong merge is worse than a missed one.
         */
        public Builder gmailDotsInsensitive(boolean insensitive) {
            this.gmailDotsInsensitive = insensitive;
            return this;
        }

        /**
         * ISO region for phone numbers written without a country code, e.g. "RU". Default "ZZ" (unknown): only
         * numbers written internationally ("+49 ...", "0049 ..." is not accepted then) are recognised.
         */
        public Builder defaultRegion(String region) {
            this.defaultRegion = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Clock for timestamps on customers, merges and suggestions. Default: system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Minimum name-similarity score (0..1) for a suggestion. Default 0.75. */
        public Builder suggestionThreshold(double threshold) {
            this.suggestionThreshold = threshold;
            return this;
        }

        /** Source of new customer, merge and suggestion ids; must return unique strings of [A-Za-z0-9_.:@+=-]. */
        public Builder idGenerator(Supplier<String> idGenerator) {
            this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
            return this;
        }

        /** How many same-key customers one event compares names with at most. Default 32. */
        public Builder maxNameCandidates(int max) {
            this.maxNameCandidates = max;
            return this;
        }

        /**
         * A name blocking key shared by more than this many customers of a tenant marks a common name, which raises no
         * name suggestions: among a dozen "Ivan Petrov"s a name alone cannot tell which one wrote, and a suggestion
         * pairing the customer with one of them at random is noise an agent has to reject. Contact points still
         * suggest and merge as usual. Default 8; {@code Integer.MAX_VALUE} turns the rule off.
         */
        public Builder commonNameCustomers(int customers) {
            this.commonNameCustomers = customers;
            return this;
        }

        /**
         * A contact point held by more than this many customers of a tenant is a shared point: the business's own
         * hotline or address quoted back in messages, a reseller's or a courier's phone. It identifies nobody, so it
         * raises no suggestions and never merges (a verified one is marked ambiguous); the customers who hold it
         * keep it. Without this rule every customer typing the shop's phone would be suggested as the same person as
         * every earlier one: n customers, n(n-1)/2 suggestions. Default 8, which leaves family phones (a few people)
         * to the usual rules; {@code Integer.MAX_VALUE} turns the rule off.
         */
        public Builder sharedPointCustomers(int customers) {
            this.sharedPointCustomers = customers;
            return this;
        }

        /**
         * The given names and diminutives the name matcher knows (Саша for Александр and Александра, Женя for Евгений
         * and Евгения), for blocking and scoring. Default {@link GivenNames#standard()}, the shipped Russian table;
         * {@link GivenNames#none()} compares spellings only.
         */
        public Builder givenNames(GivenNames names) {
            this.givenNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /**
         * Verifies the tokens of host-signed deep links that channels pass as {@link ContactPoint#signedLink} evidence
         * (Telegram {@code /start <token>} and the like): a valid token becomes verified evidence of the host user id
         * it names, a forged, expired or other-tenant one is dropped (logged, never an error). Default: none, and such
         * evidence is dropped.
         */
        public Builder deepLinks(SignedDeepLinks links) {
            this.deepLinks = Objects.requireNonNull(links, "links");
            return this;
        }

        /**
         * Test hook: {@code false} keeps merges made through a point that later turns out to be shared, the
         * order-dependent behaviour the order-independence property test must catch. Not for hosts.
         */
        Builder undoThroughAmbiguous(boolean undo) {
            this.undoThroughAmbiguous = undo;
            return this;
        }

        /** How many distinct names keep their transliterated tokens cached. Default 100,000; 0 disables the cache. */
        public Builder nameCacheSize(long size) {
            this.nameCacheSize = size;
            return this;
        }

        /** The engine; options are checked here and a bad one fails naming it. */
        public IdentityEngine build() {
            if (nameCacheSize < 0) {
                throw new IllegalStateException("nameCacheSize must not be negative, got " + nameCacheSize);
            }
            if (!(suggestionThreshold > 0 && suggestionThreshold <= 1)) {
                throw new IllegalStateException("suggestionThreshold must be within (0, 1], got " + suggestionThreshold);
            }
            if (commonNameCustomers < 1) {
                throw new IllegalStateException("commonNameCustomers must be at least 1, got " + commonNameCustomers);
            }
            if (sharedPointCustomers < 2) {
                throw new IllegalStateException("sharedPointCustomers must be at least 2 (a point two customers hold is "
                        + "what merges and suggestions are made of), got " + sharedPointCustomers);
            }
            if (maxNameCandidates < 0) {
                throw new IllegalStateException("maxNameCandidates must not be negative, got " + maxNameCandidates);
            }
            try {
                return new IdentityEngine(this);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
