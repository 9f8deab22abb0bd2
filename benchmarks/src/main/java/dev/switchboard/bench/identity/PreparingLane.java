package dev.switchboard.bench.identity;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.PreparedAccount;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second core's share of the identity benchmark in its two-thread mode: a thread that runs
 * {@link IdentityEngine#prepare} on every event (normalising the raw evidence, {@code 8 (916) 123-45-67} ->
 * {@code +79161234567}, and computing the sender's name tokens, keys and form) ahead of the thread that resolves, as
 * an inbox ingest lane does before it opens the store transaction. The resolving thread then only does store work
 * ({@link IdentityEngine#resolve(dev.switchboard.identity.IdentityTransaction, PreparedAccount)}). Started by the measured
 * code, so its work is inside the measured time.
 *
 * <p>The lane stays at most {@value #WINDOW} events ahead, as an ingest lane with a bounded queue does. Unbounded, it
 * ran about half a million events ahead at 1M (preparing is twice as fast as resolving) and kept those prepared
 * events (some fifteen objects each) live through the young collections, which no real lane does. In interleaved
 * runs the bound made no difference to GC time beyond the noise; it is here for realism, not speed.
 */
final class PreparingLane {
    private static final int CHUNK = 256;
    private static final int WINDOW = 4096;

    private final IdentityWorkload workload;
    private final IdentityEngine engine;
    private final PreparedAccount[] prepared;
    private final AtomicInteger ready = new AtomicInteger();
    /** How many events the resolving thread has taken, published every {@link #CHUNK} events. */
    private final AtomicInteger taken = new AtomicInteger();
    private final Thread thread;
    private volatile Throwable failure;

    private PreparingLane(IdentityWorkload workload, IdentityEngine engine) {
        this.workload = workload;
        this.engine = engine;
        this.prepared = new PreparedAccount[workload.size()];
        this.thread = new Thread(this::run, "preparing-lane");
        thread.setDaemon(true);
    }

    static PreparingLane start(IdentityWorkload workload, IdentityEngine engine) {
        PreparingLane lane = new PreparingLane(workload, engine);
        lane.thread.start();
        return lane;
    }

    private void run() {
        try {
            int n = workload.size();
            for (int i = 0; i < n; i++) {
                while (i - taken.get() >= WINDOW) {
                    Thread.onSpinWait(); // a full queue: wait for the resolving thread
                }
                prepared[i] = engine.prepare(workload.account(i), workload.evidence(i));
                if ((i + 1) % CHUNK == 0 || i + 1 == n) {
                    ready.set(i + 1); // publishes prepared[0..i] to the resolving thread
                }
            }
        } catch (Throwable t) {
            failure = t;
            ready.set(Integer.MAX_VALUE);
        }
    }

    /** Event {@code i} prepared; waits (spinning: the lane runs far ahead) until it is ready, then releases it. */
    PreparedAccount take(int i) {
        while (ready.get() <= i) {
            Thread.onSpinWait();
        }
        if (failure != null) {
            throw new IllegalStateException("preparing lane failed", failure);
        }
        PreparedAccount p = prepared[i];
        prepared[i] = null;
        if ((i + 1) % CHUNK == 0) {
            taken.set(i + 1);
        }
        return p;
    }
}
