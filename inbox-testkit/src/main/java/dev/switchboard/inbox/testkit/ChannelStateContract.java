package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.LogEntry;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.inbox.StoreChannelState;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channel-state behaviour every {@link InboxStore} that {@linkplain InboxStore#keepsChannelState() keeps channel
 * state} must have, seen through {@link StoreChannelState} as a channel sees it: records with versions, expiry and
 * compare-and-set that never loses a concurrent update, gap-free logs resumed after a sequence number, isolation per
 * tenant and channel, and text of any script and size. A store vendor extends it like {@link InboxStoreContract}
 * ({@link #createStore()}: a fresh, empty store per test). Stores that keep no channel state need not run it.
 */
public abstract class ChannelStateContract {

    protected static final TenantId A = TenantId.of("tenant-a");
    protected static final TenantId B = TenantId.of("tenant-b");
    protected static final ChannelId TG = ChannelId.of("telegram-main");
    protected static final ChannelId VK = ChannelId.of("vk-main");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected InboxStore store;
    private final StepClock clock = new StepClock(T0);

    /** A new, empty store. */
    protected abstract InboxStore createStore() throws Exception;

    /** Releases whatever {@link #createStore()} set up besides the store (schemas, directories). */
    protected void disposeStore() throws Exception {}

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            disposeStore();
        }
    }

    /** The state of {@code tenant}'s channel {@code channel} in the store under test, on the test's clock. */
    protected ChannelState state(TenantId tenant, ChannelId channel) {
        return StoreChannelState.of(store, tenant, channel, clock);
    }

    private static <T> T done(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theStoreSaysItKeepsChannelState() {
        assertThat(store.keepsChannelState()).isTrue();
    }

    @Test
    void aRecordReadsBackWithAVersionThatGrowsOnEveryWrite() {
        ChannelState s = state(A, TG);
        assertThat(done(s.get("k"))).isEmpty();
        StateRecord first = done(s.put("k", "one"));
        assertThat(first.version()).isEqualTo(1);
        assertThat(done(s.get("k"))).contains(first);
        StateRecord second = done(s.put("k", "two"));
        assertThat(second.version()).isEqualTo(2);
        assertThat(done(s.get("k")).map(StateRecord::value)).contains("two");
        assertThat(done(s.get("k")).flatMap(StateRecord::expiresAt)).isEmpty();
    }

    @Test
    void aRecordWithATimeToLiveReadsAsAbsentOnceItExpired() {
        ChannelState s = state(A, TG);
        StateRecord r = done(s.put("button", "payload", Optional.of(Duration.ofHours(1))));
        assertThat(r.expiresAt()).contains(T0.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(59));
        assertThat(done(s.get("button")).map(StateRecord::value)).contains("payload");
        clock.advance(Duration.ofMinutes(1));
        assertThat(done(s.get("button"))).isEmpty();
        assertThat(done(s.delete("button"))).as("an expired record is not live").isFalse();
        // Written again after it expired: absent for compare-and-set, and its version still grows.
        Optional<StateRecord> again = done(s.compareAndSet("button", 0, "new", Optional.empty()));
        assertThat(again).isPresent();
        assertThat(done(s.get("button")).map(StateRecord::value)).contains("new");
    }

    @Test
    void compareAndSetWritesOnlyOverTheExpectedVersion() {
        ChannelState s = state(A, TG);
        assertThat(done(s.compareAndSet("k", 1, "x", Optional.empty()))).as("no record has version 1").isEmpty();
        StateRecord created = done(s.compareAndSet("k", 0, "a", Optional.empty())).orElseThrow();
        assertThat(created.version()).isEqualTo(1);
        assertThat(done(s.compareAndSet("k", 0, "b", Optional.empty()))).as("already there").isEmpty();
        assertThat(done(s.compareAndSet("k", 2, "b", Optional.empty()))).as("wrong version").isEmpty();
        assertThat(done(s.get("k")).map(StateRecord::value)).contains("a");
        StateRecord updated = done(s.compareAndSet("k", 1, "b", Optional.empty())).orElseThrow();
        assertThat(updated.version()).isEqualTo(2);
        assertThat(done(s.get("k")).map(StateRecord::value)).contains("b");
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        ChannelState s = state(A, TG);
        assertThat(done(s.putIfAbsent("k", "first", Optional.empty())).value()).isEqualTo("first");
        assertThat(done(s.putIfAbsent("k", "second", Optional.empty())).value()).isEqualTo("first");
    }

    @Test
    void deleteRemovesTheRecord() {
        ChannelState s = state(A, TG);
        assertThat(done(s.delete("k"))).isFalse();
        done(s.put("k", "v"));
        assertThat(done(s.delete("k"))).isTrue();
        assertThat(done(s.get("k"))).isEmpty();
    }

    @Test
    void everyTenantAndChannelHasItsOwnRecordsAndLogs() {
        done(state(A, TG).put("k", "a-tg"));
        done(state(B, TG).put("k", "b-tg"));
        done(state(A, VK).put("k", "a-vk"));
        done(state(A, TG).append("log", "a-tg-1"));
        done(state(B, TG).append("log", "b-tg-1"));
        assertThat(done(state(A, TG).get("k")).map(StateRecord::value)).contains("a-tg");
        assertThat(done(state(B, TG).get("k")).map(StateRecord::value)).contains("b-tg");
        assertThat(done(state(A, VK).get("k")).map(StateRecord::value)).contains("a-vk");
        assertThat(done(state(B, VK).get("k"))).isEmpty();
        assertThat(done(state(A, TG).read("log", 0, 10))).extracting(LogEntry::seq, LogEntry::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "a-tg-1"));
        assertThat(done(state(B, TG).read("log", 0, 10))).extracting(LogEntry::value).containsExactly("b-tg-1");
        assertThat(done(state(A, VK).read("log", 0, 10))).isEmpty();
        done(state(B, TG).delete("k"));
        assertThat(done(state(A, TG).get("k"))).isPresent();
    }

    @Test
    void aLogNumbersItsEntriesFromOneAndResumesAfterASequenceNumber() {
        ChannelState s = state(A, TG);
        for (int i = 1; i <= 7; i++) {
            LogEntry e = done(s.append("visitor-1", "m" + i));
            assertThat(e.seq()).isEqualTo(i);
            assertThat(e.appendedAt()).isEqualTo(T0);
        }
        done(s.append("visitor-2", "other"));
        assertThat(done(s.read("visitor-1", 0, 3))).extracting(LogEntry::value).containsExactly("m1", "m2", "m3");
        assertThat(done(s.read("visitor-1", 3, 3))).extracting(LogEntry::seq).containsExactly(4L, 5L, 6L);
        assertThat(done(s.read("visitor-1", 6, 100))).extracting(LogEntry::value).containsExactly("m7");
        assertThat(done(s.read("visitor-1", 7, 100))).isEmpty();
        assertThat(done(s.read("visitor-2", 0, 100))).extracting(LogEntry::seq).containsExactly(1L);
        assertThat(done(s.read("nobody", 0, 100))).isEmpty();
        assertThat(done(s.lastSeq("visitor-1"))).isEqualTo(7);
        assertThat(done(s.lastSeq("nobody"))).isZero();
    }

    @Test
    void anEntryMayCarryItsOwnSequenceNumber() {
        ChannelState s = state(A, TG);
        done(s.append("frames", "first"));
        LogEntry e = done(s.append("frames", seq -> "{\"seq\":" + seq + "}"));
        assertThat(e.seq()).isEqualTo(2);
        assertThat(done(s.read("frames", 1, 10))).extracting(LogEntry::value).containsExactly("{\"seq\":2}");
    }

    @Test
    void textOfAnyScriptAndSizeRoundTrips() {
        ChannelState s = state(A, TG);
        String key = "ключ-鍵-\uD83D\uDE00-" + "k".repeat(150);
        String big = "Привет 你好 \uD83D\uDE00 ".repeat(8_000);
        done(s.put(key, big));
        assertThat(done(s.get(key)).map(StateRecord::value)).contains(big);
        assertThat(done(s.get(key.toUpperCase()))).as("keys are case-sensitive").isEmpty();
        done(s.append(key, big));
        assertThat(done(s.read(key, 0, 1))).extracting(LogEntry::value).containsExactly(big);
    }

    @Test
    void badKeysAndReadsAreRefused() {
        ChannelState s = state(A, TG);
        assertThatThrownBy(() -> s.get(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.put("k".repeat(ChannelState.MAX_KEY_LENGTH + 1), "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.put("k", "v", Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.read("log", -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.read("log", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCompareAndSetsLoseNoUpdate() throws Exception {
        int threads = 4;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // Each "node" has its own state object over the shared store, as separate inboxes would.
                ChannelState node = state(A, TG);
                all.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            Optional<StateRecord> now = done(node.get("counter"));
                            long version = now.map(StateRecord::version).orElse(0L);
                            long value = now.map(r -> Long.parseLong(r.value())).orElse(0L);
                            if (done(node.compareAndSet("counter", version, Long.toString(value + 1),
                                    Optional.empty())).isPresent()) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        StateRecord end = done(state(A, TG).get("counter")).orElseThrow();
        assertThat(end.value()).isEqualTo(Integer.toString(threads * perThread));
        assertThat(end.version()).isEqualTo(threads * perThread);
    }

    @Test
    void concurrentAppendsGetEverySequenceNumberOnce() throws Exception {
        int threads = 4;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> all = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                ChannelState node = state(A, TG);
                int id = t;
                all.add(pool.submit(() -> {
                    go.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        seqs.add(done(node.append("history", id + ":" + i)).seq());
                    }
                    return seqs;
                }));
            }
            go.countDown();
            Set<Long> seen = new TreeSet<>();
            for (Future<List<Long>> f : all) {
                seen.addAll(f.get(120, TimeUnit.SECONDS));
            }
            int total = threads * perThread;
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed()
                    .collect(Collectors.toList()));
            List<LogEntry> read = done(state(A, TG).read("history", 0, total + 10));
            assertThat(read).extracting(LogEntry::seq).containsExactlyElementsOf(seen);
            assertThat(read).extracting(LogEntry::value).doesNotHaveDuplicates().hasSize(total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pruningDeletesOnlyExpiredRecords() {
        ChannelState s = state(A, TG);
        done(s.put("short", "v", Optional.of(Duration.ofMinutes(1))));
        done(s.put("long", "v", Optional.of(Duration.ofDays(1))));
        done(s.put("forever", "v"));
        clock.advance(Duration.ofMinutes(2));
        int pruned = store.inTransaction(tx -> tx.pruneChannelState(clock.instant(), 100));
        assertThat(pruned).isEqualTo(1);
        Optional<StateRecord> shortLived = store.inTransaction(tx -> tx.channelStateRecord(A, TG, "short"));
        Optional<StateRecord> longLived = store.inTransaction(tx -> tx.channelStateRecord(A, TG, "long"));
        assertThat(shortLived).isEmpty();
        assertThat(longLived).isPresent();
        assertThat(done(s.get("forever"))).isPresent();
    }

    @Test
    void aRolledBackTransactionLeavesNoStateBehind() {
        try {
            store.inTransaction(tx -> {
                tx.saveChannelStateRecord(A, TG, new StateRecord("k", "v", 1, Optional.empty()));
                tx.appendChannelLog(A, TG, "log", seq -> "v", T0);
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertThat(done(state(A, TG).get("k"))).isEmpty();
        assertThat(done(state(A, TG).read("log", 0, 10))).isEmpty();
        assertThat(done(state(A, TG).append("log", "after")).seq()).isEqualTo(1);
    }

    /** A clock that stands still until the test moves it. */
    private static final class StepClock extends Clock {
        private volatile Instant now;

        StepClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
