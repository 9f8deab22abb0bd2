package dev.switchboard.store.memory;

import dev.switchboard.identity.IndexedName;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.NameMatcher;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Direction;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import dev.switchboard.store.Store;
import dev.switchboard.store.StoreTransaction;
import dev.switchboard.store.TransactionWork;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.AbstractList;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A {@link Store} that keeps everything in memory: for tests, demos and single-process hosts that do not need
 * durability. Transactions are serialized by one lock per store and roll back on any exception through an undo log,
 * so it behaves like the JDBC stores (including {@link DuplicateKeyException} on uniqueness violations) without a
 * database. Every secondary index the {@link StoreTransaction} SPI documents is a hash or tree lookup, never a scan
 * of a tenant's data, and every tenant's data lives in its own partition so colliding ids never meet.
 *
 * <p>A store that adds tables to the same transaction (the inbox store adds its outbox and event feed) extends
 * {@link Tx} with them, opens its transactions with {@link #inTransaction(Function, TransactionWork)} and registers
 * the undo of its own writes with {@link Tx#onRollback(Runnable)}; everything this store owns is inherited.
 */
public final class InMemoryStore implements Store {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TenantId, TenantData> tenants = new HashMap<>();
    private Tx current;
    private final int expectedCustomers;

    /** Creates an empty store whose tenants start small and grow as customers arrive. */
    public InMemoryStore() {
        this(0);
    }

    /**
     * Creates an empty store whose tenants' identity indexes are sized up front for {@code expectedCustomers}
     * customers each, like a {@code HashMap}'s initial capacity. A host that loads a large customer base into one
     * tenant (a bulk import, a benchmark) saves rehashing million-entry tables as they grow, which costs about a tenth
     * of the time of resolving a million accounts; the price is that memory up front, in every tenant that is used, so
     * leave it at 0 for many small tenants.
     *
     * @throws IllegalArgumentException when {@code expectedCustomers} is negative or above 100,000,000
     */
    public InMemoryStore(int expectedCustomers) {
        if (expectedCustomers < 0 || expectedCustomers > 100_000_000) {
            throw new IllegalArgumentException("expectedCustomers must be within 0..100,000,000, got "
                    + expectedCustomers);
        }
        this.expectedCustomers = expectedCustomers;
    }

    /**
     * Runs {@code work} under the store's lock. Nested calls from the same thread join the outer transaction (they
     * commit or roll back with it); whatever {@code work} throws rolls back every change it made and is rethrown.
     */
    @Override
    public <T> T inTransaction(TransactionWork<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        return inTransaction(store -> store.new Tx(), work::run);
    }

    /**
     * Runs {@code work} in a transaction of type {@code X}, a {@link Tx} a wrapping store extends with its own tables,
     * opened by {@code open} (typically {@code store -> new MyTx(store)}). Nested calls from the same thread join the
     * outer transaction, which must then be an {@code X} as well (an extended transaction may run plain work, not
     * the other way round).
     *
     * @throws IllegalStateException when nested in a transaction of another type
     */
    public <X extends Tx, T> T inTransaction(Function<InMemoryStore, X> open, TransactionWork<X, T> work) {
        Objects.requireNonNull(open, "open");
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            if (current != null) {
                return work.run(joined(open));
            }
            X tx = open.apply(this);
            Tx own = tx; // its private lifecycle methods are reached through Tx, not the subclass
            if (own.store() != this) {
                throw new IllegalArgumentException("open must create a transaction of this store");
            }
            current = tx;
            try {
                T result = work.run(tx);
                own.finish();
                return result;
            } catch (RuntimeException | Error e) {
                own.rollback(e);
                throw e;
            } finally {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in a transaction of this store typed as {@link Transaction}, for wrapping stores that need
     * {@link Transaction#onRollback(Runnable)}.
     */
    public <T> T inTx(TransactionWork<Tx, T> work) {
        return inTransaction(store -> store.new Tx(), work);
    }

    /**
     * The running transaction, for a nested call that wants the type {@code open} creates: it must be one (an inbox
     * transaction joins a plain one's caller, not the other way round).
     */
    @SuppressWarnings("unchecked")
    private <X extends Tx> X joined(Function<InMemoryStore, X> open) {
        Tx running = current;
        Class<?> wanted = open.apply(this).getClass();
        if (!wanted.isInstance(running)) {
            throw new IllegalStateException("a " + wanted.getSimpleName() + " cannot join the running "
                    + running.getClass().getSimpleName() + " of this store");
        }
        return (X) running;
    }

    /**
     * A transaction of an {@link InMemoryStore} as a wrapping store sees it: the store SPI plus a hook to undo the
     * wrapper's own changes on rollback. Only valid inside the {@code inTx} call that created it and only on that
     * thread.
     */
    public interface Transaction extends StoreTransaction {

        /**
         * Registers an action that restores state changed outside this store (by a wrapping store) if the
         * transaction rolls back. Actions run in reverse registration order, interleaved correctly with this store's
         * own undo entries.
         */
        void onRollback(Runnable action);
    }

    private TenantData data(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenants.computeIfAbsent(tenant, t -> new TenantData(expectedCustomers));
    }

    private Optional<TenantData> existing(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return Optional.ofNullable(tenants.get(tenant));
    }

    /** An unordered pair of customer ids, for the distinct-people table. */
    private record Pair(CustomerId low, CustomerId high) {
        static Pair of(CustomerId a, CustomerId b) {
            return a.value().compareTo(b.value()) <= 0 ? new Pair(a, b) : new Pair(b, a);
        }
    }

    private record PlatformKey(ChannelId channel, String platformMessageId, Direction direction) {
    }

    private record StoredMessage(Message message, long seq) {
    }

    /** Sort key of the conversation activity index: newest activity first, then id. */
    private record ActivityKey(Instant updatedAt, String id) implements Comparable<ActivityKey> {
        static final Comparator<ActivityKey> ORDER = Comparator.comparing(ActivityKey::updatedAt).reversed()
                .thenComparing(ActivityKey::id);

        static ActivityKey of(Conversation c) {
            return new ActivityKey(c.updatedAt(), c.id().value());
        }

        @Override
        public int compareTo(ActivityKey o) {
            return ORDER.compare(this, o);
        }

        String cursor() {
            return updatedAt.getEpochSecond() + ":" + updatedAt.getNano() + ":" + id;
        }

        static ActivityKey parse(String cursor) {
            String[] parts = cursor.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a conversation cursor: " + cursor);
            }
            try {
                return new ActivityKey(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        parts[2]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a conversation cursor: " + cursor, e);
            }
        }
    }

    /** One tenant's partition: aggregates plus their secondary indexes. */
    private static final class TenantData {
        /** Customer id -> the customer and what the store keeps about it (see {@link CustomerEntry}). */
        final Map<CustomerId, CustomerEntry> customers;
        final Map<AccountKey, CustomerId> accountOwner;
        // contact point -> holders, one map per kind keyed by the point's value: a lookup that finds its key compares
        // it with the stored one, and a stored String is two reads (object, bytes) where a ContactPoint is three. The
        // value is the one holder's CustomerId itself (most points have one holder: no set object to create, keep
        // and collect), or an IdSet of several (immutable to readers) that lookups hand out without copying.
        final Map<ContactPoint.Kind, Map<String, Object>> holders = new EnumMap<>(ContactPoint.Kind.class);
        final Map<String, NameBucket> nameKeyIndex;
        final Map<MergeId, MergeRecord> merges = new HashMap<>();
        final Map<SuggestionId, MergeSuggestion> suggestions;
        final OpenSuggestions open;
        final Set<Pair> distinct = new HashSet<>();
        final Set<ContactPoint> ambiguous = new HashSet<>();
        final Map<ConversationId, Conversation> conversations = new HashMap<>();
        final Map<CustomerId, Set<ConversationId>> conversationsByCustomer = new HashMap<>();
        final NavigableSet<ActivityKey> activity = new TreeSet<>();
        final Map<ConversationStatus, NavigableSet<ActivityKey>> activityByStatus = new HashMap<>();
        final Map<MessageId, StoredMessage> messages = new HashMap<>();
        final Map<PlatformKey, MessageId> platformIds = new HashMap<>();
        final Map<ConversationId, List<MessageId>> messagesByConversation = new HashMap<>();
        final Map<CustomerId, TreeMap<Long, MessageId>> messagesByCustomer = new HashMap<>();
        long nextSeq;

        /**
         * Sizes the identity indexes for the expected customers: each has about one account, one name key, one
         * suggestion, and a contact point or so of each kind. Merges and conversations are rarer and grow as needed.
         */
        TenantData(int expectedCustomers) {
            customers = sized(expectedCustomers);
            accountOwner = sized(expectedCustomers);
            for (ContactPoint.Kind kind : ContactPoint.Kind.values()) {
                holders.put(kind, sized(expectedCustomers));
            }
            nameKeyIndex = sized(expectedCustomers);
            suggestions = sized(expectedCustomers);
            open = new OpenSuggestions(suggestions);
        }

        /** A map that holds {@code entries} without resizing (what {@code HashMap.newHashMap} does from Java 19). */
        private static <K, V> Map<K, V> sized(int entries) {
            return entries == 0 ? new HashMap<>()
                    : new HashMap<>((int) Math.min(1 << 30, (long) Math.ceil(entries / 0.75)));
        }

        /** The customer stored under {@code id}, or null. */
        Customer customer(CustomerId id) {
            CustomerEntry e = customers.get(id);
            return e == null ? null : e.customer;
        }

        /** The entry of {@code id}, created empty when the id has none yet. */
        CustomerEntry entry(CustomerId id) {
            return customers.computeIfAbsent(id, k -> new CustomerEntry());
        }

        /** Drops the entry of {@code id} once nothing is kept under it (a rolled-back insert). */
        void dropIfEmpty(CustomerId id, CustomerEntry e) {
            if (e.isEmpty()) {
                customers.remove(id, e);
            }
        }

        // ---- index maintenance; callers log the inverse operation ----

        /**
         * Re-indexes a customer against its previous version. Only what changed is touched: a save that adds one
         * contact point to a customer with five leaves the other five index entries alone.
         */
        void putCustomer(Customer previous, Customer next) {
            if (next == null) {
                for (LinkedAccount a : previous.accounts()) {
                    accountOwner.remove(a.key(), previous.id());
                }
                for (CustomerContact c : previous.contacts()) {
                    removeHolder(c.point(), previous.id());
                }
                CustomerEntry e = customers.get(previous.id());
                if (e != null) {
                    e.customer = null;
                    dropIfEmpty(previous.id(), e);
                }
                return;
            }
            List<LinkedAccount> nextAccounts = next.accounts();
            List<CustomerContact> nextContacts = next.isMerged() ? List.of() : next.contacts();
            if (previous != null) {
                for (LinkedAccount a : previous.accounts()) {
                    if (!hasAccount(nextAccounts, a.key())) {
                        accountOwner.remove(a.key(), previous.id());
                    }
                }
                for (CustomerContact c : previous.contacts()) {
                    if (!hasPoint(nextContacts, c.point())) {
                        removeHolder(c.point(), previous.id());
                    }
                }
            }
            entry(next.id()).customer = next;
            for (LinkedAccount a : nextAccounts) {
                accountOwner.put(a.key(), next.id()); // unconditionally: another save may have taken the key since
            }
            // a live customer's points are always indexed under it, so only points it did not hold need adding
            boolean indexed = previous != null && !previous.isMerged();
            for (CustomerContact c : nextContacts) {
                if (!indexed || !hasPoint(previous.contacts(), c.point())) {
                    holders.get(c.point().kind()).merge(c.point().value(), next.id(),
                            (old, id) -> withHolder(old, (CustomerId) id));
                }
            }
        }

        private void removeHolder(ContactPoint point, CustomerId id) {
            Map<String, Object> ofKind = holders.get(point.kind());
            Object value = ofKind.get(point.value());
            if (value != null) {
                Object rest = withoutHolder(value, id);
                if (rest == null) {
                    ofKind.remove(point.value());
                } else if (rest != value) {
                    ofKind.put(point.value(), rest);
                }
            }
        }

        /** A holder-index value with {@code id} added: a lone id becomes a set when a second holder comes. */
        private static Object withHolder(Object value, CustomerId id) {
            if (value instanceof IdSet) {
                return ((IdSet) value).append(id);
            }
            return value.equals(id) ? value : IdSet.of((CustomerId) value).append(id);
        }

        /** A holder-index value without {@code id}: null when none is left, a lone id when one is. */
        private static Object withoutHolder(Object value, CustomerId id) {
            if (!(value instanceof IdSet)) {
                return value.equals(id) ? null : value;
            }
            IdSet rest = ((IdSet) value).without(id);
            return rest.isEmpty() ? null : rest.size() == 1 ? rest.iterator().next() : rest;
        }

        /** The holders a holder-index value stands for, as an immutable set. */
        static Set<CustomerId> holderSet(Object value) {
            if (value == null) {
                return Set.of();
            }
            return value instanceof IdSet ? (IdSet) value : Set.of((CustomerId) value);
        }

        private static boolean hasAccount(List<LinkedAccount> accounts, AccountKey key) {
            for (LinkedAccount a : accounts) {
                if (a.key().equals(key)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasPoint(List<CustomerContact> contacts, ContactPoint point) {
            for (CustomerContact c : contacts) {
                if (c.point().equals(point)) {
                    return true;
                }
            }
            return false;
        }

        void putNameKeys(CustomerId customer, CustomerEntry entry, NameKeys next) {
            NameKeys old = entry.nameKeys;
            entry.nameKeys = next;
            if (old != NameKeys.NONE) {
                for (String k : old.keys()) {
                    NameBucket bucket = nameKeyIndex.get(k);
                    if (bucket != null) {
                        NameBucket rest = bucket.without(customer);
                        if (rest.isEmpty()) {
                            nameKeyIndex.remove(k);
                        } else if (rest != bucket) {
                            nameKeyIndex.put(k, rest);
                        }
                    }
                }
            }
            if (next.keys().isEmpty()) {
                dropIfEmpty(customer, entry);
            } else {
                for (String k : next.keys()) { // the customer is in no bucket now: its old keys were taken out above
                    nameKeyIndex.merge(k, NameBucket.of(customer, next.form()),
                            (prev, one) -> prev.append(customer, next.form()));
                }
            }
        }

        /** Stores a suggestion (one map operation: the previous version, if any, is what it returns). */
        MergeSuggestion putSuggestion(MergeSuggestion next) {
            // a replaced or removed suggestion drops out of the open index by itself (see OpenSuggestions)
            MergeSuggestion previous = suggestions.put(next.id(), next);
            if (next.status() == MergeSuggestion.Status.OPEN) {
                open.add(next);
            }
            return previous;
        }

        void removeSuggestion(MergeSuggestion s) {
            suggestions.remove(s.id(), s);
        }

        void putConversation(Conversation previous, Conversation next) {
            if (previous != null) {
                activity.remove(ActivityKey.of(previous));
                activityByStatus.get(previous.status()).remove(ActivityKey.of(previous));
                Set<ConversationId> set = conversationsByCustomer.get(previous.customer());
                if (set != null) {
                    set.remove(previous.id());
                    if (set.isEmpty()) {
                        conversationsByCustomer.remove(previous.customer());
                    }
                }
            }
            if (next == null) {
                conversations.remove(previous.id());
                return;
            }
            conversations.put(next.id(), next);
            activity.add(ActivityKey.of(next));
            activityByStatus.computeIfAbsent(next.status(), s -> new TreeSet<>()).add(ActivityKey.of(next));
            conversationsByCustomer.computeIfAbsent(next.customer(), c -> new HashSet<>(4)).add(next.id());
        }

        /** Replaces a stored message (same sequence number) or inserts a new one when {@code seq} is fresh. */
        void putMessage(StoredMessage previous, StoredMessage next) {
            if (previous != null) {
                Message m = previous.message();
                m.platformMessageId().ifPresent(p ->
                        platformIds.remove(new PlatformKey(m.channel(), p, m.direction()), m.id()));
                TreeMap<Long, MessageId> byCustomer = messagesByCustomer.get(m.customer());
                if (byCustomer != null) {
                    byCustomer.remove(previous.seq());
                    if (byCustomer.isEmpty()) {
                        messagesByCustomer.remove(m.customer());
                    }
                }
                if (next == null || !next.message().conversation().equals(m.conversation())) {
                    List<MessageId> list = messagesByConversation.get(m.conversation());
                    list.remove(m.id());
                    if (list.isEmpty()) {
                        messagesByConversation.remove(m.conversation());
                    }
                }
            }
            if (next == null) {
                messages.remove(previous.message().id());
                return;
            }
            Message m = next.message();
            messages.put(m.id(), next);
            m.platformMessageId().ifPresent(p -> platformIds.put(new PlatformKey(m.channel(), p, m.direction()), m.id()));
            messagesByCustomer.computeIfAbsent(m.customer(), c -> new TreeMap<>()).put(next.seq(), m.id());
            if (previous == null || !previous.message().conversation().equals(m.conversation())) {
                // insertion order within a conversation is storage order: keep the list sorted by sequence
                List<MessageId> list = messagesByConversation.computeIfAbsent(m.conversation(), c -> new ArrayList<>());
                int at = list.size();
                while (at > 0 && messages.get(list.get(at - 1)).seq() > next.seq()) {
                    at--;
                }
                list.add(at, m.id());
            }
        }
    }

    /**
     * One transaction of an {@link InMemoryStore}. Only valid inside the {@code inTransaction} call that created it
     * and only on that thread. Every write logs its inverse so {@link #rollback} can restore the exact prior state.
     */
    public class Tx implements Transaction {
        private final ArrayDeque<Runnable> undo = new ArrayDeque<>();
        private boolean done;

        /**
         * A transaction of the enclosing store; a subclass outside this file calls it as {@code store.super()}. Only
         * {@link InMemoryStore#inTransaction(Function, TransactionWork)} may use the result.
         */
        protected Tx() {
        }

        private InMemoryStore store() {
            return InMemoryStore.this;
        }

        /**
         * Registers an action that restores state changed outside this store (by a wrapping store) if the
         * transaction rolls back. Actions run in reverse registration order, interleaved correctly with this store's
         * own undo entries.
         */
        public void onRollback(Runnable action) {
            check();
            undo.push(Objects.requireNonNull(action, "action"));
        }

        private void check() {
            if (done) {
                throw new IllegalStateException("transaction already finished");
            }
            if (!lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("transaction used outside its inTransaction call");
            }
        }

        private void finish() {
            done = true;
            undo.clear();
        }

        private void rollback(Throwable cause) {
            done = true;
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
        }

        // ---- customers and identity ----

        @Override
        public Optional<Customer> customer(TenantId tenant, CustomerId id) {
            check();
            Objects.requireNonNull(id, "id");
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            return Optional.ofNullable(d == null ? null : d.customer(id));
        }

        /**
         * Up to {@code limit} ids of the tenant's customers not merged into another, after {@code after}, by id (how a
         * campaign segment pages through a tenant's customers). Sorts the tenant's ids on every call: meant for
         * occasional scans, not lookups.
         */
        public List<CustomerId> customerIds(TenantId tenant, Optional<CustomerId> after, int limit) {
            check();
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            if (d == null) {
                return List.of();
            }
            return d.customers.entrySet().stream()
                    .filter(e -> e.getValue().customer != null && e.getValue().customer.mergedInto().isEmpty())
                    .map(Map.Entry::getKey)
                    .filter(id -> after.isEmpty() || id.value().compareTo(after.get().value()) > 0)
                    .sorted(java.util.Comparator.comparing(CustomerId::value))
                    .limit(limit)
                    .toList();
        }

        @Override
        public void saveCustomer(Customer customer) {
            check();
            TenantData d = data(customer.tenant());
            for (LinkedAccount a : customer.accounts()) {
                if (!a.key().tenant().equals(customer.tenant())) {
                    throw new IllegalArgumentException("account " + a.key() + " belongs to another tenant than customer "
                            + customer.id());
                }
                CustomerId owner = d.accountOwner.get(a.key());
                if (owner != null && !owner.equals(customer.id())) {
                    Customer other = d.customer(owner);
                    if (other != null && !other.isMerged()) {
                        throw new DuplicateKeyException("account " + a.key() + " is already owned by customer " + owner);
                    }
                }
            }
            Customer previous = d.customer(customer.id());
            d.putCustomer(previous, customer);
            undo.push(() -> d.putCustomer(customer, previous));
        }

        @Override
        public Optional<CustomerId> customerByAccount(AccountKey account) {
            check();
            TenantData d = tenants.get(account.tenant());
            return Optional.ofNullable(d == null ? null : d.accountOwner.get(account));
        }

        @Override
        public Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point) {
            check();
            Objects.requireNonNull(point, "point");
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            // a lone id or an immutable IdSet: a snapshot without copying
            return TenantData.holderSet(d == null ? null : d.holders.get(point.kind()).get(point.value()));
        }

        @Override
        public void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys) {
            check();
            Objects.requireNonNull(customer, "customer");
            TenantData d = data(tenant);
            Customer c = keys.isEmpty() ? null : d.customer(customer); // without keys the form is not kept
            String form = c == null ? "" : c.displayName().map(NameMatcher::formOf).orElse("");
            saveNameKeys(tenant, customer, keys, form);
        }

        @Override
        public void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys, String form) {
            check();
            Objects.requireNonNull(customer, "customer");
            NameKeys next = keys.isEmpty() ? NameKeys.NONE : new NameKeys(Set.copyOf(keys), form);
            TenantData d = data(tenant);
            CustomerEntry entry = d.entry(customer);
            NameKeys previous = entry.nameKeys;
            if (next.equals(previous)) {
                d.dropIfEmpty(customer, entry);
                return;
            }
            // undo puts back the very buckets this replaces, so a rollback restores each bucket's order exactly (taking
            // the customer out and appending it again would move it to the end)
            String[] touched = new String[previous.keys().size() + next.keys().size()];
            int n = 0;
            for (String k : previous.keys()) {
                touched[n++] = k;
            }
            for (String k : next.keys()) {
                touched[n++] = k;
            }
            NameBucket[] before = new NameBucket[n];
            for (int i = 0; i < n; i++) {
                before[i] = d.nameKeyIndex.get(touched[i]);
            }
            d.putNameKeys(customer, entry, next);
            undo.push(() -> {
                // in reverse, so a key listed twice ends up with the bucket it had first
                for (int i = before.length - 1; i >= 0; i--) {
                    if (before[i] == null) {
                        d.nameKeyIndex.remove(touched[i]);
                    } else {
                        d.nameKeyIndex.put(touched[i], before[i]);
                    }
                }
                // the entry may have been dropped and re-created by the time this runs: look it up again
                CustomerEntry e = d.entry(customer);
                e.nameKeys = previous;
                d.dropIfEmpty(customer, e);
            });
        }

        @Override
        public Set<CustomerId> customersByNameKey(TenantId tenant, String key) {
            check();
            NameBucket bucket = nameBucket(tenant, key);
            return bucket == null ? Set.of() : bucket.ids(); // a copy: versions of a bucket share its arrays
        }

        @Override
        public List<IndexedName> indexedNames(TenantId tenant, String key) {
            check();
            NameBucket bucket = nameBucket(tenant, key);
            return bucket == null ? List.of() : bucket.names();
        }

        private NameBucket nameBucket(TenantId tenant, String key) {
            Objects.requireNonNull(key, "key");
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            return d == null ? null : d.nameKeyIndex.get(key);
        }

        /**
         * Lists {@code value} under both customers (a merge's survivor and absorbed, a suggestion's pair); the returned
         * action takes it out again, for undo. Appends only, so each array is in the order the values were first
         * saved. Appending replaces the arrays, so undo puts the previous ones back.
         */
        private <V> Runnable indexBoth(TenantData d, Function<CustomerEntry, V[]> get,
                                       BiConsumer<CustomerEntry, V[]> set, CustomerId a, CustomerId b, V value) {
            CustomerEntry ea = d.entry(a);
            V[] beforeA = get.apply(ea);
            set.accept(ea, append(beforeA, value));
            CustomerEntry eb = d.entry(b);
            V[] beforeB = get.apply(eb); // after the first append when a and b are one id: undone in reverse
            set.accept(eb, append(beforeB, value));
            return () -> {
                set.accept(eb, beforeB);
                set.accept(ea, beforeA);
                d.dropIfEmpty(b, eb);
                d.dropIfEmpty(a, ea);
            };
        }

        /**
         * Puts a new version of a merge or suggestion where the entries of its two customers list the previous one
         * (same place, so saved order is kept); the returned action puts the previous version back, for undo.
         */
        private <V> Runnable replaceInBoth(TenantData d, Function<CustomerEntry, V[]> get, CustomerId a, CustomerId b,
                                           V previous, V next) {
            replaceIn(d.customers.get(a), get, previous, next);
            replaceIn(d.customers.get(b), get, previous, next); // nothing left to replace when a and b are one id
            return () -> {
                replaceIn(d.customers.get(a), get, next, previous);
                replaceIn(d.customers.get(b), get, next, previous);
            };
        }

        private <V> void replaceIn(CustomerEntry e, Function<CustomerEntry, V[]> get, V previous, V next) {
            if (e == null) {
                return;
            }
            V[] values = get.apply(e);
            for (int i = 0; i < values.length; i++) {
                if (values[i] == previous) {
                    values[i] = next;
                    return;
                }
            }
        }

        private <V> V[] append(V[] values, V value) {
            V[] out = Arrays.copyOf(values, values.length + 1);
            out[values.length] = value;
            return out;
        }

        /** The values as a list of their own, in saved order or newest first. */
        private <V> List<V> listed(V[] values, boolean newestFirst) {
            List<V> out = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                out.add(values[newestFirst ? values.length - 1 - i : i]);
            }
            return out;
        }

        @Override
        public void saveMerge(MergeRecord record) {
            check();
            TenantData d = data(record.tenant());
            MergeRecord previous = d.merges.put(record.id(), record);
            if (previous == null) {
                Runnable unindex = indexBoth(d, e -> e.merges, (e, merges) -> e.merges = merges, record.survivor(),
                        record.absorbed(), record);
                undo.push(() -> {
                    d.merges.remove(record.id());
                    unindex.run();
                });
            } else {
                Runnable restore = replaceInBoth(d, e -> e.merges, previous.survivor(), previous.absorbed(), previous,
                        record);
                undo.push(() -> {
                    d.merges.put(record.id(), previous);
                    restore.run();
                });
            }
        }

        @Override
        public Optional<MergeRecord> merge(TenantId tenant, MergeId id) {
            check();
            Objects.requireNonNull(id, "id");
            return existing(tenant).map(d -> d.merges.get(id));
        }

        @Override
        public List<MergeRecord> mergesOf(TenantId tenant, CustomerId customer) {
            check();
            Objects.requireNonNull(customer, "customer");
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return List.of();
            }
            CustomerEntry e = d.customers.get(customer);
            return e == null || e.merges.length == 0 ? List.of() : listed(e.merges, false);
        }

        @Override
        public void saveSuggestion(MergeSuggestion suggestion) {
            check();
            TenantData d = data(suggestion.tenant());
            MergeSuggestion previous = d.putSuggestion(suggestion);
            if (previous == null) {
                Runnable unindex = indexBoth(d, e -> e.suggestions, (e, suggestions) -> e.suggestions = suggestions,
                        suggestion.first(), suggestion.second(), suggestion);
                undo.push(() -> {
                    d.removeSuggestion(suggestion);
                    unindex.run();
                });
            } else {
                Runnable restore = replaceInBoth(d, e -> e.suggestions, previous.first(), previous.second(), previous,
                        suggestion);
                undo.push(() -> {
                    d.putSuggestion(previous);
                    restore.run();
                });
            }
        }

        @Override
        public Optional<MergeSuggestion> suggestion(TenantId tenant, SuggestionId id) {
            check();
            Objects.requireNonNull(id, "id");
            return existing(tenant).map(d -> d.suggestions.get(id));
        }

        @Override
        public List<MergeSuggestion> suggestionsOf(TenantId tenant, CustomerId customer) {
            check();
            Objects.requireNonNull(customer, "customer");
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return List.of();
            }
            CustomerEntry e = d.customers.get(customer);
            return e == null || e.suggestions.length == 0 ? List.of() : listed(e.suggestions, true);
        }

        @Override
        public List<MergeSuggestion> openSuggestions(TenantId tenant, int limit) {
            check();
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative");
            }
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return List.of();
            }
            return d.open.first(limit);
        }

        @Override
        public void markDistinct(TenantId tenant, CustomerId a, CustomerId b) {
            check();
            if (a.equals(b)) {
                throw new IllegalArgumentException("a customer cannot be distinct from itself: " + a);
            }
            TenantData d = data(tenant);
            Pair pair = Pair.of(a, b);
            if (d.distinct.add(pair)) {
                undo.push(() -> d.distinct.remove(pair));
            }
        }

        @Override
        public boolean areDistinct(TenantId tenant, CustomerId a, CustomerId b) {
            check();
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            // most tenants have no distinct pairs at all: skip building the ordered pair (it compares both ids)
            return d != null && !d.distinct.isEmpty() && d.distinct.contains(Pair.of(a, b));
        }

        @Override
        public void markAmbiguous(TenantId tenant, ContactPoint point) {
            check();
            Objects.requireNonNull(point, "point");
            TenantData d = data(tenant);
            if (d.ambiguous.add(point)) {
                undo.push(() -> d.ambiguous.remove(point));
            }
        }

        @Override
        public boolean isAmbiguous(TenantId tenant, ContactPoint point) {
            check();
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            return d != null && d.ambiguous.contains(point);
        }

        /**
         * Forgets that the tenant's contact points with any of these values are ambiguous (a customer's erasure: the
         * values are personal data); returns how many marks it removed. Undone on rollback.
         */
        public int forgetAmbiguous(TenantId tenant, Set<String> values) {
            check();
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            if (d == null) {
                return 0;
            }
            List<ContactPoint> gone = d.ambiguous.stream().filter(p -> values.contains(p.value())).toList();
            gone.forEach(d.ambiguous::remove);
            undo.push(() -> d.ambiguous.addAll(gone));
            return gone.size();
        }

        /**
         * Deletes the tenant's conversations {@code conversations} with every message in them, and every other
         * message of {@code customers} (a customer's erasure); returns how many messages it deleted. Undone on
         * rollback.
         */
        public int eraseConversations(TenantId tenant, Set<ConversationId> conversations, Set<CustomerId> customers) {
            check();
            TenantData d = tenants.get(Objects.requireNonNull(tenant, "tenant"));
            if (d == null) {
                return 0;
            }
            Set<MessageId> doomed = new HashSet<>();
            for (ConversationId c : conversations) {
                doomed.addAll(d.messagesByConversation.getOrDefault(c, List.of()));
            }
            for (CustomerId c : customers) {
                TreeMap<Long, MessageId> byCustomer = d.messagesByCustomer.get(c);
                if (byCustomer != null) {
                    doomed.addAll(byCustomer.values());
                }
            }
            List<StoredMessage> removed = new ArrayList<>(doomed.size());
            Set<ConversationId> touched = new HashSet<>();
            for (MessageId id : doomed) {
                StoredMessage sm = d.messages.remove(id);
                if (sm == null) {
                    continue;
                }
                removed.add(sm);
                Message m = sm.message();
                m.platformMessageId().ifPresent(p ->
                        d.platformIds.remove(new PlatformKey(m.channel(), p, m.direction()), m.id()));
                TreeMap<Long, MessageId> byCustomer = d.messagesByCustomer.get(m.customer());
                if (byCustomer != null) {
                    byCustomer.remove(sm.seq());
                    if (byCustomer.isEmpty()) {
                        d.messagesByCustomer.remove(m.customer());
                    }
                }
                touched.add(m.conversation());
            }
            for (ConversationId c : touched) {
                List<MessageId> list = d.messagesByConversation.get(c);
                if (list != null) {
                    list.removeIf(doomed::contains);
                    if (list.isEmpty()) {
                        d.messagesByConversation.remove(c);
                    }
                }
            }
            removed.sort(Comparator.comparingLong(StoredMessage::seq));
            undo.push(() -> removed.forEach(sm -> d.putMessage(null, sm)));
            for (ConversationId c : conversations) {
                Conversation previous = d.conversations.get(c);
                if (previous != null) {
                    d.putConversation(previous, null);
                    undo.push(() -> d.putConversation(null, previous));
                }
            }
            return removed.size();
        }

        // ---- conversations ----

        @Override
        public Optional<Conversation> conversation(TenantId tenant, ConversationId id) {
            check();
            Objects.requireNonNull(id, "id");
            return existing(tenant).map(d -> d.conversations.get(id));
        }

        @Override
        public void saveConversation(Conversation conversation) {
            check();
            TenantData d = data(conversation.tenant());
            Conversation previous = d.conversations.get(conversation.id());
            d.putConversation(previous, conversation);
            undo.push(() -> d.putConversation(conversation, previous));
        }

        @Override
        public List<Conversation> conversationsOf(TenantId tenant, Set<CustomerId> customers) {
            check();
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return List.of();
            }
            List<Conversation> out = new ArrayList<>();
            for (CustomerId c : customers) {
                for (ConversationId id : d.conversationsByCustomer.getOrDefault(c, Set.of())) {
                    out.add(d.conversations.get(id));
                }
            }
            out.sort(Comparator.comparing(ActivityKey::of));
            return out;
        }

        @Override
        public Page<Conversation> conversations(ConversationQuery query) {
            check();
            TenantData d = existing(query.tenant()).orElse(null);
            if (d == null) {
                return Page.last(List.of());
            }
            Optional<ActivityKey> after = query.page().cursor().map(ActivityKey::parse);
            List<NavigableSet<ActivityKey>> sources = new ArrayList<>();
            if (query.statuses().isEmpty()) {
                sources.add(d.activity);
            } else {
                for (ConversationStatus s : query.statuses()) {
                    NavigableSet<ActivityKey> set = d.activityByStatus.get(s);
                    if (set != null) {
                        sources.add(set);
                    }
                }
            }
            // k-way merge of the per-status activity indexes, each already newest first
            PriorityQueue<Cursor> heads = new PriorityQueue<>(Comparator.comparing(c -> c.head));
            for (NavigableSet<ActivityKey> set : sources) {
                Iterator<ActivityKey> it = after.isPresent() ? set.tailSet(after.get(), false).iterator() : set.iterator();
                if (it.hasNext()) {
                    heads.add(new Cursor(it));
                }
            }
            int limit = query.page().limit();
            List<Conversation> items = new ArrayList<>();
            ActivityKey last = null;
            while (!heads.isEmpty()) {
                Cursor c = heads.poll();
                ActivityKey key = c.head;
                if (c.advance()) {
                    heads.add(c);
                }
                Conversation conv = d.conversations.get(new ConversationId(key.id()));
                if (query.assignee().isPresent() && !query.assignee().equals(conv.assignee())) {
                    continue;
                }
                if (query.channel().isPresent() && !query.channel().equals(conv.channel())) {
                    continue;
                }
                if (items.size() == limit) {
                    return new Page<>(items, Optional.of(last.cursor()));
                }
                items.add(conv);
                last = key;
            }
            return Page.last(items);
        }

        // ---- messages ----

        @Override
        public void saveMessage(Message message) {
            check();
            TenantData d = data(message.tenant());
            if (!message.account().tenant().equals(message.tenant())) {
                throw new IllegalArgumentException("message " + message.id() + " names an account of another tenant");
            }
            if (message.platformMessageId().isPresent()) {
                MessageId other = d.platformIds.get(new PlatformKey(message.channel(),
                        message.platformMessageId().get(), message.direction()));
                if (other != null && !other.equals(message.id())) {
                    throw new DuplicateKeyException("message " + message.platformMessageId().get() + " ("
                            + message.direction() + ") on channel " + message.channel() + " is already stored as "
                            + other);
                }
            }
            StoredMessage previous = d.messages.get(message.id());
            StoredMessage next = new StoredMessage(message, previous == null ? d.nextSeq++ : previous.seq());
            d.putMessage(previous, next);
            undo.push(() -> {
                d.putMessage(next, previous);
                if (previous == null) {
                    d.nextSeq--;
                }
            });
        }

        @Override
        public Optional<Message> message(TenantId tenant, MessageId id) {
            check();
            Objects.requireNonNull(id, "id");
            return existing(tenant).map(d -> d.messages.get(id)).map(StoredMessage::message);
        }

        @Override
        public Optional<Message> messageByPlatformId(TenantId tenant, ChannelId channel, String platformMessageId) {
            check();
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return Optional.empty();
            }
            for (Direction dir : Direction.values()) {
                MessageId id = d.platformIds.get(new PlatformKey(channel, platformMessageId, dir));
                if (id != null) {
                    return Optional.of(d.messages.get(id).message());
                }
            }
            return Optional.empty();
        }

        @Override
        public List<Message> messages(TenantId tenant, ConversationId conversation) {
            check();
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return List.of();
            }
            List<MessageId> ids = d.messagesByConversation.getOrDefault(conversation, List.of());
            List<Message> out = new ArrayList<>(ids.size());
            for (MessageId id : ids) {
                out.add(d.messages.get(id).message());
            }
            return out;
        }

        @Override
        public Page<Message> timeline(TenantId tenant, Set<CustomerId> customers, PageRequest page) {
            check();
            TenantData d = existing(tenant).orElse(null);
            if (d == null) {
                return Page.last(List.of());
            }
            long after = -1;
            if (page.cursor().isPresent()) {
                try {
                    after = Long.parseLong(page.cursor().get());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a timeline cursor: " + page.cursor().get(), e);
                }
            }
            PriorityQueue<SeqCursor> heads = new PriorityQueue<>(Comparator.comparingLong(c -> c.head.getKey()));
            for (CustomerId c : customers) {
                TreeMap<Long, MessageId> map = d.messagesByCustomer.get(c);
                if (map != null) {
                    Iterator<Map.Entry<Long, MessageId>> it = map.tailMap(after, false).entrySet().iterator();
                    if (it.hasNext()) {
                        heads.add(new SeqCursor(it));
                    }
                }
            }
            List<Message> items = new ArrayList<>();
            long last = after;
            while (!heads.isEmpty()) {
                SeqCursor c = heads.poll();
                Map.Entry<Long, MessageId> e = c.head;
                if (c.advance()) {
                    heads.add(c);
                }
                if (items.size() == page.limit()) {
                    return new Page<>(items, Optional.of(Long.toString(last)));
                }
                items.add(d.messages.get(e.getValue()).message());
                last = e.getKey();
            }
            return Page.last(items);
        }
    }

    /**
     * Everything kept under one customer id: the customer, its name keys, and the merges and suggestions it takes part
     * in (current versions, in the order they were first saved; held by reference, so listing them looks nothing up
     * by id, a cache miss apiece at a million customers). Resolving an account reads these together, so one map entry
     * (one lookup, one cache miss at a million customers) serves them instead of four maps. An id can have an entry before or without a customer
     * (name keys or a suggestion saved first); an entry holding nothing is removed.
     */
    static final class CustomerEntry {
        private static final MergeRecord[] NO_MERGES = new MergeRecord[0];
        private static final MergeSuggestion[] NO_SUGGESTIONS = new MergeSuggestion[0];
        Customer customer;
        NameKeys nameKeys = NameKeys.NONE;
        // arrays replaced on every append (a new version of one is written in place): one object per customer instead
        // of a list and its array
        MergeRecord[] merges = NO_MERGES;
        MergeSuggestion[] suggestions = NO_SUGGESTIONS;

        boolean isEmpty() {
            return customer == null && nameKeys == NameKeys.NONE && merges.length == 0 && suggestions.length == 0;
        }
    }

    /** A customer's name keys and the form of the name they were made from. */
    private record NameKeys(Set<String> keys, String form) {
        static final NameKeys NONE = new NameKeys(Set.of(), "");
    }

    /**
     * The customers under one name key, each with the form of its name, in the order they were indexed. Immutable as
     * far as anyone can see, so lookups hand out views without copying. The forms sit next to the ids so that scoring
     * a candidate costs no read of the customer, its name and tokens; they are kept back to back in one char array,
     * so that scoring a bucket's candidates reads one array instead of a String and its bytes per candidate (two cache
     * misses apiece at a million customers).
     *
     * <p>Appending writes into spare room at the end of the arrays when this is the newest version of the bucket
     * (nobody has appended to it yet, which the first unused id slot tells: it is still empty), and otherwise copies
     * into arrays of twice the size; older versions only ever read their first {@code size} entries. So a growing
     * bucket costs amortised constant time per customer rather than a copy of the whole bucket each time.
     */
    static final class NameBucket {
        private final CustomerId[] ids;
        private final char[] forms;
        /** {@code ends[i]}: where form {@code i} ends in {@link #forms}; it starts where form {@code i - 1} ends. */
        private final int[] ends;
        private final int size;

        private NameBucket(CustomerId[] ids, char[] forms, int[] ends, int size) {
            this.ids = ids;
            this.forms = forms;
            this.ends = ends;
            this.size = size;
        }

        static NameBucket of(CustomerId id, String form) {
            return new NameBucket(new CustomerId[] {id}, form.toCharArray(), new int[] {form.length()}, 1);
        }

        boolean isEmpty() {
            return size == 0;
        }

        private int start(int i) {
            return i == 0 ? 0 : ends[i - 1];
        }

        /**
         * This bucket with {@code id} added at the end. The caller knows the id is not in the bucket (its old keys
         * were just taken out), so nothing is scanned: comparing ids reads every one of them, a cache miss apiece
         * in a big index, on every insert into a growing bucket.
         */
        NameBucket append(CustomerId id, String form) {
            int used = start(size);
            int length = used + form.length();
            CustomerId[] i = ids;
            char[] f = forms;
            int[] e = ends;
            if (size == ids.length || ids[size] != null || length > forms.length) {
                int capacity = Math.max(2, 2 * size);
                i = new CustomerId[capacity];
                System.arraycopy(ids, 0, i, 0, size);
                f = new char[Math.max(length, 2 * used)];
                System.arraycopy(forms, 0, f, 0, used);
                e = new int[capacity];
                System.arraycopy(ends, 0, e, 0, size);
            }
            form.getChars(0, form.length(), f, used);
            e[size] = length;
            i[size] = id; // takes the slot: later appends to this version copy instead of writing over it
            return new NameBucket(i, f, e, size + 1);
        }

        NameBucket without(CustomerId id) {
            int at = indexOf(id);
            if (at < 0) {
                return this;
            }
            int removed = ends[at] - start(at);
            CustomerId[] i = new CustomerId[Math.max(1, size - 1)];
            char[] f = new char[start(size) - removed];
            int[] e = new int[i.length];
            for (int k = 0, n = 0; k < size; k++) {
                if (k != at) {
                    System.arraycopy(forms, start(k), f, n == 0 ? 0 : e[n - 1], ends[k] - start(k));
                    e[n] = (n == 0 ? 0 : e[n - 1]) + ends[k] - start(k);
                    i[n++] = ids[k];
                }
            }
            return new NameBucket(i, f, e, size - 1);
        }

        private int indexOf(CustomerId id) {
            for (int i = 0; i < size; i++) {
                if (ids[i].equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        Set<CustomerId> ids() {
            return IdSet.copyOf(ids, size);
        }

        List<IndexedName> names() {
            return new AbstractList<>() {
                @Override
                public IndexedName get(int index) {
                    Objects.checkIndex(index, size);
                    int from = start(index);
                    return new IndexedName(ids[index], new String(forms, from, ends[index] - from));
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /**
     * An immutable set of customer ids in insertion order, backed by an array: the holders of a contact point held by
     * more than one customer, or a snapshot of a name bucket's ids. Lookups return the set itself as a snapshot. Like
     * {@link NameBucket}, appending writes into spare room at the end of the array when no newer version has used it
     * and otherwise copies into an array of twice the size, so a point that thousands of customers hold (a shop's
     * hotline quoted back) costs amortised constant time per new holder instead of a copy of all the others.
     */
    static final class IdSet extends AbstractSet<CustomerId> {
        private static final IdSet EMPTY = new IdSet(new CustomerId[0], 0);
        private final CustomerId[] ids;
        private final int size;

        private IdSet(CustomerId[] ids, int size) {
            this.ids = ids;
            this.size = size;
        }

        static IdSet of(CustomerId id) {
            return new IdSet(new CustomerId[] {id}, 1);
        }

        /** A snapshot of the first {@code size} ids of {@code ids}, which the set keeps as its own. */
        static IdSet copyOf(CustomerId[] ids, int size) {
            return new IdSet(Arrays.copyOf(ids, size), size);
        }

        /**
         * This set with {@code id} at the end. The store adds a holder only for a point the customer's stored version
         * did not hold, so the id is not in the set, and nothing is scanned (comparing ids reads each one, a cache
         * miss apiece in a big set); only the last id is compared, which catches a customer listing a point twice.
         */
        IdSet append(CustomerId id) {
            if (size > 0 && ids[size - 1].equals(id)) {
                return this;
            }
            CustomerId[] out = ids;
            if (size == ids.length || ids[size] != null) {
                out = new CustomerId[Math.max(2, 2 * size)];
                System.arraycopy(ids, 0, out, 0, size);
            }
            out[size] = id; // takes the slot: later appends to this version copy instead of writing over it
            return new IdSet(out, size + 1);
        }

        IdSet without(CustomerId id) {
            int at = indexOf(id);
            if (at < 0) {
                return this;
            }
            if (size == 1) {
                return EMPTY;
            }
            CustomerId[] out = new CustomerId[size - 1];
            System.arraycopy(ids, 0, out, 0, at);
            System.arraycopy(ids, at + 1, out, at, size - at - 1);
            return new IdSet(out, size - 1);
        }

        private int indexOf(Object o) {
            for (int i = 0; i < size; i++) {
                if (ids[i].equals(o)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public boolean contains(Object o) {
            return indexOf(o) >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<CustomerId> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public CustomerId next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    return ids[next++];
                }
            };
        }
    }

    /**
     * The open-suggestion index, highest score first (then oldest, then by id). Ingest records a suggestion for about
     * every other event while agents read a page now and then, so writes are appends and the order is established on
     * read: new entries are sorted and merged into the sorted part only when someone asks. Entries are never removed
     * in place; an entry is live while it is still the tenant's current version of that suggestion and is OPEN, so
     * deciding, replacing or rolling back a suggestion needs no index work, and stale entries are dropped at the next
     * merge. Costs a reference per suggestion instead of a tree node, and O(1) per write instead of a tree insert.
     */
    static final class OpenSuggestions {
        private static final Comparator<MergeSuggestion> ORDER = (x, y) -> {
            int c = Double.compare(y.score(), x.score());
            if (c == 0) {
                c = x.createdAt().compareTo(y.createdAt());
            }
            return c != 0 ? c : x.id().value().compareTo(y.id().value());
        };
        private final Map<SuggestionId, MergeSuggestion> current;
        private MergeSuggestion[] sorted = new MergeSuggestion[0];
        private final ArrayList<MergeSuggestion> pending = new ArrayList<>();

        OpenSuggestions(Map<SuggestionId, MergeSuggestion> current) {
            this.current = current;
        }

        void add(MergeSuggestion s) {
            pending.add(s);
        }

        private boolean live(MergeSuggestion s) {
            return current.get(s.id()) == s && s.status() == MergeSuggestion.Status.OPEN;
        }

        List<MergeSuggestion> first(int limit) {
            if (!pending.isEmpty()) {
                MergeSuggestion[] fresh = pending.toArray(new MergeSuggestion[0]);
                pending.clear();
                Arrays.sort(fresh, ORDER);
                MergeSuggestion[] merged = new MergeSuggestion[sorted.length + fresh.length];
                int i = 0;
                int j = 0;
                int n = 0;
                while (i < sorted.length || j < fresh.length) {
                    MergeSuggestion next = j == fresh.length || (i < sorted.length && ORDER.compare(sorted[i],
                            fresh[j]) <= 0) ? sorted[i++] : fresh[j++];
                    // the same version can be appended twice (re-opened by a rollback): keep it once
                    if (live(next) && (n == 0 || merged[n - 1] != next)) {
                        merged[n++] = next;
                    }
                }
                sorted = Arrays.copyOf(merged, n);
            }
            List<MergeSuggestion> out = new ArrayList<>(Math.min(limit, sorted.length));
            for (int i = 0; i < sorted.length && out.size() < limit; i++) {
                if (live(sorted[i])) {
                    out.add(sorted[i]);
                }
            }
            return out;
        }
    }

    private static final class Cursor {
        final Iterator<ActivityKey> it;
        ActivityKey head;

        Cursor(Iterator<ActivityKey> it) {
            this.it = it;
            this.head = it.next();
        }

        boolean advance() {
            if (it.hasNext()) {
                head = it.next();
                return true;
            }
            return false;
        }
    }

    private static final class SeqCursor {
        final Iterator<Map.Entry<Long, MessageId>> it;
        Map.Entry<Long, MessageId> head;

        SeqCursor(Iterator<Map.Entry<Long, MessageId>> it) {
            this.it = it;
            this.head = it.next();
        }

        boolean advance() {
            if (it.hasNext()) {
                head = it.next();
                return true;
            }
            return false;
        }
    }
}
