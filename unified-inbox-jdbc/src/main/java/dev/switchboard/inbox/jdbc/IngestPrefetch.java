package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.ChoiceMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bulk reads of a group of inbound events ({@code prefetchInbound}), three statements for the whole group: dedupe
 * rows with the messages holding the platform ids, account owners with their customers (plus the customers those were
 * merged into, when any), and the merge logs with the conversations and their reply maps (plus one more for each
 * merge the chain goes back). What it loads goes to the transaction's {@link IngestCache} and customer cache; from
 * then on the transaction holds its ingest writes ({@link HeldWrites}).
 */
final class IngestPrefetch {
    /** mergedInto chains are path-compressed by the identity engine; longer ones are followed one query at a time. */
    private static final int CHAIN_ROUNDS = 3;

    private final JdbcStatements jdbc;
    private final StoreSql sql;
    private final JsonCodec json;
    private final HeldWrites held;
    private final CustomerRows customers;

    IngestPrefetch(JdbcStatements jdbc, StoreSql sql, JsonCodec json, HeldWrites held, CustomerRows customers) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
        this.held = held;
        this.customers = customers;
    }

    void prefetchInbound(TenantId tenant, ChannelId channel, List<? extends InboundEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        IngestCache ingest = held.startIngest();
        String t = tenant.value();
        String ch = channel.value();
        jdbc.dialect().withBulkLookupPlans(jdbc, sql.ingestLookupTables(), () -> {
            loadDedupeRowsAndPlatformIds(ingest, t, ch, distinct(events.stream().map(InboundEvent::eventId)),
                    distinct(events.stream().flatMap(e -> platformIds(e).stream())));
            Set<String> customerIds = loadOwnersAndCustomers(ingest, t, ch, distinct(events.stream()
                    .map(e -> e.account().platformUserId())));
            if (!customerIds.isEmpty()) {
                loadMergeLogsAndConversations(ingest, t, customerIds);
            }
        });
    }

    /** Which event ids are processed, and the first stored holder of each platform id: one statement. */
    private void loadDedupeRowsAndPlatformIds(IngestCache ingest, String t, String ch, List<String> eventIds,
                                              List<String> platformIds) {
        Dialect.BoundQuery query = jdbc.dialect().perKey(sql.inbox().processedLookup, eventIds, t, ch);
        if (!platformIds.isEmpty()) {
            query = unionAll(query, jdbc.dialect().perKey(sql.messages().platformIdLookup, platformIds, t, ch));
        }
        Set<String> stored = new HashSet<>();
        Map<String, Long> firstOrd = new HashMap<>();
        Map<String, String> firstBody = new HashMap<>();
        for (Object[] row : jdbc.queryList(query, rs -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3),
                rs.getLong(4)})) {
            String key = (String) row[1];
            long ord = (Long) row[3];
            if ((Integer) row[0] == 0) {
                stored.add(key);
            } else if (!firstOrd.containsKey(key) || ord < firstOrd.get(key)) {
                firstOrd.put(key, ord);
                firstBody.put(key, (String) row[2]);
            }
        }
        ingest.loadedProcessed(t, ch, eventIds, stored);
        Map<String, Message> firstStored = new HashMap<>();
        firstBody.forEach((key, body) -> firstStored.put(key, held.storedMessage(body)));
        ingest.loadedPlatformIds(t, ch, platformIds, firstStored);
    }

    /** Accounts, their owners with their customers, then the customers those were merged into; returns every id. */
    private Set<String> loadOwnersAndCustomers(IngestCache ingest, String t, String ch, List<String> users) {
        Map<String, String> ownerOf = new HashMap<>();
        jdbc.queryList(jdbc.dialect().perKey(sql.customers().ownerLookup, users, t, ch),
                        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .forEach(row -> {
                    ownerOf.put(row[0], row[1]);
                    if (row[2] != null) {
                        customers.remember(new RowKey(t, row[1]), json.customer(row[2]));
                    }
                });
        for (String user : users) {
            ingest.loadedOwner(new IngestCache.AccountRef(t, ch, user),
                    Optional.ofNullable(ownerOf.get(user)).map(CustomerId::of));
        }
        Set<String> customerIds = new LinkedHashSet<>(ownerOf.values());
        List<String> toRead = new ArrayList<>();
        for (String id : List.copyOf(customerIds)) {
            customers.cached(new RowKey(t, id)).flatMap(Customer::mergedInto).map(CustomerId::value)
                    .filter(next -> customerIds.add(next) && !customers.isCached(new RowKey(t, next)))
                    .ifPresent(toRead::add);
        }
        for (int round = 0; round <= CHAIN_ROUNDS && !toRead.isEmpty(); round++) {
            List<String> next = new ArrayList<>();
            jdbc.queryList(jdbc.dialect().perKey(sql.customers().customerLookup, toRead, t),
                            rs -> new String[] {rs.getString(1), rs.getString(2)})
                    .forEach(row -> {
                        Customer c = json.customer(row[1]);
                        customers.remember(new RowKey(t, row[0]), c);
                        c.mergedInto().map(CustomerId::value)
                                .filter(id -> customerIds.add(id) && !customers.isCached(new RowKey(t, id)))
                                .ifPresent(next::add);
                    });
            toRead = next;
        }
        return customerIds;
    }

    /**
     * The merge logs of these customers and of what they absorbed, and the conversations of them all (their
     * identities) with their numbered-reply maps: each round of the merge chain is one statement for both.
     */
    private void loadMergeLogsAndConversations(IngestCache ingest, String t, Set<String> customerIds) {
        Set<String> identities = new LinkedHashSet<>(customerIds);
        Set<String> loaded = new HashSet<>();
        Map<String, ChoiceMap> choiceMaps = new HashMap<>();
        List<Conversation> conversations = new ArrayList<>();
        for (int round = 0; round < CHAIN_ROUNDS; round++) {
            List<String> toLoad = identities.stream().filter(id -> !loaded.contains(id)).collect(Collectors.toList());
            if (toLoad.isEmpty()) {
                break;
            }
            // a merge found from both sides (two of these customers) is kept once, in merge-log order
            Map<Long, MergeRecord> byOrd = new TreeMap<>();
            jdbc.queryList(unionAll(jdbc.dialect().perKey(sql.customers().mergeLookup, toLoad, t),
                            jdbc.dialect().perKey(sql.conversations().conversationLookup, toLoad, t)),
                            rs -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4)})
                    .forEach(row -> {
                        if ((Integer) row[0] == 0) {
                            byOrd.computeIfAbsent((Long) row[3], k -> json.mergeRecord((String) row[1]));
                        } else {
                            conversationLoaded((String) row[1], (String) row[2], conversations, choiceMaps);
                        }
                    });
            List<MergeRecord> records = new ArrayList<>(byOrd.values());
            Set<String> batch = new HashSet<>(toLoad);
            ingest.loadedMerges(t, batch, records);
            loaded.addAll(toLoad);
            for (MergeRecord r : records) {
                if (!r.isUndone() && batch.contains(r.survivor().value())) {
                    identities.add(r.absorbed().value());
                }
            }
        }
        // what the last round's merges absorbed: its conversations, without following the chain further
        List<String> rest = identities.stream().filter(id -> !loaded.contains(id)).collect(Collectors.toList());
        if (!rest.isEmpty()) {
            jdbc.queryList(jdbc.dialect().perKey(sql.conversations().conversationLookup, rest, t),
                            rs -> new String[] {rs.getString(2), rs.getString(3)})
                    .forEach(row -> conversationLoaded(row[0], row[1], conversations, choiceMaps));
        }
        ingest.loadedConversations(t, identities, conversations, choiceMaps);
    }

    private void conversationLoaded(String body, String choiceMap, List<Conversation> conversations,
                                    Map<String, ChoiceMap> choiceMaps) {
        Conversation c = held.storedConversation(body);
        conversations.add(c);
        if (choiceMap != null) {
            choiceMaps.put(c.id().value(), json.choiceMap(choiceMap));
        }
    }

    /** Two lookups with the same columns as one statement. */
    private static Dialect.BoundQuery unionAll(Dialect.BoundQuery first, Dialect.BoundQuery second) {
        Object[] args = Arrays.copyOf(first.args(), first.args().length + second.args().length);
        System.arraycopy(second.args(), 0, args, first.args().length, second.args().length);
        return new Dialect.BoundQuery(first.sql() + " UNION ALL " + second.sql(), args);
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

    private static List<String> distinct(Stream<String> values) {
        return values.distinct().collect(Collectors.toList());
    }
}
