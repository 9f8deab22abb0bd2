package dev.switchboard.spring.boot;

import dev.switchboard.inbox.Inbox;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the inbox once the application's web server accepts requests (webhook channels register their URL with the
 * platform at start, and the platform calls at once) and closes it before the server stops. Things bound to the
 * running inbox (the metrics' gauges and feed counters) are bound on start and released on stop. Thread-safe.
 */
public final class SwitchboardInboxLifecycle implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardInboxLifecycle.class);

    private final Inbox inbox;
    private final List<Function<Inbox, AutoCloseable>> bindings;
    private final List<AutoCloseable> bound = new ArrayList<>();
    private boolean running;

    /** Runs {@code inbox}, binding each of {@code bindings} to it while it runs. */
    public SwitchboardInboxLifecycle(Inbox inbox, List<Function<Inbox, AutoCloseable>> bindings) {
        this.inbox = inbox;
        this.bindings = List.copyOf(bindings);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        for (Function<Inbox, AutoCloseable> b : bindings) {
            bound.add(b.apply(inbox));
        }
        inbox.start();
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (AutoCloseable b : bound) {
            try {
                b.close();
            } catch (Exception e) {
                log.warn("Could not release {}: {}", b, e.toString());
            }
        }
        bound.clear();
        inbox.close();
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /** After the web server started (its phase is a little below the default), before it stops. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
