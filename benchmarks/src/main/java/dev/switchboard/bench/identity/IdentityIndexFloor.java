package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.PreparedAccount;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A floor for the identity benchmark: only the hash-index traffic one resolve causes in an in-memory store (look up
 * the account, store a new customer under a fresh id, index its account, its contact points and its name key, record
 * one suggestion and index it under the customer), with every input prepared beforehand and no engine logic at all.
 * Whatever this costs at a million accounts on a machine is spent before the engine decides anything, so it tells
 * how much of a time budget is left for identity work proper. Same workload and JVM flags as the benchmark.
 *
 * <p>{@code java -Xms6g -Xmx6g -XX:+UseParallelGC -Xmn3g -XX:MaxTenuringThreshold=0 -XX:+AlwaysPreTouch
 * -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.identity.IdentityIndexFloor 1000000}
 */
public final class IdentityIndexFloor {

    /** What the floor stores per customer: the smallest stand-in for a customer record. */
    private record StoredCustomer(CustomerId id, ChannelAccount account, List<ContactPoint> points, String name) {
    }

    private IdentityIndexFloor() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        PreparedAccount[] prepared = prepareWorkload(n);
        for (int round = 1; round <= rounds; round++) {
            System.gc();
            long t0 = System.nanoTime();
            int owners = run(prepared);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("accounts=%d round=%d index traffic only: %d ms (%d accounts already owned)%n", n, round,
                    ms, owners);
        }
    }

    /** The benchmark workload of {@code n} accounts (seed 42), every event prepared: the floor's input. */
    static PreparedAccount[] prepareWorkload(int n) {
        IdentityWorkload w = IdentityWorkload.generate(n, 42);
        IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").build();
        PreparedAccount[] prepared = new PreparedAccount[w.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = engine.prepare(w.account(i), w.evidence(i));
        }
        return prepared;
    }

    /** Runs the floor once over {@code prepared} in fresh maps; the number of accounts found already owned. */
    static int run(PreparedAccount[] prepared) {
        Supplier<String> ids = IdentityWorkload.ids();
        Map<CustomerId, StoredCustomer> customers = new HashMap<>();
        Map<AccountKey, CustomerId> owners = new HashMap<>();
        Map<ContactPoint, List<CustomerId>> holders = new HashMap<>();
        Map<CustomerId, Set<String>> nameKeysOf = new HashMap<>();
        Map<String, List<CustomerId>> nameIndex = new HashMap<>();
        Map<String, String> suggestions = new HashMap<>();
        Map<CustomerId, List<String>> suggestionsOf = new HashMap<>();
        int owned = 0;
        for (PreparedAccount p : prepared) {
            AccountKey key = p.account().key();
            owned += owners.get(key) == null ? 0 : 1;
            CustomerId id = new CustomerId(ids.get());
            List<ContactPoint> points = new ArrayList<>(3);
            for (Evidence e : p.evidence()) {
                points.add(e.point());
            }
            String name = p.account().profile().displayName().orElse("");
            customers.put(id, new StoredCustomer(id, p.account(), List.copyOf(points), name));
            owners.put(key, id);
            for (ContactPoint point : points) {
                holders.merge(point, List.of(id), IdentityIndexFloor::concat);
            }
            String nameKey = "n:" + name;
            nameKeysOf.put(id, Set.of(nameKey));
            nameIndex.merge(nameKey, List.of(id), IdentityIndexFloor::concat);
            String suggestion = ids.get();
            suggestions.put(suggestion, "similar names: " + name);
            suggestionsOf.computeIfAbsent(id, c -> new ArrayList<>(2)).add(suggestion);
        }
        return owned;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}
