package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The worst case for the name index: N accounts of N different people who all write under one display name (a
 * tenant full of "Иван Петров", or a shop whose customers all sign as "Test Test"), each with a phone of its own.
 * Every new customer lands in the same name bucket. The common-name rule keeps such a bucket out of scoring, but the
 * store still has to add each customer to it, so this shows whether that costs constant time per customer or time
 * that grows with the bucket. Compare the time for N and 4N: about 4x is linear, about 16x quadratic.
 *
 * <p>With {@code phone} as third argument the N customers have different names and all type one phone instead (the
 * shop's hotline quoted back), which the engine's shared-point rule keeps from pairing everyone with everyone; the
 * run prints how many suggestions were raised.
 *
 * <p>{@code java -Xmx6g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * dev.switchboard.bench.identity.CrowdedNameKeyRun 50000,200000 3 [name|phone]} (arguments: sizes, rounds per size,
 * what the customers share)
 */
public final class CrowdedNameKeyRun {
    private CrowdedNameKeyRun() {
    }

    public static void main(String[] args) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.switchboard"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String sizes = args.length > 0 ? args[0] : "50000,200000";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean phone = args.length > 2 && args[2].equals("phone");
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.strip());
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                long suggestions = run(n, phone);
                System.out.printf("%d accounts sharing one %s, round %d: %d ms, %d suggestions%n", n,
                        phone ? "typed phone" : "name key", round, (System.nanoTime() - t0) / 1_000_000, suggestions);
            }
        }
    }

    /** Resolves the N accounts; returns how many suggestions they raised. */
    private static long run(int n, boolean sharePhone) {
        InMemoryStore store = new InMemoryStore();
        IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").idGenerator(IdentityWorkload.ids())
                .build();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Profile namesake = new Profile(Optional.of("Иван Петров"), Optional.empty(), Optional.empty(),
                Optional.empty());
        long suggestions = 0;
        for (int i = 0; i < n; i++) {
            Profile profile = sharePhone ? new Profile(Optional.of("Customer" + i + " Number" + i), Optional.empty(),
                    Optional.empty(), Optional.empty()) : namesake;
            ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("vk"), "id" + i, profile);
            String phone = sharePhone ? "8 800 555-35-35" : "+7916" + String.format("%07d", i);
            List<Evidence> evidence = List.of(Evidence.unverified(
                    new ContactPoint(ContactPoint.Kind.PHONE, phone), "form", at));
            suggestions += store.inTransaction(tx -> engine.resolve(tx, account, evidence)).suggestions().size();
        }
        return suggestions;
    }
}
