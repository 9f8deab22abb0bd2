package dev.switchboard.inbox.privacy;

import dev.switchboard.identity.MergeRecord;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.TenantId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * One person as an export or an erasure sees them: the customer asked for (followed to the survivor when it was merged
 * away), every customer merged into them, their accounts, the identifiers that can find their traces outside the
 * customer rows (platform user ids, usernames, phones, emails), their conversations and merge log entries. Read in one
 * transaction; immutable.
 */
record Person(TenantId tenant, CustomerId asked, CustomerId survivor, Map<CustomerId, Customer> customers,
              Set<AccountKey> accounts, Set<String> identifiers, List<Conversation> conversations,
              List<MergeRecord> merges) {
    /** Shorter identifiers than this are too likely to match other people's data in a raw-bytes search. */
    private static final int MIN_IDENTIFIER = 4;
    private static final int MAX_MERGE_HOPS = 1000;

    /** Reads the person of customer {@code asked}; throws naming the id when the tenant has no such customer. */
    static Person read(InboxTransaction tx, TenantId tenant, CustomerId asked) {
        Customer c = tx.customer(tenant, asked).orElseThrow(() -> unknown(tenant, asked));
        for (int hop = 0; c.mergedInto().isPresent() && hop < MAX_MERGE_HOPS; hop++) {
            CustomerId next = c.mergedInto().get();
            c = tx.customer(tenant, next).orElseThrow(() -> unknown(tenant, next));
        }
        return of(tx, tenant, asked, c.id(), Set.of(c.id()));
    }

    /** Reads the person an unfinished erasure recorded (the customers may already be anonymised tombstones). */
    static Person of(InboxTransaction tx, TenantId tenant, CustomerId asked, CustomerId survivor,
                     Set<CustomerId> known) {
        Map<CustomerId, Customer> customers = new LinkedHashMap<>();
        Map<String, MergeRecord> merges = new LinkedHashMap<>();
        Deque<CustomerId> todo = new ArrayDeque<>();
        todo.add(survivor);
        todo.addAll(known);
        while (!todo.isEmpty()) {
            CustomerId id = todo.poll();
            if (customers.containsKey(id)) {
                continue;
            }
            Optional<Customer> c = tx.customer(tenant, id);
            if (c.isEmpty()) {
                continue;
            }
            customers.put(id, c.get());
            for (MergeRecord m : tx.mergesOf(tenant, id)) {
                merges.putIfAbsent(m.id().toString(), m);
                if (!m.isUndone() && m.survivor().equals(id)) {
                    todo.add(m.absorbed());
                }
            }
        }
        Set<AccountKey> accounts = new LinkedHashSet<>();
        Set<String> identifiers = new LinkedHashSet<>();
        for (Customer c : customers.values()) {
            for (LinkedAccount a : c.accounts()) {
                accounts.add(a.key());
                identifier(identifiers, a.key().platformUserId());
                a.account().profile().username().ifPresent(u -> identifier(identifiers, u));
            }
            for (CustomerContact cc : c.contacts()) {
                identifier(identifiers, cc.point().value());
                if (cc.point().kind() == ContactPoint.Kind.PHONE) {
                    identifier(identifiers, cc.point().value().replaceAll("[^0-9]", ""));
                }
            }
        }
        // a fixed order whatever the store's order of ties, so an export of unchanged data is the same bytes
        List<Conversation> conversations = new ArrayList<>(tx.conversationsOf(tenant, customers.keySet()));
        conversations.sort(java.util.Comparator.comparing(Conversation::createdAt)
                .thenComparing(c -> c.id().value()));
        List<MergeRecord> mergeList = new ArrayList<>(merges.values());
        mergeList.sort(java.util.Comparator.comparing(MergeRecord::at).thenComparing(m -> m.id().toString()));
        return new Person(tenant, asked, survivor, customers, accounts, identifiers, conversations, mergeList);
    }

    Set<CustomerId> customerIds() {
        return customers.keySet();
    }

    Set<ConversationId> conversationIds() {
        Set<ConversationId> ids = new LinkedHashSet<>();
        conversations.forEach(c -> ids.add(c.id()));
        return ids;
    }

    private static void identifier(Set<String> into, String value) {
        if (value != null && value.length() >= MIN_IDENTIFIER) {
            into.add(value);
        }
    }

    static NoSuchElementException unknown(TenantId tenant, CustomerId id) {
        return new NoSuchElementException("no customer " + id.value() + " in tenant " + tenant.value());
    }
}
