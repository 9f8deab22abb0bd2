package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.store.TransactionWork;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The shape of a vendor's store, small enough to read in one go: transactions come from the store's own engine (here
 * the in-memory store stands in for the vendor's database), and leases are the store's own (here a map of held names,
 * one JVM being one node). The kit runs against it in {@link ExampleInboxStoreContractTest} and
 * {@link ExampleRunningInboxTest}; a real store replaces the engine with its database and keeps everything else.
 */
final class ExampleInboxStore implements InboxStore {
    private final InMemoryInboxStore engine = new InMemoryInboxStore();
    private final ConcurrentMap<String, MapLease> leases = new ConcurrentHashMap<>();

    @Override
    public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
        return engine.inTransaction(work);
    }

    @Override
    public Optional<Lease> tryAcquireLease(String name, String owner) {
        MapLease fresh = new MapLease(name);
        return leases.putIfAbsent(name, fresh) == null ? Optional.of(fresh) : Optional.empty();
    }

    @Override
    public boolean sharesSendPacing() {
        return engine.sharesSendPacing();
    }

    @Override
    public void close() {
        engine.close();
    }

    /** Held while it is the map's entry for its name; released by removing itself. */
    private final class MapLease implements Lease {
        private final String name;

        MapLease(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            return leases.get(name) == this;
        }

        @Override
        public void release() {
            leases.remove(name, this);
        }
    }
}
