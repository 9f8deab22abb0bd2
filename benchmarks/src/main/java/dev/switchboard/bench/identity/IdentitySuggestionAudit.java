package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.Resolution;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.StoreTransaction;
import dev.switchboard.store.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the identity engine's decisions on the benchmark workload against the workload's ground truth (which person
 * each account belongs to): how many suggestions of each kind pair two accounts of the same person, and how many
 * merges join different people. Not a timing: a run of the same workload the benchmark times, to tell whether the
 * work it measures is work an agent would want done.
 *
 * <p>{@code java -Xmx12g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * dev.switchboard.bench.identity.IdentitySuggestionAudit 100000}
 */
public final class IdentitySuggestionAudit {
    private IdentitySuggestionAudit() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        IdentityWorkload w = IdentityWorkload.generate(n, 42);
        Map<AccountKey, Integer> personOf = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            personOf.put(w.account(i).key(), w.person(i));
        }
        InMemoryStore store = new InMemoryStore();
        IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").idGenerator(IdentityWorkload.ids()).build();
        List<MergeSuggestion> suggestions = new ArrayList<>();
        int merges = 0;
        for (int i = 0; i < n; i++) {
            int at = i;
            Resolution r = store.inTransaction(tx -> engine.resolve(tx, w.account(at), w.evidence(at)));
            suggestions.addAll(r.suggestions());
            merges += r.merges().size();
        }
        Map<String, int[]> byKind = new TreeMap<>();
        int[] sameChannelTwice = {0};
        int wrongMerges = store.inTransaction(tx -> {
            for (MergeSuggestion s : suggestions) {
                boolean same = !Collections.disjoint(persons(tx, s.first(), personOf), persons(tx, s.second(), personOf));
                byKind.computeIfAbsent(kind(s), k -> new int[2])[same ? 0 : 1]++;
            }
            int wrong = 0;
            Set<CustomerId> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                CustomerId owner = tx.customerByAccount(w.account(i).key()).orElseThrow();
                CustomerId canonical = engine.customer(tx, TenantId.DEFAULT, owner).id();
                if (seen.add(canonical) && persons(tx, canonical, personOf).size() > 1) {
                    wrong++;
                    Set<String> channels = new HashSet<>();
                    for (LinkedAccount a : tx.customer(TenantId.DEFAULT, canonical).orElseThrow().accounts()) {
                        if (!channels.add(a.key().channel().value())) {
                            sameChannelTwice[0]++;
                            break;
                        }
                    }
                    if (Boolean.getBoolean("audit.verbose") && wrong <= 5) {
                        for (var m : engine.mergeLog(tx, TenantId.DEFAULT, canonical)) {
                            System.out.println("  " + m.reason() + " / " + m.survivorBefore().accounts().get(0).key()
                                    + " + " + m.absorbedBefore().accounts().get(0).key());
                        }
                    }
                }
            }
            return wrong;
        });
        System.out.printf("accounts=%d merges=%d customers joining different people=%d (of which with two accounts on"
                + " one channel: %d)%n", n, merges, wrongMerges, sameChannelTwice[0]);
        byKind.forEach((k, c) -> System.out.printf("%-16s same person %,9d  different people %,9d  precision %5.1f%%%n",
                k, c[0], c[1], 100.0 * c[0] / Math.max(1, c[0] + c[1])));
    }

    /** What a suggestion rests on, from its first reason: a name, an ambiguous point or a typed point. */
    static String kind(MergeSuggestion s) {
        String reason = s.reasons().get(0);
        return reason.startsWith("similar names") ? "name"
                : reason.contains("shared by several people") ? "ambiguous point"
                : reason.contains("unverified") || reason.contains("typed") ? "typed point" : "other";
    }

    private static Set<Integer> persons(StoreTransaction tx, CustomerId id, Map<AccountKey, Integer> personOf) {
        Set<Integer> out = new HashSet<>();
        for (LinkedAccount a : tx.customer(TenantId.DEFAULT, id).orElseThrow().accounts()) {
            out.add(personOf.get(a.key()));
        }
        return out;
    }
}
