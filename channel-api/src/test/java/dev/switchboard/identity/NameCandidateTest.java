package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.StoreTransaction;
import dev.switchboard.store.memory.InMemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The name step tells a customer from its candidates without reading ids it does not need to. A store that hands out
 * fresh copies of the ids it indexed (as a database does) must get exactly the decisions of one that hands out the
 * saved instances, including which candidates the per-event budget lets through.
 */
class NameCandidateTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    // namesakes, typos, both scripts and three-word names (several keys, so the dedup path runs too)
    private static final String[] NAMES = {"Анна Петрова", "Anna Petrova", "Anna Petorva", "Ana Petrova",
            "Анна Петрова Игоревна", "Anna Igorevna Petrova", "Иван Смирнов", "Ivan Smirnov", "Ivan Smirnof",
            "Petrova Anna"};

    @Test
    void aStoreHandingOutCopiesOfIdsDecidesAsOneHandingOutTheSavedIds() {
        SplittableRandom r = new SplittableRandom(11);
        InMemoryStore plain = new InMemoryStore();
        InMemoryStore copying = new InMemoryStore();
        IdentityEngine plainEngine = engine();
        IdentityEngine copyingEngine = engine();
        List<MergeSuggestion> byName = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ChannelAccount account = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of(i % 2 == 0 ? "telegram" : "vk"),
                    "u" + i, Profile.named(NAMES[r.nextInt(NAMES.length)]));
            Resolution expected = plain.inTransaction(tx -> plainEngine.resolve(newestFirst(tx, false), account,
                    List.of()));
            Resolution actual = copying.inTransaction(tx -> copyingEngine.resolve(newestFirst(tx, true), account,
                    List.of()));
            assertThat(actual).as("account %d", i).isEqualTo(expected);
            for (MergeSuggestion s : actual.suggestions()) {
                assertThat(s.first()).isNotEqualTo(s.second());
                byName.add(s);
            }
        }
        // the budget of two candidates per event was binding: buckets hold more namesakes than that
        assertThat(byName).hasSizeGreaterThan(20);
    }

    /**
     * The transaction with {@code indexedNames} answering newest first, so that the customer being resolved (the last
     * one indexed) comes before its namesakes and would use up the budget if it were counted; with {@code copies},
     * every id is also replaced by an equal copy.
     */
    private static StoreTransaction newestFirst(StoreTransaction tx, boolean copies) {
        return (StoreTransaction) Proxy.newProxyInstance(StoreTransaction.class.getClassLoader(),
                new Class<?>[] {StoreTransaction.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(tx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("indexedNames")) {
                        return result;
                    }
                    List<IndexedName> out = new ArrayList<>();
                    for (Object o : (List<?>) result) {
                        IndexedName n = (IndexedName) o;
                        out.add(0, copies ? new IndexedName(new CustomerId(new String(n.customer().value())), n.form())
                                : n);
                    }
                    return out;
                });
    }

    private static IdentityEngine engine() {
        AtomicLong ids = new AtomicLong();
        return IdentityEngine.builder().defaultRegion("RU").clock(Clock.fixed(T0, ZoneOffset.UTC))
                .idGenerator(() -> "id" + ids.incrementAndGet()).maxNameCandidates(2).build();
    }
}
