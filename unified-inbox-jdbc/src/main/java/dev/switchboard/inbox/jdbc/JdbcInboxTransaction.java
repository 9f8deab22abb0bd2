package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.identity.IndexedName;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.NameMatcher;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.ChoiceMap;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@link InboxTransaction} on one JDBC connection (autocommit off), created and committed by
 * {@link JdbcInboxStore#inTransaction}. Aggregates are read back from their JSON bodies; the columns next to them are
 * the indexes the SPI queries by. Not thread-safe, like the connection under it.
 */
final class JdbcInboxTransaction implements InboxTransaction {

    private final Connection connection;
    private final Dialect dialect;
    private final JsonCodec json;
    private final String p;
    /** The first uniqueness violation the database raised; on PostgreSQL it aborted the transaction. */
    private DuplicateKeyException poison;
    /** Events appended in this transaction, numbered and written just before commit. */
    private final List<InboxEvent> pendingEvents = new ArrayList<>();
    /** Customers read or written in this transaction, by (tenant, id); this transaction's writes go through it. */
    private final Map<List<String>, Optional<Customer>> customers = new HashMap<>();
    /**
     * Set by {@link #prefetchInbound}: what a group of inbound events reads, loaded in bulk. From then on the hot
     * ingest writes (dedupe rows, new customers, messages, conversations) are held back and written in batches by
     * {@link #flushWrites()} before the next statement of any other kind and before commit.
     */
    private IngestCache ingest;
    private final List<Object[]> heldProcessed = new ArrayList<>();
    /** Customers created in this transaction, with their name keys, not written yet. */
    private final Map<List<String>, Customer> heldCustomers = new LinkedHashMap<>();
    private final Map<List<String>, Set<String>> heldNameKeys = new HashMap<>();
    /** Held-back messages and conversations by id, in the order first saved (timelines follow the message order). */
    private final Map<List<String>, Message> heldMessages = new LinkedHashMap<>();
    private final Map<List<String>, Conversation> heldConversations = new LinkedHashMap<>();
    private boolean flushing;
    /**
     * Messages and conversations (tenant, id) this transaction read from the database: a held one that is not among
     * them was created here and is written with a plain insert, which is cheaper than an upsert. Were that guess ever
     * wrong (a caller saving a row it never read), the insert fails and the store runs the transaction again.
     */
    private final Set<List<String>> storedMessages = new HashSet<>();
    private final Set<List<String>> storedConversations = new HashSet<>();

    JdbcInboxTransaction(Connection connection, Dialect dialect, JsonCodec json, String tablePrefix) {
        this.connection = connection;
        this.dialect = dialect;
        this.json = json;
        this.p = tablePrefix;
    }

    /** A violation the work may have swallowed but that left a PostgreSQL transaction unusable. */
    Optional<DuplicateKeyException> poison() {
        return dialect.errorAbortsTransaction ? Optional.ofNullable(poison) : Optional.empty();
    }

    // ---- customers and identity -------------------------------------------------------------------------------

    @Override
    public Optional<Customer> customer(TenantId tenant, CustomerId id) {
        // The identity engine reads the same customers several times per event: read each once per transaction.
        List<String> key = List.of(tenant.value(), id.value());
        Optional<Customer> cached = customers.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Customer> loaded = queryOne("SELECT body FROM " + p + "sb_customer WHERE tenant = ? AND id = ?",
                rs -> json.customer(rs.getString(1)), tenant.value(), id.value());
        customers.put(key, loaded);
        return loaded;
    }

    @Override
    public void saveCustomer(Customer customer) {
        String tenant = customer.tenant().value();
        String self = customer.id().value();
        if (ingest != null && (heldCustomers.containsKey(List.of(tenant, self)) || isNewInIngest(customer))) {
            holdNewCustomer(customer);
            return;
        }
        Map<List<String>, LinkedAccount> wanted = new HashMap<>();
        for (LinkedAccount account : customer.accounts()) {
            wanted.put(List.of(account.key().channel().value(), account.key().platformUserId()), account);
        }
        // Current owners of the wanted accounts plus whatever is indexed to this customer now, in one query.
        StringBuilder sql = new StringBuilder("SELECT a.channel, a.platform_user_id, a.customer_id, o.id, o.merged_into FROM ")
                .append(p).append("sb_account a LEFT JOIN ").append(p)
                .append("sb_customer o ON o.tenant = a.tenant AND o.id = a.customer_id WHERE a.tenant = ? AND (a.customer_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenant, self));
        for (List<String> key : wanted.keySet()) {
            sql.append(" OR (a.channel = ? AND a.platform_user_id = ?)");
            args.addAll(key);
        }
        sql.append(')');
        List<List<String>> toDelete = new ArrayList<>();
        List<List<String>> toInsert = new ArrayList<>(wanted.keySet());
        List<List<String>> toTakeOver = new ArrayList<>();
        List<String[]> rows = queryList(sql.toString(), rs -> new String[] {rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5)}, args.toArray());
        for (String[] row : rows) {
            List<String> key = List.of(row[0], row[1]);
            String owner = row[2];
            boolean ownerLive = row[3] != null && row[4] == null;
            if (owner.equals(self)) {
                toInsert.remove(key);
                if (!wanted.containsKey(key)) {
                    toDelete.add(key);
                }
            } else if (wanted.containsKey(key)) {
                toInsert.remove(key);
                if (!ownerLive) {
                    toTakeOver.add(key);
                } else if (!customer.isMerged()) {
                    throw new DuplicateKeyException("account " + tenant + "/" + key.get(0) + "/" + key.get(1)
                            + " is owned by customer " + owner + ", cannot save it for customer " + self);
                }
                // A merged tombstone keeps its accounts for undo, but never takes them from a live owner.
            }
        }
        Instant updated = customer.updatedAt();
        customers.remove(List.of(tenant, self));
        update(dialect.upsert(p + "sb_customer", List.of("tenant", "id", "merged_into", "updated_at", "body"),
                        List.of("tenant", "id")),
                tenant, self, customer.mergedInto().map(CustomerId::value).orElse(null), updated, json.write(customer));
        batch("DELETE FROM " + p + "sb_account WHERE tenant = ? AND channel = ? AND platform_user_id = ?",
                toDelete.stream().map(k -> new Object[] {tenant, k.get(0), k.get(1)}).collect(Collectors.toList()));
        batch("INSERT INTO " + p + "sb_account (tenant, channel, platform_user_id, customer_id) VALUES (?, ?, ?, ?)",
                toInsert.stream().map(k -> new Object[] {tenant, k.get(0), k.get(1), self}).collect(Collectors.toList()));
        batch("UPDATE " + p + "sb_account SET customer_id = ? WHERE tenant = ? AND channel = ? AND platform_user_id = ?",
                toTakeOver.stream().map(k -> new Object[] {self, tenant, k.get(0), k.get(1)}).collect(Collectors.toList()));

        if (ingest != null) {
            for (List<String> key : wanted.keySet()) {
                ingest.forgetOwner(new IngestCache.AccountRef(tenant, key.get(0), key.get(1)));
            }
            for (List<String> key : toDelete) {
                ingest.forgetOwner(new IngestCache.AccountRef(tenant, key.get(0), key.get(1)));
            }
        }
        update("DELETE FROM " + p + "sb_contact WHERE tenant = ? AND customer_id = ?", tenant, self);
        Set<ContactPoint> points = customer.contacts().stream().map(CustomerContact::point)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        batch("INSERT INTO " + p + "sb_contact (tenant, kind, point, customer_id) VALUES (?, ?, ?, ?)",
                points.stream().map(pt -> new Object[] {tenant, pt.kind().name(), pt.value(), self})
                        .collect(Collectors.toList()));
        customers.put(List.of(tenant, self), Optional.of(customer));
    }

    /**
     * A customer this transaction never read, holding only accounts it knows nobody owns: one the identity engine
     * just created. Its rows are written by plain inserts at flush; were the guess wrong (the row exists), the insert
     * fails and the store runs the transaction again.
     */
    private boolean isNewInIngest(Customer customer) {
        String tenant = customer.tenant().value();
        if (customers.containsKey(List.of(tenant, customer.id().value())) || customer.isMerged()
                || customer.accounts().isEmpty()) {
            return false;
        }
        for (LinkedAccount a : customer.accounts()) {
            if (!ingest.knownUnowned(new IngestCache.AccountRef(tenant, a.key().channel().value(),
                    a.key().platformUserId()))) {
                return false;
            }
        }
        return true;
    }

    private void holdNewCustomer(Customer customer) {
        String tenant = customer.tenant().value();
        List<String> ref = List.of(tenant, customer.id().value());
        heldCustomers.put(ref, customer);
        customers.put(ref, Optional.of(customer));
        ingest.createdCustomer(tenant, customer.id().value(), customer.accounts().stream()
                .map(a -> new IngestCache.AccountRef(tenant, a.key().channel().value(), a.key().platformUserId()))
                .collect(Collectors.toList()));
    }

    /** Writes the held new customers: their rows, accounts, contact points and name keys, each in one batch. */
    private void writeHeldCustomers() {
        if (heldCustomers.isEmpty()) {
            return;
        }
        List<Customer> created = new ArrayList<>(heldCustomers.values());
        Map<List<String>, Set<String>> nameKeys = new HashMap<>(heldNameKeys);
        heldCustomers.clear();
        heldNameKeys.clear();
        batch("INSERT INTO " + p + "sb_customer (tenant, id, merged_into, updated_at, body) VALUES (?, ?, ?, ?, ?)",
                created.stream().map(c -> new Object[] {c.tenant().value(), c.id().value(),
                        c.mergedInto().map(CustomerId::value).orElse(null), c.updatedAt(),
                        json.write(c)}).collect(Collectors.toList()));
        List<Object[]> accounts = new ArrayList<>();
        List<Object[]> contacts = new ArrayList<>();
        List<Object[]> keys = new ArrayList<>();
        for (Customer c : created) {
            String tenant = c.tenant().value();
            String id = c.id().value();
            for (LinkedAccount a : c.accounts()) {
                accounts.add(new Object[] {tenant, a.key().channel().value(), a.key().platformUserId(), id});
            }
            c.contacts().stream().map(CustomerContact::point).distinct()
                    .forEach(pt -> contacts.add(new Object[] {tenant, pt.kind().name(), pt.value(), id}));
            for (String key : nameKeys.getOrDefault(List.of(tenant, id), Set.of())) {
                keys.add(new Object[] {tenant, key, id});
            }
        }
        batch("INSERT INTO " + p + "sb_account (tenant, channel, platform_user_id, customer_id) VALUES (?, ?, ?, ?)",
                accounts);
        batch("INSERT INTO " + p + "sb_contact (tenant, kind, point, customer_id) VALUES (?, ?, ?, ?)", contacts);
        batch("INSERT INTO " + p + "sb_name_key (tenant, name_key, customer_id) VALUES (?, ?, ?)", keys);
    }

    @Override
    public Optional<CustomerId> customerByAccount(AccountKey account) {
        if (ingest != null) {
            Optional<Optional<CustomerId>> known = ingest.owner(new IngestCache.AccountRef(account.tenant().value(),
                    account.channel().value(), account.platformUserId()));
            if (known.isPresent()) {
                return known.get();
            }
        }
        return queryOne("SELECT customer_id FROM " + p + "sb_account WHERE tenant = ? AND channel = ? AND platform_user_id = ?",
                rs -> CustomerId.of(rs.getString(1)), account.tenant().value(), account.channel().value(),
                account.platformUserId());
    }

    @Override
    public Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point) {
        return customersByContact(tenant, point, Integer.MAX_VALUE);
    }

    @Override
    public Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        // a point thousands of customers hold (a shop's hotline quoted back) is read only as far as the caller needs
        return new LinkedHashSet<>(queryList("SELECT k.customer_id FROM " + p + "sb_contact k JOIN " + p
                        + "sb_customer c ON c.tenant = k.tenant AND c.id = k.customer_id"
                        + " WHERE k.tenant = ? AND k.kind = ? AND k.point = ? AND c.merged_into IS NULL"
                        + " ORDER BY k.customer_id LIMIT ?",
                rs -> CustomerId.of(rs.getString(1)), tenant.value(), point.kind().name(), point.value(), limit));
    }

    @Override
    public void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys) {
        List<String> ref = List.of(tenant.value(), customer.value());
        if (heldCustomers.containsKey(ref)) {
            heldNameKeys.put(ref, new LinkedHashSet<>(keys));
            return;
        }
        update("DELETE FROM " + p + "sb_name_key WHERE tenant = ? AND customer_id = ?", tenant.value(), customer.value());
        batch("INSERT INTO " + p + "sb_name_key (tenant, name_key, customer_id) VALUES (?, ?, ?)",
                new LinkedHashSet<>(keys).stream().map(k -> new Object[] {tenant.value(), k, customer.value()})
                        .collect(Collectors.toList()));
    }

    @Override
    public Set<CustomerId> customersByNameKey(TenantId tenant, String key) {
        return new LinkedHashSet<>(queryList("SELECT customer_id FROM " + p
                        + "sb_name_key WHERE tenant = ? AND name_key = ? ORDER BY customer_id",
                rs -> CustomerId.of(rs.getString(1)), tenant.value(), key));
    }

    /**
     * The candidates of a name key with their customers in one query (the default reads each customer on its own),
     * each form derived from the display name; the customers read are kept for the rest of the transaction, so the
     * engine's read of a candidate that scores high enough costs nothing more.
     */
    @Override
    public List<IndexedName> indexedNames(TenantId tenant, String key) {
        List<Customer> candidates = queryList("SELECT c.body FROM " + p + "sb_name_key k JOIN " + p
                        + "sb_customer c ON c.tenant = k.tenant AND c.id = k.customer_id"
                        + " WHERE k.tenant = ? AND k.name_key = ? ORDER BY k.customer_id",
                rs -> json.customer(rs.getString(1)), tenant.value(), key);
        List<IndexedName> out = new ArrayList<>(candidates.size());
        for (Customer c : candidates) {
            customers.putIfAbsent(List.of(tenant.value(), c.id().value()), Optional.of(c));
            if (!c.isMerged() && c.displayName().isPresent()) {
                out.add(new IndexedName(c.id(), NameMatcher.formOf(c.displayName().get())));
            }
        }
        return out;
    }

    @Override
    public void saveMerge(MergeRecord record) {
        if (ingest != null) {
            ingest.forgetMerges();
        }
        update(dialect.upsert(p + "sb_merge", List.of("tenant", "id", "survivor", "absorbed", "merged_at", "body"),
                        List.of("tenant", "id")),
                record.tenant().value(), record.id().value(), record.survivor().value(), record.absorbed().value(),
                record.at(), json.write(record));
    }

    @Override
    public Optional<MergeRecord> merge(TenantId tenant, MergeId id) {
        return queryOne("SELECT body FROM " + p + "sb_merge WHERE tenant = ? AND id = ?",
                rs -> json.mergeRecord(rs.getString(1)), tenant.value(), id.value());
    }

    @Override
    public List<MergeRecord> mergesOf(TenantId tenant, CustomerId customer) {
        if (ingest != null) {
            Optional<List<MergeRecord>> known = ingest.merges(tenant.value(), customer.value());
            if (known.isPresent()) {
                return known.get();
            }
        }
        return queryList("SELECT body FROM " + p + "sb_merge WHERE tenant = ? AND (survivor = ? OR absorbed = ?)"
                        + " ORDER BY ord", rs -> json.mergeRecord(rs.getString(1)),
                tenant.value(), customer.value(), customer.value());
    }

    @Override
    public void saveSuggestion(MergeSuggestion s) {
        update(dialect.upsert(p + "sb_suggestion", List.of("tenant", "id", "first_id", "second_id", "status", "score",
                        "created_at", "body"), List.of("tenant", "id")),
                s.tenant().value(), s.id().value(), s.first().value(), s.second().value(), s.status().name(),
                s.score(), s.createdAt(), json.write(s));
    }

    @Override
    public Optional<MergeSuggestion> suggestion(TenantId tenant, SuggestionId id) {
        return queryOne("SELECT body FROM " + p + "sb_suggestion WHERE tenant = ? AND id = ?",
                rs -> json.suggestion(rs.getString(1)), tenant.value(), id.value());
    }

    @Override
    public List<MergeSuggestion> suggestionsOf(TenantId tenant, CustomerId customer) {
        return queryList("SELECT body FROM " + p + "sb_suggestion WHERE tenant = ? AND (first_id = ? OR second_id = ?)"
                        + " ORDER BY created_at DESC, id", rs -> json.suggestion(rs.getString(1)),
                tenant.value(), customer.value(), customer.value());
    }

    @Override
    public List<MergeSuggestion> openSuggestions(TenantId tenant, int limit) {
        return queryList("SELECT body FROM " + p + "sb_suggestion WHERE tenant = ? AND status = 'OPEN'"
                        + " ORDER BY score DESC, created_at, id LIMIT ?", rs -> json.suggestion(rs.getString(1)),
                tenant.value(), limit);
    }

    @Override
    public void markDistinct(TenantId tenant, CustomerId a, CustomerId b) {
        String lo = a.value().compareTo(b.value()) <= 0 ? a.value() : b.value();
        String hi = lo.equals(a.value()) ? b.value() : a.value();
        insertIfAbsent(p + "sb_distinct", List.of("tenant", "a", "b"), tenant.value(), lo, hi);
    }

    @Override
    public boolean areDistinct(TenantId tenant, CustomerId a, CustomerId b) {
        String lo = a.value().compareTo(b.value()) <= 0 ? a.value() : b.value();
        String hi = lo.equals(a.value()) ? b.value() : a.value();
        return queryOne("SELECT 1 FROM " + p + "sb_distinct WHERE tenant = ? AND a = ? AND b = ?", rs -> true,
                tenant.value(), lo, hi).isPresent();
    }

    @Override
    public void markAmbiguous(TenantId tenant, ContactPoint point) {
        insertIfAbsent(p + "sb_ambiguous_contact", List.of("tenant", "kind", "point"), tenant.value(),
                point.kind().name(), point.value());
    }

    @Override
    public boolean isAmbiguous(TenantId tenant, ContactPoint point) {
        return queryOne("SELECT 1 FROM " + p + "sb_ambiguous_contact WHERE tenant = ? AND kind = ? AND point = ?",
                rs -> true, tenant.value(), point.kind().name(), point.value()).isPresent();
    }

    // ---- conversations --------------------------------------------------------------------------------------

    @Override
    public Optional<Conversation> conversation(TenantId tenant, ConversationId id) {
        if (ingest != null) {
            Optional<Conversation> known = ingest.conversation(tenant.value(), id.value());
            if (known.isPresent()) {
                return known;
            }
        }
        return queryOne("SELECT body FROM " + p + "sb_conversation WHERE tenant = ? AND id = ?",
                rs -> storedConversation(rs.getString(1)), tenant.value(), id.value());
    }

    @Override
    public void saveConversation(Conversation c) {
        if (ingest != null) {
            ingest.savedConversation(c);
            heldConversations.put(List.of(c.tenant().value(), c.id().value()), c);
            return;
        }
        writeConversations(List.of(c));
    }

    private void writeConversations(java.util.Collection<Conversation> list) {
        batch(dialect.upsert(p + "sb_conversation", List.of("tenant", "id", "customer_id", "status", "assignee",
                "channel", "updated_at", "body"), List.of("tenant", "id")), conversationRows(list));
    }

    private List<Object[]> conversationRows(java.util.Collection<Conversation> list) {
        return list.stream().map(c -> new Object[] {c.tenant().value(), c.id().value(), c.customer().value(),
                c.status().name(), c.assignee().orElse(null), c.channel().map(ChannelId::value).orElse(null),
                c.updatedAt(), json.write(c)}).collect(Collectors.toList());
    }

    private List<Object[]> messageRows(List<Message> list) {
        return list.stream().map(m -> new Object[] {m.tenant().value(), m.id().value(), m.conversation().value(),
                m.customer().value(), m.channel().value(), m.direction().name(), m.platformMessageId().orElse(null),
                json.write(m)}).collect(Collectors.toList());
    }

    @Override
    public List<Conversation> conversationsOf(TenantId tenant, Set<CustomerId> customers) {
        if (customers.isEmpty()) {
            return List.of();
        }
        if (ingest != null) {
            Optional<List<Conversation>> known = ingest.conversationsOf(tenant.value(), customers);
            if (known.isPresent()) {
                return known.get();
            }
        }
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        customers.forEach(c -> args.add(c.value()));
        return queryList("SELECT body FROM " + p + "sb_conversation WHERE tenant = ? AND customer_id IN ("
                        + placeholders(customers.size()) + ") ORDER BY updated_at DESC, id",
                rs -> storedConversation(rs.getString(1)), args.toArray());
    }

    @Override
    public Page<Conversation> conversations(ConversationQuery query) {
        StringBuilder sql = new StringBuilder("SELECT body, updated_at, id FROM " + p + "sb_conversation WHERE tenant = ?");
        List<Object> args = new ArrayList<>();
        args.add(query.tenant().value());
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(placeholders(query.statuses().size())).append(')');
            query.statuses().stream().map(Enum::name).sorted().forEach(args::add);
        }
        query.assignee().ifPresent(a -> {
            sql.append(" AND assignee = ?");
            args.add(a);
        });
        query.channel().ifPresent(ch -> {
            sql.append(" AND channel = ?");
            args.add(ch.value());
        });
        Optional<String> cursor = query.page().cursor();
        if (cursor.isPresent()) {
            ConversationCursor c = ConversationCursor.decode(cursor.get());
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND id > ?))");
            args.add(c.updatedAt);
            args.add(c.updatedAt);
            args.add(c.id);
        }
        int limit = query.page().limit();
        sql.append(" ORDER BY updated_at DESC, id LIMIT ?");
        args.add(limit + 1);
        List<Object[]> rows = queryList(sql.toString(),
                rs -> new Object[] {storedConversation(rs.getString(1)), instant(rs, 2), rs.getString(3)}, args.toArray());
        List<Conversation> items = rows.stream().limit(limit).map(r -> (Conversation) r[0]).collect(Collectors.toList());
        if (rows.size() <= limit) {
            return Page.last(items);
        }
        Object[] last = rows.get(limit - 1);
        return new Page<>(items, Optional.of(new ConversationCursor((Instant) last[1], (String) last[2]).encode()));
    }

    /** Keyset position in "newest activity first" order: the last row's stored timestamp and id. */
    private record ConversationCursor(Instant updatedAt, String id) {
        String encode() {
            String raw = updatedAt.getEpochSecond() + "." + updatedAt.getNano() + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static ConversationCursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                String[] time = raw.substring(0, bar).split("\\.");
                return new ConversationCursor(Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])),
                        raw.substring(bar + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a conversation page cursor: " + cursor, e);
            }
        }
    }

    // ---- messages -------------------------------------------------------------------------------------------

    @Override
    public void saveMessage(Message m) {
        if (ingest != null) {
            // held back: written in a batch by flushWrites, in the order first saved
            ingest.savedMessage(m);
            heldMessages.put(List.of(m.tenant().value(), m.id().value()), m);
            return;
        }
        Object[] args = {m.tenant().value(), m.id().value(), m.conversation().value(), m.customer().value(),
                m.channel().value(), m.direction().name(), m.platformMessageId().orElse(null), json.write(m)};
        List<String> columns = List.of("tenant", "id", "conversation_id", "customer_id", "channel", "direction",
                "platform_message_id", "body");
        // New messages are the common case: one round trip. A conflict is either this message being replaced
        // (the UPDATE below finds it) or another message holding the platform id (nothing to update).
        boolean inserted;
        try {
            inserted = rawUpdate(dialect.insertIfAbsent(p + "sb_message", columns), args) == 1;
        } catch (SQLException e) {
            if (!SqlStates.isUniqueViolation(e) || dialect.errorAbortsTransaction) {
                throw translate("saving message " + m.id(), e);
            }
            inserted = false;
        }
        if (inserted) {
            return;
        }
        int updated = update("UPDATE " + p + "sb_message SET conversation_id = ?, customer_id = ?, channel = ?,"
                        + " direction = ?, platform_message_id = ?, body = ? WHERE tenant = ? AND id = ?",
                args[2], args[3], args[4], args[5], args[6], args[7], args[0], args[1]);
        if (updated == 0) {
            throw new DuplicateKeyException("message with platform id " + m.platformMessageId().orElse("?") + " ("
                    + m.direction() + ") already stored for " + m.tenant() + "/" + m.channel());
        }
    }

    @Override
    public Optional<Message> message(TenantId tenant, MessageId id) {
        return queryOne("SELECT body FROM " + p + "sb_message WHERE tenant = ? AND id = ?",
                rs -> storedMessage(rs.getString(1)), tenant.value(), id.value());
    }

    @Override
    public Optional<Message> messageByPlatformId(TenantId tenant, ChannelId channel, String platformMessageId) {
        if (ingest != null) {
            Optional<Optional<Message>> known = ingest.messageByPlatformId(tenant.value(), channel.value(),
                    platformMessageId);
            if (known.isPresent()) {
                return known.get();
            }
        }
        return queryOne("SELECT body FROM " + p + "sb_message WHERE tenant = ? AND channel = ? AND platform_message_id = ?"
                        + " ORDER BY ord LIMIT 1", rs -> storedMessage(rs.getString(1)), tenant.value(), channel.value(),
                platformMessageId);
    }

    @Override
    public List<Message> messages(TenantId tenant, ConversationId conversation) {
        return queryList("SELECT body FROM " + p + "sb_message WHERE tenant = ? AND conversation_id = ? ORDER BY ord",
                rs -> storedMessage(rs.getString(1)), tenant.value(), conversation.value());
    }

    @Override
    public Page<Message> timeline(TenantId tenant, Set<CustomerId> customers, PageRequest page) {
        if (customers.isEmpty()) {
            return Page.last(List.of());
        }
        long after;
        try {
            after = page.cursor().map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a timeline page cursor: " + page.cursor().get(), e);
        }
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        customers.forEach(c -> args.add(c.value()));
        args.add(after);
        args.add(page.limit() + 1);
        List<Object[]> rows = queryList("SELECT body, ord FROM " + p + "sb_message WHERE tenant = ? AND customer_id IN ("
                        + placeholders(customers.size()) + ") AND ord > ? ORDER BY ord LIMIT ?",
                rs -> new Object[] {storedMessage(rs.getString(1)), rs.getLong(2)}, args.toArray());
        List<Message> items = rows.stream().limit(page.limit()).map(r -> (Message) r[0]).collect(Collectors.toList());
        if (rows.size() <= page.limit()) {
            return Page.last(items);
        }
        return new Page<>(items, Optional.of(String.valueOf(rows.get(page.limit() - 1)[1])));
    }

    // ---- group-committed ingest: bulk reads, held-back writes ---------------------------------------------------

    /** mergedInto chains are path-compressed by the identity engine; longer ones are followed one query at a time. */
    private static final int CHAIN_ROUNDS = 3;

    @Override
    public void prefetchInbound(TenantId tenant, ChannelId channel, List<? extends InboundEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (ingest == null) {
            ingest = new IngestCache();
        }
        String t = tenant.value();
        String ch = channel.value();
        boolean postgres = dialect == Dialect.POSTGRESQL;
        if (postgres) {
            // PostgreSQL keeps a generic plan for a prepared statement once it looks no worse than the first custom
            // ones, and only replans after ANALYZE: a plan made while the tables were young (a sequential scan of a
            // few pages) stays in use as they grow, until autovacuum's first ANALYZE, a minute or more later.
            // Planning these few lookups for their actual arrays each time costs less than one such scan.
            update("SET LOCAL plan_cache_mode = force_custom_plan");
        }
        loadDedupeRows(t, ch, distinct(events.stream().map(InboundEvent::eventId)));
        loadPlatformIds(t, ch, distinct(events.stream().flatMap(e -> platformIds(e).stream())));
        Set<String> customerIds = loadOwnersAndCustomers(t, ch, distinct(events.stream()
                .map(e -> e.account().platformUserId())));
        if (!customerIds.isEmpty()) {
            loadConversations(t, loadMergeLogs(t, customerIds));
        }
        if (postgres) {
            update("SET LOCAL plan_cache_mode = auto"); // the batched inserts that follow keep their cached plans
        }
    }

    private void loadDedupeRows(String t, String ch, List<String> eventIds) {
        Set<String> stored = new HashSet<>();
        stored.addAll(queryList(perKey("e.event_id", p + "sb_processed_event e",
                "e.tenant = ? AND e.channel = ? AND e.event_id = k.v", "", ""), rs -> rs.getString(1),
                new Keys(eventIds), t, ch));
        ingest.loadedProcessed(t, ch, eventIds, stored);
    }

    private void loadPlatformIds(String t, String ch, List<String> platformIds) {
        Map<String, Message> firstStored = new HashMap<>();
        if (!platformIds.isEmpty()) {
            queryList(perKey("m.platform_message_id, m.body, m.ord", p + "sb_message m",
                            "m.tenant = ? AND m.channel = ? AND m.platform_message_id = k.v", "", "ord"),
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, new Keys(platformIds), t, ch)
                    .forEach(row -> firstStored.computeIfAbsent(row[0], k -> storedMessage(row[1])));
        }
        ingest.loadedPlatformIds(t, ch, platformIds, firstStored);
    }

    /** Accounts, their owners with their customers, then the customers those were merged into; returns every id. */
    private Set<String> loadOwnersAndCustomers(String t, String ch, List<String> users) {
        Map<String, String> ownerOf = new HashMap<>();
        queryList(perKey("a.platform_user_id, a.customer_id, (SELECT c.body FROM " + p + "sb_customer c"
                                + " WHERE c.tenant = a.tenant AND c.id = a.customer_id) AS body", p + "sb_account a",
                        "a.tenant = ? AND a.channel = ? AND a.platform_user_id = k.v", "", ""),
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, new Keys(users), t, ch)
                .forEach(row -> {
                    ownerOf.put(row[0], row[1]);
                    if (row[2] != null) {
                        customers.putIfAbsent(List.of(t, row[1]), Optional.of(json.customer(row[2])));
                    }
                });
        for (String user : users) {
            ingest.loadedOwner(new IngestCache.AccountRef(t, ch, user),
                    Optional.ofNullable(ownerOf.get(user)).map(CustomerId::of));
        }
        Set<String> customerIds = new LinkedHashSet<>(ownerOf.values());
        List<String> toRead = new ArrayList<>();
        for (String id : List.copyOf(customerIds)) {
            Optional<Customer> c = customers.getOrDefault(List.of(t, id), Optional.empty());
            c.flatMap(Customer::mergedInto).map(CustomerId::value)
                    .filter(next -> customerIds.add(next) && !customers.containsKey(List.of(t, next)))
                    .ifPresent(toRead::add);
        }
        for (int round = 0; round <= CHAIN_ROUNDS && !toRead.isEmpty(); round++) {
            List<String> next = new ArrayList<>();
            queryList(perKey("c.id, c.body", p + "sb_customer c", "c.tenant = ? AND c.id = k.v", "", ""),
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, new Keys(toRead), t)
                    .forEach(row -> {
                        Customer c = json.customer(row[1]);
                        customers.putIfAbsent(List.of(t, row[0]), Optional.of(c));
                        c.mergedInto().map(CustomerId::value)
                                .filter(id -> customerIds.add(id) && !customers.containsKey(List.of(t, id)))
                                .ifPresent(next::add);
                    });
            toRead = next;
        }
        return customerIds;
    }

    /** The merge logs of these customers and of what they absorbed; returns them all (their identities). */
    private Set<String> loadMergeLogs(String t, Set<String> customerIds) {
        Set<String> identities = new LinkedHashSet<>(customerIds);
        Set<String> loadedMerges = new HashSet<>();
        for (int round = 0; round < CHAIN_ROUNDS; round++) {
            List<String> toLoad = identities.stream().filter(id -> !loadedMerges.contains(id)).collect(Collectors.toList());
            if (toLoad.isEmpty()) {
                break;
            }
            // a merge found from both sides (two of these customers) is kept once, in merge-log order
            Map<Long, MergeRecord> byOrd = new java.util.TreeMap<>();
            queryList(perKey("m.ord, m.body", p + "sb_merge m", "m.tenant = ? AND (m.survivor = k.v OR m.absorbed = k.v)",
                            "", ""), rs -> new Object[] {rs.getLong(1), rs.getString(2)}, new Keys(toLoad), t)
                    .forEach(row -> byOrd.computeIfAbsent((Long) row[0], k -> json.mergeRecord((String) row[1])));
            List<MergeRecord> records = new ArrayList<>(byOrd.values());
            Set<String> batch = new HashSet<>(toLoad);
            ingest.loadedMerges(t, batch, records);
            loadedMerges.addAll(toLoad);
            for (MergeRecord r : records) {
                if (!r.isUndone() && batch.contains(r.survivor().value())) {
                    identities.add(r.absorbed().value());
                }
            }
        }
        return identities;
    }

    /** The conversations of these customers with their numbered-reply maps. */
    private void loadConversations(String t, Set<String> identities) {
        Map<String, ChoiceMap> choiceMaps = new HashMap<>();
        List<Conversation> conversations = new ArrayList<>();
        queryList(perKey("c.body, m.body AS choice_map", p + "sb_conversation c", "c.tenant = ? AND c.customer_id = k.v",
                        "LEFT JOIN " + p + "sb_choice_map m ON m.tenant = c.tenant AND m.conversation_id = c.id", ""),
                rs -> new String[] {rs.getString(1), rs.getString(2)}, new Keys(List.copyOf(identities)), t)
                .forEach(row -> {
                    Conversation c = storedConversation(row[0]);
                    conversations.add(c);
                    if (row[1] != null) {
                        choiceMaps.put(c.id().value(), json.choiceMap(row[1]));
                    }
                });
        ingest.loadedConversations(t, identities, conversations, choiceMaps);
    }

    private static List<String> platformIds(InboundEvent e) {
        if (e instanceof InboundEvent.MessageReceived m) {
            return List.of(m.platformMessageId());
        }
        if (e instanceof InboundEvent.MessageEdited m) {
            return List.of(m.platformMessageId());
        }
        if (e instanceof InboundEvent.DeliveryUpdate d) {
            return List.of(d.platformMessageId());
        }
        if (e instanceof InboundEvent.Postback b) {
            return b.platformMessageId().map(List::of).orElse(List.of());
        }
        return List.of();
    }

    private static List<String> distinct(java.util.stream.Stream<String> values) {
        return values.distinct().collect(Collectors.toList());
    }

    /**
     * A query for the rows matching each key of one array parameter (bound first, as {@link Keys}; {@code k.v} in
     * {@code keyCondition}). On PostgreSQL the lookup runs once per key as a LATERAL subquery that cannot be flattened
     * ({@code OFFSET 0}), so it is an index lookup per key even on a young table without statistics, where a plain
     * join or {@code IN} list gets planned as a scan of the tenant's whole channel. H2 has no LATERAL but plans the
     * join from the array side by itself.
     */
    private String perKey(String columns, String table, String keyCondition, String leftJoin, String orderBy) {
        if (dialect == Dialect.POSTGRESQL) {
            return "SELECT x.* FROM UNNEST(?) AS k(v) CROSS JOIN LATERAL (SELECT " + columns + " FROM " + table + " "
                    + leftJoin + " WHERE " + keyCondition + " OFFSET 0) x" + (orderBy.isEmpty() ? "" : " ORDER BY x." + orderBy);
        }
        return "SELECT " + columns + " FROM UNNEST(?) AS k(v) JOIN " + table + " ON " + keyCondition + " " + leftJoin
                + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy);
    }

    /**
     * A list of keys bound as one SQL array and joined through {@code UNNEST(?)}: one index lookup per key whatever the
     * table statistics say (an {@code IN (...)} list on the last column of a key lets a planner without statistics,
     * as on a young table, scan every row of the tenant's channel instead).
     */
    private record Keys(List<String> values) {
    }

    /**
     * Writes what {@link #prefetchInbound} mode held back, in batches: dedupe rows (plain inserts, so a concurrent
     * node's row fails this transaction instead of being processed twice), messages in the order first saved
     * (upserted by id: a platform id held by another message fails as before), then conversations. Runs before any
     * other statement of this transaction and before commit, so the database never lags what this transaction said.
     */
    private void flushWrites() {
        if (flushing || (heldCustomers.isEmpty() && heldProcessed.isEmpty() && heldMessages.isEmpty()
                && heldConversations.isEmpty())) {
            return;
        }
        flushing = true;
        try {
            writeHeldCustomers();
            List<Object[]> processed = new ArrayList<>(heldProcessed);
            List<Message> messages = new ArrayList<>(heldMessages.values());
            List<Conversation> conversations = new ArrayList<>(heldConversations.values());
            heldProcessed.clear();
            heldMessages.clear();
            heldConversations.clear();
            batch("INSERT INTO " + p + "sb_processed_event (tenant, channel, event_id, processed_at) VALUES (?, ?, ?, ?)",
                    processed);
            List<String> messageColumns = List.of("tenant", "id", "conversation_id", "customer_id", "channel",
                    "direction", "platform_message_id", "body");
            Map<Boolean, List<Message>> messagesByStored = messages.stream().collect(Collectors.partitioningBy(
                    m -> storedMessages.contains(List.of(m.tenant().value(), m.id().value()))));
            batch("INSERT INTO " + p + "sb_message (" + String.join(", ", messageColumns) + ") VALUES ("
                    + placeholders(messageColumns.size()) + ")", messageRows(messagesByStored.get(false)));
            batch(dialect.upsert(p + "sb_message", messageColumns, List.of("tenant", "id")),
                    messageRows(messagesByStored.get(true)));
            Map<Boolean, List<Conversation>> conversationsByStored = conversations.stream().collect(Collectors
                    .partitioningBy(c -> storedConversations.contains(List.of(c.tenant().value(), c.id().value()))));
            batch("INSERT INTO " + p + "sb_conversation (tenant, id, customer_id, status, assignee, channel, updated_at,"
                    + " body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", conversationRows(conversationsByStored.get(false)));
            writeConversations(conversationsByStored.get(true));
            messages.forEach(m -> storedMessages.add(List.of(m.tenant().value(), m.id().value())));
            conversations.forEach(c -> storedConversations.add(List.of(c.tenant().value(), c.id().value())));
        } finally {
            flushing = false;
        }
    }

    /** Everything this transaction held back, then the event feed; called by the store right before commit. */
    void beforeCommit() {
        flushWrites();
        flushEvents();
    }

    // ---- inbox tables ---------------------------------------------------------------------------------------

    @Override
    public boolean markProcessed(TenantId tenant, ChannelId channel, String eventId, Instant at) {
        if (ingest != null) {
            Optional<Boolean> known = ingest.processed(tenant.value(), channel.value(), eventId);
            if (known.isPresent()) {
                if (known.get()) {
                    return false;
                }
                // Held back and inserted without ON CONFLICT: should another node process the same event meanwhile,
                // the insert fails at flush and the whole transaction runs again, finding the event processed.
                ingest.markProcessed(tenant.value(), channel.value(), eventId);
                heldProcessed.add(new Object[] {tenant.value(), channel.value(), eventId, at});
                return true;
            }
        }
        return insertIfAbsent(p + "sb_processed_event", List.of("tenant", "channel", "event_id", "processed_at"),
                tenant.value(), channel.value(), eventId, at);
    }

    @Override
    public void enqueue(OutboxEntry e) {
        update("INSERT INTO " + p + "sb_outbox (id, tenant, status, attempts, next_attempt_at, last_error, lease_owner,"
                        + " lease_until, created_at, updated_at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.tenant().value(), e.status().name(), e.attempts(), e.nextAttemptAt(),
                e.lastError().orElse(null), e.leaseOwner().orElse(null), e.leaseUntil().orElse(null), e.createdAt(),
                e.updatedAt(), json.write(e.message()));
    }

    private static final String OUTBOX_COLUMNS = "id, tenant, status, attempts, next_attempt_at, last_error, lease_owner,"
            + " lease_until, created_at, updated_at, message";

    @Override
    public List<OutboxEntry> claimOutbox(Instant now, int limit, String owner, Instant leaseUntil) {
        if (limit < 1) {
            return List.of();
        }
        String due = "SELECT id FROM " + p + "sb_outbox WHERE status = 'PENDING' AND next_attempt_at <= ?"
                + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, created_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
        List<OutboxEntry> claimed;
        if (dialect == Dialect.POSTGRESQL) {
            claimed = queryList("UPDATE " + p + "sb_outbox SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id IN (" + due
                    + ") RETURNING " + OUTBOX_COLUMNS, this::outboxEntry, owner, leaseUntil, now, now, now, limit);
        } else {
            List<String> ids = queryList(due, rs -> rs.getString(1), now, now, limit);
            batch("UPDATE " + p + "sb_outbox SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?",
                    ids.stream().map(id -> new Object[] {owner, leaseUntil, now, id}).collect(Collectors.toList()));
            claimed = new ArrayList<>();
            for (String id : ids) {
                outboxEntry(id).ifPresent(claimed::add);
            }
        }
        claimed.sort(Comparator.comparing(OutboxEntry::nextAttemptAt).thenComparing(OutboxEntry::createdAt)
                .thenComparing(OutboxEntry::id));
        return claimed;
    }

    @Override
    public void updateOutbox(OutboxEntry e) {
        int n = update("UPDATE " + p + "sb_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
                        + " lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?",
                e.status().name(), e.attempts(), e.nextAttemptAt(), e.lastError().orElse(null),
                e.leaseOwner().orElse(null), e.leaseUntil().orElse(null), e.updatedAt(), e.id());
        if (n == 0) {
            throw new IllegalArgumentException("no outbox row " + e.id());
        }
    }

    @Override
    public Optional<OutboxEntry> outboxEntry(String id) {
        return queryOne("SELECT " + OUTBOX_COLUMNS + " FROM " + p + "sb_outbox WHERE id = ?", this::outboxEntry, id);
    }

    private OutboxEntry outboxEntry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getString(1), TenantId.of(rs.getString(2)), json.outbound(rs.getString(11)),
                OutboxEntry.Status.valueOf(rs.getString(3)), rs.getInt(4), instant(rs, 5),
                Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)),
                Optional.ofNullable(instantOrNull(rs, 8)), instant(rs, 9), instant(rs, 10));
    }

    @Override
    public long pendingOutboxCount() {
        return queryOne("SELECT COUNT(*) FROM " + p + "sb_outbox WHERE status = 'PENDING'", rs -> rs.getLong(1))
                .orElse(0L);
    }

    @Override
    public int pruneProcessed(Instant before, int limit) {
        String oldest = "SELECT tenant, channel, event_id FROM " + p + "sb_processed_event WHERE processed_at < ?"
                + " ORDER BY processed_at LIMIT ?";
        return update("DELETE FROM " + p + "sb_processed_event WHERE (tenant, channel, event_id) IN (" + oldest + ")",
                before, limit);
    }

    @Override
    public Optional<Instant> oldestPendingOutbox() {
        return queryOne("SELECT MIN(created_at) FROM " + p + "sb_outbox WHERE status = 'PENDING'",
                rs -> Optional.ofNullable(instantOrNull(rs, 1))).flatMap(o -> o);
    }

    /**
     * Queues the event; it is numbered and written by {@link #flushEvents()} right before commit. Taking the number
     * locks the counter row until the transaction ends, so doing it last keeps that lock for the commit only instead
     * of for the whole (group-committed) transaction. The returned event is not numbered yet (seq 0): the number is
     * assigned at commit, as documented in docs/unified-inbox-spi-changes.md.
     */
    @Override
    public InboxEvent appendEvent(InboxEvent e) {
        pendingEvents.add(e);
        return e.withSeq(0);
    }

    /** Numbers and writes the queued events: one counter update and one batch insert. */
    void flushEvents() {
        if (pendingEvents.isEmpty()) {
            return;
        }
        int n = pendingEvents.size();
        long last;
        if (dialect == Dialect.POSTGRESQL) {
            last = queryOne("UPDATE " + p + "sb_event_counter SET seq = seq + ? WHERE id = 1 RETURNING seq",
                    rs -> rs.getLong(1), n).orElseThrow(
                            () -> new IllegalStateException("event counter row missing; was the schema migrated?"));
        } else {
            update("UPDATE " + p + "sb_event_counter SET seq = seq + ? WHERE id = 1", n);
            last = queryOne("SELECT seq FROM " + p + "sb_event_counter WHERE id = 1", rs -> rs.getLong(1)).orElseThrow(
                    () -> new IllegalStateException("event counter row missing; was the schema migrated?"));
        }
        long seq = last - n;
        List<Object[]> rows = new ArrayList<>(n);
        for (InboxEvent e : pendingEvents) {
            seq++;
            rows.add(new Object[] {seq, e.tenant().value(), e.type().name(),
                    e.conversation().map(ConversationId::value).orElse(null), e.message().map(MessageId::value).orElse(null),
                    e.customer().map(CustomerId::value).orElse(null), json.write(e.attributes()), e.at()});
        }
        pendingEvents.clear();
        batch("INSERT INTO " + p + "sb_event (seq, tenant, type, conversation_id, message_id, customer_id, attributes,"
                + " occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    @Override
    public List<InboxEvent> events(Optional<TenantId> tenant, long afterSeq, int limit) {
        flushEvents();
        String sql = "SELECT seq, tenant, type, conversation_id, message_id, customer_id, attributes, occurred_at FROM "
                + p + "sb_event WHERE seq > ?" + (tenant.isPresent() ? " AND tenant = ?" : "") + " ORDER BY seq LIMIT ?";
        Object[] args = tenant.isPresent() ? new Object[] {afterSeq, tenant.get().value(), limit}
                : new Object[] {afterSeq, limit};
        return queryList(sql, rs -> new InboxEvent(rs.getLong(1), TenantId.of(rs.getString(2)),
                InboxEvent.Type.valueOf(rs.getString(3)),
                Optional.ofNullable(rs.getString(4)).map(ConversationId::of),
                Optional.ofNullable(rs.getString(5)).map(MessageId::of),
                Optional.ofNullable(rs.getString(6)).map(CustomerId::of),
                json.readStringMap(rs.getString(7)), instant(rs, 8)), args);
    }

    @Override
    public long lastEventSeq() {
        flushEvents();
        return queryOne("SELECT COALESCE(MAX(seq), 0) FROM " + p + "sb_event", rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public QuarantineEntry quarantine(TenantId tenant, RejectedInput input) {
        String sql = "INSERT INTO " + p + "sb_quarantine (tenant, channel, platform_event_id, raw, reason, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        flushWrites();
        try (PreparedStatement ps = connection.prepareStatement(sql, new String[] {idColumn()})) {
            bind(ps, tenant.value(), input.channel().value(), input.platformEventId().orElse(null), input.raw(),
                    input.reason(), input.receivedAt());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new QuarantineEntry(keys.getLong(1), tenant, input);
            }
        } catch (SQLException e) {
            throw translate("quarantining input", e);
        }
    }

    private String idColumn() {
        return dialect == Dialect.H2 ? "ID" : "id";
    }

    @Override
    public List<QuarantineEntry> quarantined(TenantId tenant, int limit) {
        return queryList("SELECT id, channel, platform_event_id, raw, reason, received_at FROM " + p
                        + "sb_quarantine WHERE tenant = ? ORDER BY id DESC LIMIT ?",
                rs -> new QuarantineEntry(rs.getLong(1), tenant, new RejectedInput(ChannelId.of(rs.getString(2)),
                        Optional.ofNullable(rs.getString(3)), rs.getBytes(4), rs.getString(5), instant(rs, 6))),
                tenant.value(), limit);
    }

    /** Send-pace keys read as absent in this transaction: saving one inserts, so a racing node's insert conflicts. */
    private final java.util.Set<String> absentPaceKeys = new java.util.HashSet<>();

    @Override
    public Optional<Instant> sendPaceMark(String key) {
        Optional<Instant> mark = queryOne("SELECT mark FROM " + p + "sb_send_pace WHERE pace_key = ? FOR UPDATE",
                rs -> instant(rs, 1), key);
        if (mark.isEmpty()) {
            absentPaceKeys.add(key);
        }
        return mark;
    }

    @Override
    public void saveSendPaceMark(String key, Instant mark) {
        if (absentPaceKeys.remove(key)) {
            // a plain insert: if another node inserted it meanwhile, the unique key fails this transaction, which the
            // store runs again, now reading (and locking) that node's mark
            update("INSERT INTO " + p + "sb_send_pace (pace_key, mark) VALUES (?, ?)", key, mark);
        } else {
            update(dialect.upsert(p + "sb_send_pace", List.of("pace_key", "mark"), List.of("pace_key")), key, mark);
        }
    }

    @Override
    public int pruneSendPaceMarks(Instant before) {
        return update("DELETE FROM " + p + "sb_send_pace WHERE mark < ?", before);
    }

    @Override
    public void saveChoiceMap(TenantId tenant, ConversationId conversation, ChoiceMap map) {
        if (ingest != null) {
            ingest.savedChoiceMap(tenant.value(), conversation.value(), map);
        }
        update(dialect.upsert(p + "sb_choice_map", List.of("tenant", "conversation_id", "body"),
                List.of("tenant", "conversation_id")), tenant.value(), conversation.value(), json.write(map));
    }

    @Override
    public Optional<ChoiceMap> choiceMap(TenantId tenant, ConversationId conversation) {
        if (ingest != null) {
            Optional<Optional<ChoiceMap>> known = ingest.choiceMap(tenant.value(), conversation.value());
            if (known.isPresent()) {
                return known.get();
            }
        }
        return queryOne("SELECT body FROM " + p + "sb_choice_map WHERE tenant = ? AND conversation_id = ?",
                rs -> json.choiceMap(rs.getString(1)), tenant.value(), conversation.value());
    }

    private Message storedMessage(String body) {
        Message m = json.message(body);
        storedMessages.add(List.of(m.tenant().value(), m.id().value()));
        return m;
    }

    private Conversation storedConversation(String body) {
        Conversation c = json.conversation(body);
        storedConversations.add(List.of(c.tenant().value(), c.id().value()));
        return c;
    }

    // ---- JDBC plumbing --------------------------------------------------------------------------------------

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        flushWrites();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate("query failed", e);
        }
    }

    private <T> List<T> queryList(String sql, RowMapper<T> mapper, Object... args) {
        flushWrites();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw translate("query failed", e);
        }
    }

    private int update(String sql, Object... args) {
        try {
            return rawUpdate(sql, args);
        } catch (SQLException e) {
            throw translate("update failed", e);
        }
    }

    private int rawUpdate(String sql, Object... args) throws SQLException {
        flushWrites();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        flushWrites();
        if (rows.size() == 1) {
            update(sql, rows.get(0));
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw translate("batch update failed", e);
        }
    }

    /** Inserts a row unless one with the same key exists; true when this call inserted it. */
    private boolean insertIfAbsent(String table, List<String> columns, Object... args) {
        try {
            return rawUpdate(dialect.insertIfAbsent(table, columns), args) == 1;
        } catch (SQLException e) {
            if (SqlStates.isUniqueViolation(e) && !dialect.errorAbortsTransaction) {
                return false;
            }
            throw translate("insert failed", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int index = i + 1;
            if (a == null) {
                ps.setNull(index, Types.NULL);
            } else if (a instanceof Instant instant) {
                ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else if (a instanceof Keys keys) {
                ps.setArray(index, ps.getConnection().createArrayOf("varchar", keys.values().toArray()));
            } else if (a instanceof byte[] bytes) {
                ps.setBytes(index, bytes);
            } else if (a instanceof Long l) {
                ps.setLong(index, l);
            } else if (a instanceof Integer n) {
                ps.setInt(index, n);
            } else if (a instanceof Double d) {
                ps.setDouble(index, d);
            } else {
                ps.setString(index, a.toString());
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Instant value = instantOrNull(rs, column);
        if (value == null) {
            throw new SQLException("column " + column + " is unexpectedly NULL");
        }
        return value;
    }

    private static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private RuntimeException translate(String what, SQLException e) {
        SQLException cause = e;
        // Batch failures wrap the statement's own error.
        if (e.getNextException() != null && e.getSQLState() == null) {
            cause = e.getNextException();
        }
        if (SqlStates.isUniqueViolation(e) || SqlStates.isUniqueViolation(cause)) {
            DuplicateKeyException duplicate = new DuplicateKeyException(what + ": " + e.getMessage(), e);
            if (poison == null) {
                poison = duplicate;
            }
            return duplicate;
        }
        return new JdbcStoreException(what, e);
    }

}
