package dev.switchboard.inbox.jdbc;

import dev.switchboard.identity.MergeRecord;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.render.ChoiceMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one group-committed ingest transaction loaded in bulk ({@code prefetchInbound}), kept in step with that
 * transaction's own writes so every read it answers is what the database would answer at that moment. A key that is
 * absent means "not loaded": the transaction then asks the database. Maps to {@code Optional.empty()} mean "loaded,
 * and there is none". Not thread-safe; lives and dies with its transaction.
 */
final class IngestCache {

    /** Event ids of a tenant's channel. */
    record EventKey(String tenant, String channel, String eventId) {
    }

    /** A platform message id of a tenant's channel. */
    record PlatformKey(String tenant, String channel, String platformMessageId) {
    }

    /** An account of a tenant's channel. */
    record AccountRef(String tenant, String channel, String user) {
    }

    /** A customer, conversation or other id of a tenant. */
    record TenantRef(String tenant, String id) {
    }

    private static final Comparator<Conversation> NEWEST_ACTIVITY_FIRST = Comparator
            .comparing(Conversation::updatedAt).reversed().thenComparing(c -> c.id().value());

    /** true: processed (stored, or marked by this transaction); false: known not processed yet. */
    private final Map<EventKey, Boolean> processed = new HashMap<>();
    /** The first message stored with a platform id (any direction), as this transaction sees it. */
    private final Map<PlatformKey, Optional<Message>> byPlatformId = new HashMap<>();
    private final Map<AccountRef, Optional<CustomerId>> owners = new HashMap<>();
    /** A customer's merge log entries (survivor or absorbed), oldest first. */
    private final Map<TenantRef, List<MergeRecord>> merges = new HashMap<>();
    /** A customer's conversations, in no particular order (sorted when read). */
    private final Map<TenantRef, List<Conversation>> conversationsByCustomer = new HashMap<>();
    private final Map<TenantRef, Conversation> conversations = new HashMap<>();
    private final Map<TenantRef, Optional<ChoiceMap>> choiceMaps = new HashMap<>();
    /** Customers this transaction created: nothing of theirs exists in the database yet. */
    private final Set<TenantRef> created = new HashSet<>();

    // ---- dedupe -----------------------------------------------------------------------------------------------

    void loadedProcessed(String tenant, String channel, List<String> eventIds, Set<String> stored) {
        for (String id : eventIds) {
            processed.putIfAbsent(new EventKey(tenant, channel, id), stored.contains(id));
        }
    }

    /** Whether the event is already processed; empty when this cache does not know. */
    Optional<Boolean> processed(String tenant, String channel, String eventId) {
        return Optional.ofNullable(processed.get(new EventKey(tenant, channel, eventId)));
    }

    void markProcessed(String tenant, String channel, String eventId) {
        processed.put(new EventKey(tenant, channel, eventId), true);
    }

    // ---- messages ---------------------------------------------------------------------------------------------

    void loadedPlatformIds(String tenant, String channel, List<String> platformIds, Map<String, Message> firstStored) {
        for (String id : platformIds) {
            byPlatformId.putIfAbsent(new PlatformKey(tenant, channel, id), Optional.ofNullable(firstStored.get(id)));
        }
    }

    /** The first message holding a platform id; the outer empty means "not loaded". */
    Optional<Optional<Message>> messageByPlatformId(String tenant, String channel, String platformId) {
        return Optional.ofNullable(byPlatformId.get(new PlatformKey(tenant, channel, platformId)));
    }

    /** A message this transaction saved: it becomes the first holder of its platform id if there was none. */
    void savedMessage(Message m) {
        if (m.platformMessageId().isEmpty()) {
            return;
        }
        PlatformKey key = new PlatformKey(m.tenant().value(), m.channel().value(), m.platformMessageId().get());
        Optional<Message> known = byPlatformId.get(key);
        if (known != null && (known.isEmpty() || known.get().id().equals(m.id()))) {
            byPlatformId.put(key, Optional.of(m));
        }
    }

    // ---- accounts and merges ----------------------------------------------------------------------------------

    void loadedOwner(AccountRef account, Optional<CustomerId> owner) {
        owners.putIfAbsent(account, owner);
    }

    Optional<Optional<CustomerId>> owner(AccountRef account) {
        return Optional.ofNullable(owners.get(account));
    }

    /**
     * A customer this transaction created for accounts it knows nobody owns: it owns them now, and has no merges,
     * conversations or reply maps yet.
     */
    void createdCustomer(String tenant, String customer, List<AccountRef> accounts) {
        TenantRef ref = new TenantRef(tenant, customer);
        created.add(ref);
        for (AccountRef a : accounts) {
            owners.put(a, Optional.of(CustomerId.of(customer)));
        }
        merges.putIfAbsent(ref, new ArrayList<>());
        conversationsByCustomer.putIfAbsent(ref, new ArrayList<>());
    }

    /** Whether nobody owns this account, as far as this transaction knows. */
    boolean knownUnowned(AccountRef account) {
        Optional<CustomerId> owner = owners.get(account);
        return owner != null && owner.isEmpty();
    }

    /** After the transaction re-indexed accounts, it asks the database again. */
    void forgetOwner(AccountRef account) {
        owners.remove(account);
    }

    void loadedMerges(String tenant, Set<String> customers, List<MergeRecord> records) {
        Map<String, List<MergeRecord>> fresh = new HashMap<>();
        for (String c : customers) {
            TenantRef ref = new TenantRef(tenant, c);
            if (!merges.containsKey(ref)) {
                List<MergeRecord> list = new ArrayList<>();
                merges.put(ref, list);
                fresh.put(c, list);
            }
        }
        for (MergeRecord r : records) {
            List<MergeRecord> survivor = fresh.get(r.survivor().value());
            if (survivor != null) {
                survivor.add(r);
            }
            List<MergeRecord> absorbed = fresh.get(r.absorbed().value());
            if (absorbed != null && absorbed != survivor) {
                absorbed.add(r);
            }
        }
    }

    Optional<List<MergeRecord>> merges(String tenant, String customer) {
        return Optional.ofNullable(merges.get(new TenantRef(tenant, customer))).map(List::copyOf);
    }

    /** A merge was written: merge logs are read from the database again. */
    void forgetMerges() {
        merges.clear();
    }

    // ---- conversations ----------------------------------------------------------------------------------------

    void loadedConversations(String tenant, Set<String> customers, List<Conversation> loaded,
                             Map<String, ChoiceMap> choiceMapsByConversation) {
        for (String c : customers) {
            conversationsByCustomer.putIfAbsent(new TenantRef(tenant, c), new ArrayList<>());
        }
        for (Conversation c : loaded) {
            TenantRef id = new TenantRef(tenant, c.id().value());
            // a version this transaction wrote is at least as new as the row it flushed
            Conversation current = conversations.computeIfAbsent(id, k -> c);
            List<Conversation> mine = conversationsByCustomer.get(new TenantRef(tenant, current.customer().value()));
            if (mine != null && mine.stream().noneMatch(x -> x.id().equals(current.id()))) {
                mine.add(current);
            }
            choiceMaps.putIfAbsent(id, Optional.ofNullable(choiceMapsByConversation.get(c.id().value())));
        }
    }

    Optional<Conversation> conversation(String tenant, String id) {
        return Optional.ofNullable(conversations.get(new TenantRef(tenant, id)));
    }

    /** The conversations of these customers, newest activity first; empty when one of them was not loaded. */
    Optional<List<Conversation>> conversationsOf(String tenant, Set<CustomerId> customers) {
        List<Conversation> out = new ArrayList<>();
        for (CustomerId c : customers) {
            List<Conversation> mine = conversationsByCustomer.get(new TenantRef(tenant, c.value()));
            if (mine == null) {
                return Optional.empty();
            }
            out.addAll(mine);
        }
        out.sort(NEWEST_ACTIVITY_FIRST);
        return Optional.of(out);
    }

    void savedConversation(Conversation c) {
        String tenant = c.tenant().value();
        TenantRef id = new TenantRef(tenant, c.id().value());
        Conversation previous = conversations.put(id, c);
        if (previous != null) {
            List<Conversation> old = conversationsByCustomer.get(new TenantRef(tenant, previous.customer().value()));
            if (old != null) {
                old.removeIf(x -> x.id().equals(c.id()));
            }
        }
        TenantRef customer = new TenantRef(tenant, c.customer().value());
        List<Conversation> mine = conversationsByCustomer.get(customer);
        if (mine != null) {
            mine.add(c);
        }
        if (previous == null && created.contains(customer)) {
            choiceMaps.putIfAbsent(id, Optional.empty()); // a new customer's new conversation: never replied to
        }
    }

    Optional<Optional<ChoiceMap>> choiceMap(String tenant, String conversation) {
        return Optional.ofNullable(choiceMaps.get(new TenantRef(tenant, conversation)));
    }

    void savedChoiceMap(String tenant, String conversation, ChoiceMap map) {
        choiceMaps.put(new TenantRef(tenant, conversation), Optional.of(map));
    }
}
