package dev.switchboard.store.memory;

import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Store} that keeps everything in memory: for tests, demos and single-process hosts that do not need
 * durability. Transactions are serialized by one lock per store and roll back on any exception through an undo log,
 * so it behaves like the JDBC stores (including {@link DuplicateKeyException} on uniqueness violations) without a
 * database. Every secondary index the {@link StoreTransaction} SPI documents is a hash or tree lookup, never a scan
 * of a tenant's data, and every tenant's data lives in its own partition so colliding ids never meet.
 *
 * <p>Wrapping stores (an inbox store that adds an outbox to the same transaction) cast the transaction to
 * {@link Tx} and register their own undo actions with {@link Tx#onRollback(Runnable)}.
 */
public final class InMemoryStore implements Store {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TenantId, TenantData> tenants = new HashMap<>();
    private Tx current;

    /** Creates an empty store. */
    public InMemoryStore() {
    }

    /**
     * Runs {@code work} under the store's lock. Nested calls from the same thread join the outer transaction (they
     * commit or roll back with it); whatever {@code work} throws rolls back every change it made and is rethrown.
     */
    @Override
    public <T> T inTransaction(TransactionWork<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            if (current != null) {
                return work.run(current);
            }
            Tx tx = new Tx();
            current = tx;
            try {
                T result = work.run(tx);
                tx.finish();
                return result;
            } catch (RuntimeException | Error e) {
                tx.rollback(e);
                throw e;
            } finally {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in a transaction of this store typed as {@link Tx}, for wrappers that need
     * {@link Tx#onRollback(Runnable)}.
     */
    public <T> T inTx(TransactionWork<Tx, T> work) {
        return inTransaction(tx -> work.run((Tx) tx));
    }

    private TenantData data(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenants.computeIfAbsent(tenant, t -> new TenantData());
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
        final Map<CustomerId, Customer> customers = new HashMap<>();
        final Map<AccountKey, CustomerId> accountOwner = new HashMap<>();
        final Map<ContactPoint, Set<CustomerId>> holders = new HashMap<>();
        final Map<String, Set<CustomerId>> nameKeyIndex = new HashMap<>();
        final Map<CustomerId, Set<String>> nameKeysOf = new HashMap<>();
        final Map<MergeId, MergeRecord> merges = new HashMap<>();
        final Map<CustomerId, List<MergeId>> mergesByCustomer = new HashMap<>();
        final Map<SuggestionId, MergeSuggestion> suggestions = new HashMap<>();
        final Map<CustomerId, List<SuggestionId>> suggestionsByCustomer = new HashMap<>();
        final NavigableSet<MergeSuggestion> open = new TreeSet<>(
                Comparator.comparingDouble(MergeSuggestion::score).reversed()
                        .thenComparing(MergeSuggestion::createdAt)
                        .thenComparing(s -> s.id().value()));
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

        // ---- index maintenance; callers log the inverse operation ----

        void putCustomer(Customer previous, Customer next) {
            if (previous != null) {
                for (LinkedAccount a : previous.accounts()) {
                    accountOwner.remove(a.key(), previous.id());
                }
                for (CustomerContact c : previous.contacts()) {
                    Set<CustomerId> set = holders.get(c.point());
                    if (set != null) {
                        set.remove(previous.id());
                        if (set.isEmpty()) {
                            holders.remove(c.point());
                        }
                    }
                }
            }
            if (next == null) {
                customers.remove(previous.id());
                return;
            }
            customers.put(next.id(), next);
            for (LinkedAccount a : next.accounts()) {
                accountOwner.put(a.key(), next.id());
            }
            if (!next.isMerged()) {
                for (CustomerContact c : next.contacts()) {
                    holders.computeIfAbsent(c.point(), p -> new HashSet<>(4)).add(next.id());
                }
            }
        }

        void putNameKeys(CustomerId customer, Set<String> keys) {
            Set<String> old = nameKeysOf.remove(customer);
            if (old != null) {
                for (String k : old) {
                    Set<CustomerId> set = nameKeyIndex.get(k);
                    if (set != null) {
                        set.remove(customer);
                        if (set.isEmpty()) {
                            nameKeyIndex.remove(k);
                        }
                    }
                }
            }
            if (!keys.isEmpty()) {
                nameKeysOf.put(customer, keys);
                for (String k : keys) {
                    nameKeyIndex.computeIfAbsent(k, x -> new HashSet<>(4)).add(customer);
                }
            }
        }

        void putSuggestion(MergeSuggestion previous, MergeSuggestion next) {
            if (previous != null) {
                open.remove(previous);
            }
            if (next == null) {
                suggestions.remove(previous.id());
                return;
            }
            suggestions.put(next.id(), next);
            if (next.status() == MergeSuggestion.Status.OPEN) {
                open.add(next);
            }
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
    public final class Tx implements StoreTransaction {
        private final ArrayDeque<Runnable> undo = new ArrayDeque<>();
        private boolean done;

        private Tx() {
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
            return existing(tenant).map(d -> d.customers.get(id));
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
                    Customer other = d.customers.get(owner);
                    if (other != null && !other.isMerged()) {
                        throw new DuplicateKeyException("account " + a.key() + " is already owned by customer " + owner);
                    }
                }
            }
            Customer previous = d.customers.get(customer.id());
            d.putCustomer(previous, customer);
            undo.push(() -> d.putCustomer(customer, previous));
        }

        @Override
        public Optional<CustomerId> customerByAccount(AccountKey account) {
            check();
            return existing(account.tenant()).map(d -> d.accountOwner.get(account));
        }

        @Override
        public Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point) {
            check();
            Objects.requireNonNull(point, "point");
            return existing(tenant).map(d -> d.holders.get(point)).map(Set::copyOf).orElse(Set.of());
        }

        @Override
        public void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys) {
            check();
            Objects.requireNonNull(customer, "customer");
            Set<String> copy = Set.copyOf(keys);
            TenantData d = data(tenant);
            Set<String> previous = d.nameKeysOf.get(customer);
            if (copy.equals(previous == null ? Set.of() : previous)) {
                return;
            }
            d.putNameKeys(customer, copy);
            undo.push(() -> d.putNameKeys(customer, previous == null ? Set.of() : previous));
        }

        @Override
        public Set<CustomerId> customersByNameKey(TenantId tenant, String key) {
            check();
            Objects.requireNonNull(key, "key");
            return existing(tenant).map(d -> d.nameKeyIndex.get(key)).map(Set::copyOf).orElse(Set.of());
        }

        @Override
        public void saveMerge(MergeRecord record) {
            check();
            TenantData d = data(record.tenant());
            MergeRecord previous = d.merges.put(record.id(), record);
            if (previous == null) {
                List<MergeId> s = d.mergesByCustomer.computeIfAbsent(record.survivor(), c -> new ArrayList<>());
                List<MergeId> a = d.mergesByCustomer.computeIfAbsent(record.absorbed(), c -> new ArrayList<>());
                s.add(record.id());
                a.add(record.id());
                undo.push(() -> {
                    d.merges.remove(record.id());
                    s.remove(s.size() - 1);
                    a.remove(a.size() - 1);
                });
            } else {
                undo.push(() -> d.merges.put(record.id(), previous));
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
            List<MergeId> ids = d.mergesByCustomer.getOrDefault(customer, List.of());
            List<MergeRecord> out = new ArrayList<>(ids.size());
            for (MergeId id : ids) {
                out.add(d.merges.get(id));
            }
            return out;
        }

        @Override
        public void saveSuggestion(MergeSuggestion suggestion) {
            check();
            TenantData d = data(suggestion.tenant());
            MergeSuggestion previous = d.suggestions.get(suggestion.id());
            d.putSuggestion(previous, suggestion);
            if (previous == null) {
                List<SuggestionId> f = d.suggestionsByCustomer.computeIfAbsent(suggestion.first(), c -> new ArrayList<>());
                List<SuggestionId> s = d.suggestionsByCustomer.computeIfAbsent(suggestion.second(), c -> new ArrayList<>());
                f.add(suggestion.id());
                s.add(suggestion.id());
                undo.push(() -> {
                    d.putSuggestion(suggestion, null);
                    f.remove(f.size() - 1);
                    s.remove(s.size() - 1);
                });
            } else {
                undo.push(() -> d.putSuggestion(suggestion, previous));
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
            List<SuggestionId> ids = d.suggestionsByCustomer.getOrDefault(customer, List.of());
            List<MergeSuggestion> out = new ArrayList<>(ids.size());
            for (int i = ids.size() - 1; i >= 0; i--) {
                out.add(d.suggestions.get(ids.get(i)));
            }
            return out;
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
            List<MergeSuggestion> out = new ArrayList<>(Math.min(limit, d.open.size()));
            Iterator<MergeSuggestion> it = d.open.iterator();
            while (out.size() < limit && it.hasNext()) {
                out.add(it.next());
            }
            return out;
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
            return existing(tenant).map(d -> d.distinct.contains(Pair.of(a, b))).orElse(false);
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
            return existing(tenant).map(d -> d.ambiguous.contains(point)).orElse(false);
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
