package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.store.TransactionWork;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores with one realistic bug each, and the store contract run on them. {@link KitCatchesBrokenStoresTest} runs the
 * contract classes here and checks the kit fails each store on the rule it breaks. The classes are nested so the
 * build does not run them as tests of their own.
 */
final class BrokenStores {
    private BrokenStores() {}

    /**
     * Keeps its outbox on a second connection in auto-commit mode (here: a second in-memory store, one transaction per
     * call), a common way to keep outbox claims off the main transaction's locks. A rolled-back claim then stays: the
     * row is leased to a node that never sends it, and a rolled-back "sent" marks a row sent that never went out.
     */
    static final class AutoCommitOutboxStore extends InterceptingStore {
        private static final Set<String> OUTBOX = Set.of("enqueue", "claimOutbox", "updateOutbox", "outboxEntry",
                "pendingOutboxCount", "oldestPendingOutbox", "replaceOutboxMessage");
        private final InMemoryInboxStore outbox = new InMemoryInboxStore();

        @Override
        Object intercept(InboxTransaction tx, Method method, Object[] args) throws Throwable {
            if (!OUTBOX.contains(method.getName())) {
                return call(tx, method, args);
            }
            return outbox.inTransaction(own -> call(own, method, args));
        }

        @Override
        public void close() {
            outbox.close();
            super.close();
        }
    }

    /**
     * Reads the event feed through a per-tenant index and returns a page tenant by tenant: a reader of all tenants
     * sees the events out of order, and a cursor past a later tenant's event skips an earlier tenant's.
     */
    static final class TenantOrderedFeedStore extends InterceptingStore {
        @Override
        Object intercept(InboxTransaction tx, Method method, Object[] args) throws Throwable {
            Object result = call(tx, method, args);
            if (method.getName().equals("events")) {
                @SuppressWarnings("unchecked")
                List<InboxEvent> page = new ArrayList<>((List<InboxEvent>) result);
                page.sort(Comparator.comparing((InboxEvent e) -> e.tenant().value()).thenComparingLong(InboxEvent::seq));
                return page;
            }
            return result;
        }
    }

    /** The contract on {@link AutoCommitOutboxStore}. */
    static final class AutoCommitOutboxContract extends InboxStoreContract {
        @Override
        protected InboxStore createStore() {
            return new AutoCommitOutboxStore();
        }
    }

    /** The contract on {@link TenantOrderedFeedStore}. */
    static final class TenantOrderedFeedContract extends InboxStoreContract {
        @Override
        protected InboxStore createStore() {
            return new TenantOrderedFeedStore();
        }
    }

    /** The contract on the in-memory store through the same interception with nothing changed: the control. */
    static final class UnchangedContract extends InboxStoreContract {
        @Override
        protected InboxStore createStore() {
            return new InterceptingStore();
        }
    }

    /**
     * The in-memory store with every transaction call passed through {@link #intercept}, which a broken store
     * overrides to change what one call does. As it stands it changes nothing.
     */
    static class InterceptingStore implements InboxStore {
        private final InMemoryInboxStore delegate = new InMemoryInboxStore();

        Object intercept(InboxTransaction tx, Method method, Object[] args) throws Throwable {
            return call(tx, method, args);
        }

        static Object call(InboxTransaction tx, Method method, Object[] args) {
            try {
                return method.invoke(tx, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
            return delegate.inTransaction(tx -> {
                InvocationHandler handler = (proxy, method, args) -> intercept(tx, method, args);
                InboxTransaction intercepted = (InboxTransaction) Proxy.newProxyInstance(
                        InboxTransaction.class.getClassLoader(), new Class<?>[] {InboxTransaction.class}, handler);
                return work.run(intercepted);
            });
        }

        @Override
        public Optional<Lease> tryAcquireLease(String name, String owner) {
            return delegate.tryAcquireLease(name, owner);
        }

        @Override
        public boolean sharesSendPacing() {
            return delegate.sharesSendPacing();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
