package dev.switchboard.inbox.testkit;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.store.TransactionWork;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in front of another that can be switched "down": while down, every transaction and lease attempt fails
 * with a transient error (as a database that refuses connections does), and every lease taken through it is lost (as
 * advisory locks are when the server drops the sessions). Simulates an outage of any store without touching a real
 * database server.
 */
public final class OutageStore implements InboxStore {
    private final InboxStore delegate;
    private final Set<FragileLease> leases = ConcurrentHashMap.newKeySet();
    private volatile boolean down;

    public OutageStore(InboxStore delegate) {
        this.delegate = delegate;
    }

    /** The outage begins: leases are lost, transactions and lease attempts fail until {@link #up()}. */
    public void down() {
        down = true;
        leases.forEach(FragileLease::lose);
    }

    public void up() {
        down = false;
    }

    private void check() {
        if (down) {
            throw new Outage();
        }
    }

    @Override
    public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
        check();
        return delegate.inTransaction(work);
    }

    @Override
    public Optional<Lease> tryAcquireLease(String name, String owner) {
        check();
        return delegate.tryAcquireLease(name, owner).map(l -> {
            FragileLease lease = new FragileLease(l);
            leases.add(lease);
            return lease;
        });
    }

    @Override
    public boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Outage) {
                return true;
            }
        }
        return delegate.isTransient(failure);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** What the store throws while down. */
    public static final class Outage extends RuntimeException {
        Outage() {
            super("the database refuses connections (simulated outage)");
        }
    }

    private final class FragileLease implements Lease {
        private final Lease lease;
        private volatile boolean lost;

        FragileLease(Lease lease) {
            this.lease = lease;
        }

        void lose() {
            lost = true;
            lease.release();
            leases.remove(this);
        }

        @Override
        public String name() {
            return lease.name();
        }

        @Override
        public boolean isHeld() {
            return !lost && lease.isHeld();
        }

        @Override
        public void release() {
            lease.release();
            leases.remove(this);
        }
    }
}
