package dev.switchboard.channel.webchat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the website chats whose log is shared with other nodes, so an event another node appended (an agent reply
 * the outbox sent there) reaches the visitor's stream open on this node. Polls: every interval each open session
 * compares the log's last sequence number with what its streams were sent. One daemon thread serves every chat of
 * the process. Internal.
 */
final class RemoteEventsPoller {
    private static final Logger log = LoggerFactory.getLogger(RemoteEventsPoller.class);
    private static final ScheduledExecutorService SHARED = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-webchat-remote-events");
        t.setDaemon(true);
        return t;
    });

    private RemoteEventsPoller() {}

    /** Runs {@code catchUp} soon on the poller's thread (a watch said another node appended). */
    static void wake(Runnable catchUp) {
        try {
            SHARED.execute(() -> {
                try {
                    catchUp.run();
                } catch (RuntimeException e) {
                    log.warn("Website chat: could not read events appended by other nodes: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the JVM is shutting down
        }
    }

    /** Runs {@code endpoint}'s catch-up every {@code interval} until the returned future is cancelled. */
    static ScheduledFuture<?> every(Duration interval, WebchatEndpoint endpoint) {
        long ms = Math.max(1, interval.toMillis());
        return SHARED.scheduleWithFixedDelay(() -> {
            try {
                endpoint.catchUpRemoteEvents();
            } catch (RuntimeException e) {
                log.warn("Website chat {}: could not read events appended by other nodes: {}", endpoint, e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }
}
