package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** Two threads resolving the same brand-new account at the same moment must end up with one customer. */
class IdentityConcurrencyTest {

    @RepeatedTest(20)
    void sameNewAccountResolvedConcurrentlyCreatesOneCustomer() throws Exception {
        InMemoryStore store = new InMemoryStore();
        IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").build();
        ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("telegram"), "42",
                Profile.named("Anna Ivanova"));
        List<Evidence> evidence = List.of(Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, "79161234567"),
                "telegram.contact", Instant.parse("2026-01-01T00:00:00Z")));
        int threads = 2;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Resolution>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return store.inTransaction(tx -> engine.resolve(tx, account, evidence));
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            Set<Object> customers = new HashSet<>();
            int created = 0;
            for (Future<Resolution> f : results) {
                Resolution r = f.get(10, TimeUnit.SECONDS);
                customers.add(r.customer().id());
                created += r.created() ? 1 : 0;
            }
            assertThat(customers).hasSize(1);
            assertThat(created).isEqualTo(1);
            store.inTransaction(tx -> {
                assertThat(tx.customersByContact(TenantId.DEFAULT, new ContactPoint(ContactPoint.Kind.PHONE,
                        "+79161234567"))).hasSize(1);
                return null;
            });
        } finally {
            pool.shutdownNow();
        }
    }
}
