package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.Message;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Wraps an {@link InboxStore} to inject faults: a whole-store outage (every transaction throws while it is on), and
 * writes of chosen messages that always fail (as a database rejecting a row would). Everything else goes to the
 * wrapped store unchanged.
 */
public final class FaultyStore {
    private volatile boolean outage;
    private volatile Predicate<Message> failingMessageWrites = m -> false;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failedEnqueues = new AtomicInteger();
    private final AtomicInteger enqueuesLeft = new AtomicInteger(Integer.MAX_VALUE);

    /** Every transaction started from now on throws, until {@link #endOutage()}. */
    public void startOutage() {
        outage = true;
    }

    public void endOutage() {
        outage = false;
    }

    /** How many transactions the outage refused so far. */
    public int refusedTransactions() {
        return refused.get();
    }

    /**
     * After {@code n} more outbox rows were enqueued (in transactions that committed or not), every further
     * {@code enqueue} throws, failing its transaction: a node that dies in the middle of queueing a batch.
     */
    public void failEnqueuesAfter(int n) {
        enqueuesLeft.set(n);
    }

    /** How many {@code enqueue} calls {@link #failEnqueuesAfter} made fail so far. */
    public int failedEnqueues() {
        return failedEnqueues.get();
    }

    /** {@code saveMessage} of a message matching this throws. */
    public void failMessageWrites(Predicate<Message> which) {
        this.failingMessageWrites = which;
    }

    /** A store that behaves like {@code store} except for the faults switched on here. */
    public InboxStore wrap(InboxStore store) {
        return (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(),
                new Class<?>[] {InboxStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("inTransaction")) {
                        if (outage) {
                            refused.incrementAndGet();
                            throw new IllegalStateException("injected outage: the database is unreachable");
                        }
                        dev.switchboard.store.TransactionWork<InboxTransaction, Object> work = cast(args[0]);
                        return store.inTransaction(tx -> work.run(wrapTx(tx)));
                    }
                    return invoke(method, store, args);
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private InboxTransaction wrapTx(InboxTransaction tx) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("saveMessage") && failingMessageWrites.test((Message) args[0])) {
                throw new IllegalStateException("injected failure writing message " + ((Message) args[0]).id());
            }
            if (method.getName().equals("enqueue") && enqueuesLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n
                    : Math.max(-1, n - 1)) <= 0) {
                failedEnqueues.incrementAndGet();
                throw new IllegalStateException("injected failure enqueueing an outbox row");
            }
            return invoke(method, tx, args);
        };
        return (InboxTransaction) Proxy.newProxyInstance(InboxTransaction.class.getClassLoader(),
                new Class<?>[] {InboxTransaction.class}, h);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
