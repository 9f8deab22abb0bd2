package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bots Long Poll loop, on its own daemon thread: {@code groups.getLongPollServer} for a session
 * ({@code server, key, ts}), then {@code a_check} with {@code wait}; each batch goes to the sink and {@code ts} moves
 * to the answer's only after the sink's stage completed, so a failed commit (or a crash) reads the batch again and
 * never skips it. {@code failed: 1} continues with the returned ts, {@code failed: 2} takes a new key and keeps our
 * ts, {@code failed: 3} takes a new key and ts (VK lost the history; logged). A key older than the configured maximum
 * age is replaced before VK expires it, keeping our ts. An authorization failure (error 5) marks the channel DOWN and
 * is retried only at the maximum backoff.
 */
final class VkPoller {
    private static final Logger log = LoggerFactory.getLogger(VkPoller.class);

    private final VkConfig config;
    private final VkApi api;
    private final OkHttpClient pollClient;
    private final VkInboundMapper mapper;
    private final InboundSink sink;
    private final Clock clock;
    private final Consumer<VkInboundMapper.Mapped> observer;
    private final ChannelHealthTracker health;
    private final VkLongPollCursor cursor;
    private String ts;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<Void> firstSession = new CompletableFuture<>();
    private final Thread thread;

    private volatile boolean running = true;
    private volatile CompletableFuture<JsonNode> current;
    private Session session;

    /** One long poll session: where to ask and with which key, and when we got it. */
    private record Session(HttpUrl server, String key, Instant since) {
    }

    VkPoller(VkConfig config, VkApi api, OkHttpClient pollClient, VkInboundMapper mapper, InboundSink sink,
               Clock clock, Consumer<VkInboundMapper.Mapped> observer, ChannelHealthTracker health,
               VkLongPollCursor cursor) {
        this.config = config;
        this.api = api;
        this.pollClient = pollClient;
        this.mapper = mapper;
        this.sink = sink;
        this.clock = clock;
        this.observer = observer;
        this.health = health;
        this.cursor = cursor;
        this.thread = new Thread(this::run, "vk-long-poll-" + config.channelId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Completes once the first session was asked for, whether VK granted it or not (the health says which): events
     * VK accepts from then on are read, none before.
     */
    CompletableFuture<Void> firstSession() {
        return firstSession;
    }

    CompletableFuture<Void> stop() {
        running = false;
        stopSignal.countDown();
        CompletableFuture<JsonNode> inFlight = current;
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        thread.interrupt();
        return terminated;
    }

    private void run() {
        Duration backoff = config.retryBackoffMin();
        try {
            while (running) {
                try {
                    pollOnce();
                    backoff = config.retryBackoffMin();
                } catch (InterruptedException e) {
                    break;
                } catch (ExecutionException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    Duration wait = backoff;
                    String problem = redact(String.valueOf(cause.getMessage()));
                    if (cause instanceof VkApiError vk && vk.isAuthFailure()) {
                        health.down(ChannelHealth.Problem.BAD_CREDENTIALS, "VK refused the community access token "
                                + "(error 5)");
                        wait = config.retryBackoffMax();
                        log.error("VK channel {}: {}; the token must be replaced", config.channelId(), problem);
                    } else if (cause instanceof VkApiError vk && vk.failure().retryAfter().isPresent()
                            && vk.failure().retryAfter().get().compareTo(wait) > 0) {
                        wait = vk.failure().retryAfter().get();
                    }
                    if (!health.isDown()) {
                        health.degraded(cause instanceof VkApiError vk && vk.failure().kind()
                                        == dev.switchboard.channel.FailureKind.RATE_LIMITED
                                        ? ChannelHealth.Problem.RATE_LIMITED : ChannelHealth.Problem.UNREACHABLE,
                                problem, Optional.of(clock.instant().plus(wait)));
                        log.warn("VK channel {}: long poll failed ({}); retrying in {} ms", config.channelId(),
                                problem, wait.toMillis());
                    }
                    session = null;
                    firstSession.complete(null);
                    backoff = backoff.multipliedBy(2).compareTo(config.retryBackoffMax()) > 0
                            ? config.retryBackoffMax() : backoff.multipliedBy(2);
                    if (stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (Throwable t) {
            log.error("VK channel {}: long poll died unexpectedly: {}", config.channelId(), redact(t.toString()));
        } finally {
            firstSession.complete(null);
            terminated.complete(null);
        }
    }

    private void pollOnce() throws InterruptedException, ExecutionException {
        if (session == null || !clock.instant().isBefore(session.since().plus(config.longPollSessionMaxAge()))) {
            boolean refresh = session != null;
            session = newSession(false);
            if (refresh) {
                log.info("VK channel {}: long poll key renewed before it expires", config.channelId());
            }
        }
        HttpUrl url = session.server().newBuilder()
                .setQueryParameter("act", "a_check")
                .setQueryParameter("key", session.key())
                .setQueryParameter("ts", ts)
                .setQueryParameter("wait", Long.toString(config.longPollWait().toSeconds()))
                .build();
        JsonNode answer = await(api.get(pollClient, "a_check", url));
        if (!running) {
            return;
        }
        JsonNode failed = answer.get("failed");
        if (failed != null) {
            switch (failed.asInt()) {
                case 1 -> {
                    // history partly lost or ts out of range: continue with the ts VK returned
                    log.warn("VK channel {}: long poll failed 1, continuing with ts {}", config.channelId(),
                            answer.path("ts").asText());
                    ts = answer.path("ts").asText();
                    cursor.save(ts);
                }
                case 2 -> session = newSession(false);
                case 3 -> {
                    log.warn("VK channel {}: long poll failed 3 (VK lost the session's history); starting from a "
                            + "new ts, events VK dropped cannot be read again", config.channelId());
                    session = newSession(true);
                }
                default -> throw VkApiError.malformed("a_check", 200, "unknown failed value " + failed.asText());
            }
            return;
        }
        JsonNode next = answer.get("ts");
        JsonNode updates = answer.get("updates");
        if (next == null || updates == null || !updates.isArray()) {
            throw VkApiError.malformed("a_check", 200, "answer has no ts or updates");
        }
        deliver(updates);
        ts = next.asText();
        cursor.save(ts);
        health.received();
    }

    /** A new key (and server); our ts is kept unless {@code newTs} or we have none yet. */
    private Session newSession(boolean newTs) throws InterruptedException, ExecutionException {
        JsonNode r = await(api.call("groups.getLongPollServer", Map.of("group_id", Long.toString(config.groupId()))));
        HttpUrl server = HttpUrl.parse(r.path("server").asText(""));
        if (server == null || !r.path("key").isTextual() || r.path("ts").isMissingNode()) {
            throw VkApiError.malformed("groups.getLongPollServer", 200, "answer lacks server, key or ts");
        }
        if (ts == null && !newTs) {
            ts = cursor.load().orElse(null);
        }
        if (newTs || ts == null) {
            ts = r.path("ts").asText();
            cursor.save(ts);
        }
        health.up();
        firstSession.complete(null);
        return new Session(server, r.path("key").asText(), clock.instant());
    }

    /** Hands one batch to the sink in order (quarantining what cannot be mapped) and waits for the commit. */
    private void deliver(JsonNode updates) throws InterruptedException, ExecutionException {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        List<InboundEvent> run = new ArrayList<>();
        for (JsonNode update : updates) {
            VkInboundMapper.Outcome outcome = mapper.map(update);
            if (outcome instanceof VkInboundMapper.Mapped mapped) {
                observer.accept(mapped);
                run.add(mapped.event());
            } else if (outcome instanceof VkInboundMapper.Rejected r) {
                chain = flush(chain, run);
                run = new ArrayList<>();
                log.warn("VK channel {}: quarantining long poll event {}: {}", config.channelId(),
                        r.eventId().orElse("?"), r.reason());
                RejectedInput input = new RejectedInput(config.channelId(), r.eventId(),
                        String.valueOf(update).getBytes(StandardCharsets.UTF_8), r.reason(), clock.instant());
                chain = chain.thenCompose(v -> sink.reject(input));
            } else {
                VkInboundMapper.Ignored ignored = (VkInboundMapper.Ignored) outcome;
                log.debug("VK channel {}: ignoring event {}: {}", config.channelId(), ignored.eventId(),
                        ignored.why());
            }
        }
        chain = flush(chain, run);
        chain.toCompletableFuture().get();
    }

    private CompletionStage<Void> flush(CompletionStage<Void> chain, List<InboundEvent> events) {
        if (events.isEmpty()) {
            return chain;
        }
        List<InboundEvent> batch = List.copyOf(events);
        return chain.thenCompose(v -> sink.deliverAll(batch));
    }

    private JsonNode await(CompletableFuture<JsonNode> call) throws InterruptedException, ExecutionException {
        current = call;
        if (!running) {
            call.cancel(true);
        }
        return call.get();
    }

    /** Long poll keys travel in URLs: keep them (and the token) out of logs. */
    private String redact(String text) {
        String redacted = api.redact(text);
        Session s = session;
        return s == null ? redacted : redacted.replace(s.key(), "***");
    }
}
