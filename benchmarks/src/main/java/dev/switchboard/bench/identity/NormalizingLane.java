package dev.switchboard.bench.identity;

import dev.switchboard.identity.ContactNormalizer;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second core's share of the identity benchmark in its two-thread mode: a thread that normalises every event's
 * raw evidence ({@code 8 (916) 123-45-67} -> {@code +79161234567}) with the engine's own {@link ContactNormalizer},
 * ahead of the thread that resolves, as an inbox ingest lane does before it opens the store transaction (see
 * {@code IdentityEngine.normalizer()}). The resolving thread still hands the engine every point and the engine still
 * normalises it (cheaply, on its fast path for E.164); points that do not parse are dropped here exactly as the engine
 * would skip them. Started by the measured code, so its work is inside the measured time.
 */
final class NormalizingLane {
    private static final int CHUNK = 256;

    private final IdentityWorkload workload;
    private final ContactNormalizer normalizer;
    private final List<Evidence>[] prepared;
    private final AtomicInteger ready = new AtomicInteger();
    private final Thread thread;
    private volatile Throwable failure;

    @SuppressWarnings("unchecked")
    private NormalizingLane(IdentityWorkload workload, ContactNormalizer normalizer) {
        this.workload = workload;
        this.normalizer = normalizer;
        this.prepared = new List[workload.size()];
        this.thread = new Thread(this::run, "normalizing-lane");
        thread.setDaemon(true);
    }

    static NormalizingLane start(IdentityWorkload workload, ContactNormalizer normalizer) {
        NormalizingLane lane = new NormalizingLane(workload, normalizer);
        lane.thread.start();
        return lane;
    }

    private void run() {
        try {
            int n = workload.size();
            for (int i = 0; i < n; i++) {
                List<Evidence> raw = workload.evidence(i);
                List<Evidence> out = new ArrayList<>(raw.size());
                for (Evidence e : raw) {
                    Optional<ContactPoint> p = normalizer.normalize(e.point());
                    if (p.isPresent()) {
                        out.add(new Evidence(p.get(), e.verified(), e.source(), e.observedAt()));
                    }
                }
                prepared[i] = out;
                if ((i + 1) % CHUNK == 0 || i + 1 == n) {
                    ready.set(i + 1); // publishes prepared[0..i] to the resolving thread
                }
            }
        } catch (Throwable t) {
            failure = t;
            ready.set(Integer.MAX_VALUE);
        }
    }

    /** Event {@code i}'s evidence, normalised; waits (spinning: the lane runs far ahead) until it is ready. */
    List<Evidence> evidence(int i) {
        while (ready.get() <= i) {
            Thread.onSpinWait();
        }
        if (failure != null) {
            throw new IllegalStateException("normalising lane failed", failure);
        }
        return prepared[i];
    }
}
