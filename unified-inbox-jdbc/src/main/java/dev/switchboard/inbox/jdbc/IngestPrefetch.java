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
 * The bulk reads of a group of inbound events ({@code prefetchInbound}): dedupe rows, messages by platform id, account
 * owners with their customers (and the customers those were merged into), merge logs, conversations with their reply
 * maps, each one query for the whole group. What it loads goes to the transaction's {@link IngestCache} and customer
 * cache; from then on the transaction holds its ingest writes ({@link HeldWrites}).
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
        jdbc.dialect().withBulkLookupPlans(jdbc, () -> {
            loadDedupeRows(ingest, t, ch, distinct(events.stream().map(InboundEvent::eventId)));
            loadPlatformIds(ingest, t, ch, distinct(events.stream().flatMap(e -> platformIds(e).stream())));
            Set<String> customerIds = loadOwnersAndCustomers(ingest, t, ch, distinct(events.stream()
                    .map(e -> e.account().platformUserId())));
            if (!customerIds.isEmpty()) {
                loadConversations(ingest, t, loadMergeLogs(ingest, t, customerIds));
            }
        });
    }

    private void loadDedupeRows(IngestCache ingest, String t, String ch, List<String> eventIds) {
        Set<String> stored = new HashSet<>(jdbc.queryList(jdbc.dialect().perKey(sql.inbox().processedLookup, eventIds,
                t, ch), rs -> rs.getString(1)));
        ingest.loadedProcessed(t, ch, eventIds, stored);
    }

    private void loadPlatformIds(IngestCache ingest, String t, String ch, List<String> platformIds) {
        Map<String, Message> firstStored = new HashMap<>();
        if (!platformIds.isEmpty()) {
            jdbc.queryList(jdbc.dialect().perKey(sql.messages().platformIdLookup, platformIds, t, ch),
                            rs -> new String[] {rs.getString(1), rs.getString(2)})
                    .forEach(row -> firstStored.computeIfAbsent(row[0], k -> held.storedMessage(row[1])));
        }
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

    /** The merge logs of these customers and of what they absorbed; returns them all (their identities). */
    private Set<String> loadMergeLogs(IngestCache ingest, String t, Set<String> customerIds) {
        Set<String> identities = new LinkedHashSet<>(customerIds);
        Set<String> loadedMerges = new HashSet<>();
        for (int round = 0; round < CHAIN_ROUNDS; round++) {
            List<String> toLoad = identities.stream().filter(id -> !loadedMerges.contains(id))
                    .collect(Collectors.toList());
            if (toLoad.isEmpty()) {
                break;
            }
            // a merge found from both sides (two of these customers) is kept once, in merge-log order
            Map<Long, MergeRecord> byOrd = new TreeMap<>();
            jdbc.queryList(jdbc.dialect().perKey(sql.customers().mergeLookup, toLoad, t),
                            rs -> new Object[] {rs.getLong(1), rs.getString(2)})
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
    private void loadConversations(IngestCache ingest, String t, Set<String> identities) {
        Map<String, ChoiceMap> choiceMaps = new HashMap<>();
        List<Conversation> conversations = new ArrayList<>();
        jdbc.queryList(jdbc.dialect().perKey(sql.conversations().conversationLookup, List.copyOf(identities), t),
                        rs -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(row -> {
                    Conversation c = held.storedConversation(row[0]);
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

    private static List<String> distinct(Stream<String> values) {
        return values.distinct().collect(Collectors.toList());
    }
}
