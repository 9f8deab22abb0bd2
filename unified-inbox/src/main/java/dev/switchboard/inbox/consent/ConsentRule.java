package dev.switchboard.inbox.consent;

import dev.switchboard.identity.MergeRecord;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.TenantId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a customer's consent history from the ledger. The history of a customer is: the entries recorded through the
 * accounts they hold now, the entries without an account recorded for them or for any customer merged into them (and
 * not unmerged), and, for every such merge, a withdrawal at the merge's time for each purpose and scope where either
 * side's consent in force just before the merge was a withdrawal while the two histories together would read as a
 * grant. The consent in force is the latest applicable entry (same purpose; general or the channel type), a
 * withdrawal winning a tie. So a withdrawal anywhere wins until the merged customer grants again after the merge, and
 * an unmerge gives each side exactly its own entries back (they follow the accounts and customers they belong to).
 */
final class ConsentRule {
    static final Comparator<ConsentEntry> ORDER = Comparator.comparing(ConsentEntry::at)
            .thenComparing(ConsentEntry::granted, Comparator.reverseOrder()).thenComparing(ConsentEntry::id);

    private ConsentRule() {
    }

    /** The customer's history, oldest first, including withdrawals carried over by merges. */
    static List<ConsentEntry> history(InboxTransaction tx, Customer root) {
        TenantId tenant = root.tenant();
        List<MergeRecord> merges = new ArrayList<>();
        Set<CustomerId> group = new LinkedHashSet<>();
        group.add(root.id());
        Deque<CustomerId> todo = new ArrayDeque<>(group);
        while (!todo.isEmpty()) {
            CustomerId c = todo.pop();
            for (MergeRecord r : tx.mergesOf(tenant, c)) {
                if (!r.isUndone() && r.survivor().equals(c) && group.add(r.absorbed())) {
                    merges.add(r);
                    todo.add(r.absorbed());
                }
            }
        }
        Set<AccountKey> accounts = keys(root.accounts());
        Map<String, ConsentEntry> byId = new LinkedHashMap<>();
        for (ConsentEntry e : tx.consentEntries(tenant, group)) {
            if (e.account().isEmpty()) {
                byId.put(e.id(), e);
            }
        }
        if (!accounts.isEmpty()) {
            for (ConsentEntry e : tx.consentEntriesByAccounts(tenant, accounts)) {
                byId.put(e.id(), e);
            }
        }
        List<ConsentEntry> all = new ArrayList<>(byId.values());
        merges.sort(Comparator.comparing(MergeRecord::at));
        for (MergeRecord r : merges) {
            all.addAll(carriedWithdrawals(r, all, merges));
        }
        all.sort(ORDER);
        return List.copyOf(all);
    }

    /** The withdrawals merge {@code r} carries over (see the class comment). */
    private static List<ConsentEntry> carriedWithdrawals(MergeRecord r, List<ConsentEntry> known,
                                                         List<MergeRecord> merges) {
        Set<CustomerId> survivorSide = members(r.survivor(), merges, r);
        Set<CustomerId> absorbedSide = members(r.absorbed(), merges, r);
        Set<AccountKey> survivorAccounts = keys(r.survivorBefore().accounts());
        Set<AccountKey> absorbedAccounts = keys(r.absorbedBefore().accounts());
        List<ConsentEntry> s = new ArrayList<>();
        List<ConsentEntry> a = new ArrayList<>();
        for (ConsentEntry e : known) {
            if (e.at().isAfter(r.at())) {
                continue;
            }
            if (belongs(e, survivorAccounts, survivorSide)) {
                s.add(e);
            } else if (belongs(e, absorbedAccounts, absorbedSide)) {
                a.add(e);
            }
        }
        if (s.isEmpty() || a.isEmpty()) {
            return List.of(); // nothing can flip when only one side has a history
        }
        List<ConsentEntry> union = new ArrayList<>(s);
        union.addAll(a);
        Set<String> purposes = union.stream().map(ConsentEntry::purpose).collect(Collectors.toCollection(
                LinkedHashSet::new));
        Set<Optional<ChannelType>> scopes = new LinkedHashSet<>();
        scopes.add(Optional.empty());
        union.forEach(e -> scopes.add(e.channelType()));
        List<ConsentEntry> out = new ArrayList<>();
        for (String purpose : purposes) {
            for (Optional<ChannelType> scope : scopes) {
                boolean withdrawnBefore = withdrawn(inScope(s, purpose, scope)) || withdrawn(inScope(a, purpose, scope));
                Optional<ConsentEntry> after = inScope(union, purpose, scope);
                if (withdrawnBefore && after.isPresent() && after.get().granted()) {
                    out.add(new ConsentEntry(r.tenant(), r.id().value() + "/" + purpose + "/"
                            + scope.map(ChannelType::value).orElse("*"), r.survivor(), Optional.empty(), purpose,
                            scope, false, r.at(), "merge", new ConsentEvidence(ConsentEvidence.Kind.MERGE,
                            r.id().value(), Optional.empty())));
                }
            }
        }
        return out;
    }

    /** {@code c} and every customer merged into it (transitively) before {@code r}. */
    private static Set<CustomerId> members(CustomerId c, List<MergeRecord> merges, MergeRecord r) {
        Set<CustomerId> set = new HashSet<>();
        set.add(c);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (MergeRecord m : merges) {
                if (m != r && m.at().isBefore(r.at()) && set.contains(m.survivor()) && set.add(m.absorbed())) {
                    grew = true;
                }
            }
        }
        return set;
    }

    private static boolean belongs(ConsentEntry e, Set<AccountKey> accounts, Set<CustomerId> customers) {
        return e.account().map(accounts::contains).orElseGet(() -> customers.contains(e.customer()));
    }

    private static boolean withdrawn(Optional<ConsentEntry> e) {
        return e.isPresent() && !e.get().granted();
    }

    /** The latest entry for a purpose in a scope: general entries apply to every scope, specific ones to theirs. */
    private static Optional<ConsentEntry> inScope(List<ConsentEntry> entries, String purpose,
                                                  Optional<ChannelType> scope) {
        return entries.stream().filter(e -> e.purpose().equals(purpose))
                .filter(e -> e.channelType().isEmpty() || e.channelType().equals(scope))
                .max(ORDER);
    }

    /** The entry in force for {@code purpose} on channels of {@code type}, from a history. */
    static Optional<ConsentEntry> inForce(List<ConsentEntry> history, String purpose, ChannelType type) {
        return history.stream().filter(e -> e.appliesTo(purpose, type)).max(ORDER);
    }

    private static Set<AccountKey> keys(List<LinkedAccount> accounts) {
        Set<AccountKey> set = new LinkedHashSet<>();
        accounts.forEach(a -> set.add(a.key()));
        return set;
    }
}
