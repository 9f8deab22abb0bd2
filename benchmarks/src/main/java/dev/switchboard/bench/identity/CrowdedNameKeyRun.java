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
 * <p>{@code java -Xmx6g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * dev.switchboard.bench.identity.CrowdedNameKeyRun 50000,200000 3} (arguments: sizes, rounds per size)
 */
public final class CrowdedNameKeyRun {
    private CrowdedNameKeyRun() {
    }

    public static void main(String[] args) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.switchboard"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        String sizes = args.length > 0 ? args[0] : "50000,200000";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.strip());
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("%d accounts under one name key, round %d: %d ms%n", n, round, run(n));
            }
        }
    }

    private static long run(int n) {
        InMemoryStore store = new InMemoryStore();
        IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").idGenerator(IdentityWorkload.ids())
                .build();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Profile namesake = new Profile(Optional.of("Иван Петров"), Optional.empty(), Optional.empty(),
                Optional.empty());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("vk"), "id" + i, namesake);
            List<Evidence> evidence = List.of(Evidence.unverified(
                    new ContactPoint(ContactPoint.Kind.PHONE, "+7916" + String.format("%07d", i)), "form", at));
            store.inTransaction(tx -> engine.resolve(tx, account, evidence));
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
