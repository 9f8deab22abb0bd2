package dev.switchboard.inbox.jdbc;

import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The write-behind of a group-committed ingest transaction. Once {@code prefetchInbound} loaded what a group of
 * inbound events reads ({@link IngestCache}), the hot ingest writes (dedupe rows, new customers, messages,
 * conversations) are held here and written in batches by {@link #flush()}, which {@link JdbcStatements} runs before
 * every other statement, and the store before commit.
 *
 * <p>It also remembers which messages and conversations the transaction read from the database: a held one that is
 * not among them was created here and is written with a plain insert, which is cheaper than an upsert. Were that guess
 * ever wrong (a caller saving a row it never read), the insert fails and the store runs the transaction again.
 */
final class HeldWrites {
    private final JdbcStatements jdbc;
    private final StoreSql sql;
    private final JsonCodec json;
    /** Null until the transaction prefetches a group of inbound events; from then on writes are held. */
    private IngestCache ingest;
    private final List<Object[]> processed = new ArrayList<>();
    /** Customers created in this transaction, with their name keys, not written yet. */
    private final Map<RowKey, Customer> customers = new LinkedHashMap<>();
    private final Map<RowKey, Set<String>> nameKeys = new HashMap<>();
    /** Held messages and conversations by id, in the order first saved (timelines follow the message order). */
    private final Map<RowKey, Message> messages = new LinkedHashMap<>();
    private final Map<RowKey, Conversation> conversations = new LinkedHashMap<>();
    private final Set<RowKey> storedMessages = new HashSet<>();
    private final Set<RowKey> storedConversations = new HashSet<>();
    private boolean flushing;

    HeldWrites(JdbcStatements jdbc, StoreSql sql, JsonCodec json) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
    }

    /** The ingest cache, created by the first prefetch. */
    IngestCache startIngest() {
        if (ingest == null) {
            ingest = new IngestCache();
        }
        return ingest;
    }

    /** The ingest cache, or null when the transaction never prefetched (then nothing is held). */
    IngestCache ingestOrNull() {
        return ingest;
    }

    // ---- what the transaction read ----------------------------------------------------------------------------

    Message storedMessage(String body) {
        Message m = json.message(body);
        storedMessages.add(RowKey.of(m.tenant(), m.id().value()));
        return m;
    }

    Conversation storedConversation(String body) {
        Conversation c = json.conversation(body);
        storedConversations.add(RowKey.of(c.tenant(), c.id().value()));
        return c;
    }

    // ---- holding ------------------------------------------------------------------------------------------------

    boolean holdsCustomer(RowKey customer) {
        return customers.containsKey(customer);
    }

    void holdCustomer(RowKey key, Customer customer) {
        customers.put(key, customer);
    }

    void holdNameKeys(RowKey customer, Set<String> keys) {
        nameKeys.put(customer, new LinkedHashSet<>(keys));
    }

    void holdProcessed(Object[] row) {
        processed.add(row);
    }

    void holdMessage(Message m) {
        messages.put(RowKey.of(m.tenant(), m.id().value()), m);
    }

    void holdConversation(Conversation c) {
        conversations.put(RowKey.of(c.tenant(), c.id().value()), c);
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /**
     * Writes what is held, in batches: new customers with their accounts, contact points and name keys, dedupe rows
     * (plain inserts, so a concurrent node's row fails this transaction instead of being processed twice), messages
     * in the order first saved (upserted by id: a platform id held by another message fails as before), then
     * conversations.
     */
    void flush() {
        if (flushing || (customers.isEmpty() && processed.isEmpty() && messages.isEmpty()
                && conversations.isEmpty())) {
            return;
        }
        flushing = true;
        try {
            writeCustomers();
            List<Object[]> processedRows = new ArrayList<>(processed);
            List<Message> messageList = new ArrayList<>(messages.values());
            List<Conversation> conversationList = new ArrayList<>(conversations.values());
            processed.clear();
            messages.clear();
            conversations.clear();
            jdbc.batch(sql.inbox().insertProcessed, processedRows);
            Map<Boolean, List<Message>> messagesByStored = messageList.stream().collect(Collectors.partitioningBy(
                    m -> storedMessages.contains(RowKey.of(m.tenant(), m.id().value()))));
            jdbc.batch(sql.messages().insertMessage, messageRows(messagesByStored.get(false), json));
            jdbc.batch(sql.messages().upsertMessage, messageRows(messagesByStored.get(true), json));
            Map<Boolean, List<Conversation>> conversationsByStored = conversationList.stream().collect(Collectors
                    .partitioningBy(c -> storedConversations.contains(RowKey.of(c.tenant(), c.id().value()))));
            jdbc.batch(sql.conversations().insertConversation,
                    conversationRows(conversationsByStored.get(false), json));
            jdbc.batch(sql.conversations().upsertConversation,
                    conversationRows(conversationsByStored.get(true), json));
            messageList.forEach(m -> storedMessages.add(RowKey.of(m.tenant(), m.id().value())));
            conversationList.forEach(c -> storedConversations.add(RowKey.of(c.tenant(), c.id().value())));
        } finally {
            flushing = false;
        }
    }

    /** The held new customers: their rows, accounts, contact points and name keys, each in one batch. */
    private void writeCustomers() {
        if (customers.isEmpty()) {
            return;
        }
        List<Customer> created = new ArrayList<>(customers.values());
        Map<RowKey, Set<String>> keysOf = new HashMap<>(nameKeys);
        customers.clear();
        nameKeys.clear();
        CustomerSql customerSql = sql.customers();
        jdbc.batch(customerSql.insertCustomer, created.stream().map(c -> new Object[] {c.tenant().value(),
                c.id().value(), c.mergedInto().map(CustomerId::value).orElse(null), c.updatedAt(), json.write(c)})
                .collect(Collectors.toList()));
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
            for (String key : keysOf.getOrDefault(new RowKey(tenant, id), Set.of())) {
                keys.add(new Object[] {tenant, key, id});
            }
        }
        jdbc.batch(customerSql.insertAccount, accounts);
        jdbc.batch(customerSql.insertContact, contacts);
        jdbc.batch(customerSql.insertNameKey, keys);
    }

    static List<Object[]> conversationRows(Collection<Conversation> list, JsonCodec json) {
        return list.stream().map(c -> new Object[] {c.tenant().value(), c.id().value(), c.customer().value(),
                c.status().name(), c.assignee().orElse(null), c.channel().map(ch -> ch.value()).orElse(null),
                c.updatedAt(), json.write(c)}).collect(Collectors.toList());
    }

    static List<Object[]> messageRows(Collection<Message> list, JsonCodec json) {
        return list.stream().map(m -> messageRow(m, json)).collect(Collectors.toList());
    }

    static Object[] messageRow(Message m, JsonCodec json) {
        return new Object[] {m.tenant().value(), m.id().value(), m.conversation().value(), m.customer().value(),
                m.channel().value(), m.direction().name(), m.platformMessageId().orElse(null), json.write(m)};
    }
}
