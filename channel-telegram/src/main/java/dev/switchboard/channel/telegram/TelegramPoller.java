package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the long-polling loop, without a thread of its own: getUpdates is posted through the transport's
 * non-blocking long-poll client, the batch is handed to the sink, and only after the sink's stage completed is the
 * offset advanced to {@code max(update_id) + 1}; the next getUpdates confirms the batch to Telegram. If the sink fails
 * the offset stays and Telegram sends the same updates again. An update that cannot be mapped is quarantined and the
 * offset moves past it. Errors back off exponentially on the transport's timer; a 409 (webhook active, another
 * instance polling) is logged as an error naming the conflict and retried with backoff; a 401/404 (the token was
 * revoked) makes the channel DOWN and ends the loop: retrying cannot fix it.
 */
final class TelegramPoller {
    private static final Logger log = LoggerFactory.getLogger(TelegramPoller.class);

    private final TelegramConfig config;
    private final String label;
    private final BotApi api;
    private final TelegramTransport.Use use;
    private final TelegramInboundMapper mapper;
    private final InboundSink sink;
    private final ChannelHealthTracker health;
    private final Clock clock;
    private final Executor callbacks;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Object lock = new Object();

    private boolean running = true;
    private BotApi.InFlight current;
    private ScheduledFuture<?> pendingRetry;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String lastProblem;
    private Duration backoff;
    /** Next offset to ask for; 0 until the first batch was committed (Telegram then starts at the oldest pending). */
    private volatile long offset;
    private volatile long confirmedOffset;

    TelegramPoller(TelegramConfig config, BotApi api, TelegramTransport.Use use, TelegramInboundMapper mapper,
                   InboundSink sink, ChannelHealthTracker health, Clock clock) {
        this.config = config;
        this.label = config.logLabel();
        this.api = api;
        this.use = use;
        this.mapper = mapper;
        this.sink = sink;
        this.health = health;
        this.clock = clock;
        this.callbacks = use.resources().callbacks();
        this.backoff = config.retryBackoffMin();
    }

    void start() {
        next(Duration.ZERO);
    }

    /**
     * Ends the loop: cancels the poll in flight or the pending retry; the loop then confirms the last committed batch
     * and the returned stage completes (the caller then releases the transport use it lent).
     */
    CompletableFuture<Void> stop() {
        BotApi.InFlight inFlight;
        boolean retryCancelled;
        synchronized (lock) {
            running = false;
            inFlight = current;
            retryCancelled = pendingRetry != null && pendingRetry.cancel(false);
            pendingRetry = null;
        }
        if (inFlight != null) {
            inFlight.cancel();
        }
        if (retryCancelled) {
            loopEnded();
        }
        return terminated;
    }

    Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** Runs the next poll after {@code wait}; ends the loop instead when stopping. */
    private void next(Duration wait) {
        boolean end = false;
        synchronized (lock) {
            if (!running) {
                end = true;
            } else {
                try {
                    if (wait.isZero()) {
                        callbacks.execute(this::poll);
                    } else {
                        pendingRetry = use.resources().timer().schedule(() -> {
                            synchronized (lock) {
                                pendingRetry = null;
                            }
                            poll();
                        }, wait.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (RejectedExecutionException e) {
                    running = false;
                    end = true;
                }
            }
        }
        if (end) {
            loopEnded();
        }
    }

    private void poll() {
        if (!isRunning()) {
            loopEnded();
            return;
        }
        ObjectNode params = api.json().createObjectNode();
        long from = offset;
        if (from > 0) {
            params.put("offset", from);
        }
        params.put("timeout", config.pollTimeout().toSeconds());
        params.put("limit", config.pollLimit());
        ArrayNode allowed = params.putArray("allowed_updates");
        config.allowedUpdates().forEach(allowed::add);
        BotApi.InFlight inFlight = api.longPoll(use.resources().polls(), "getUpdates", params,
                config.pollTimeout().plusSeconds(15));
        synchronized (lock) {
            current = inFlight;
            if (!running) {
                inFlight.cancel();
            }
        }
        inFlight.result.thenComposeAsync(result -> {
            confirmedOffset = from;
            if (!isRunning()) {
                return CompletableFuture.completedFuture(null);
            }
            health.received();
            if (!result.isArray()) {
                throw BotApiError.malformed("getUpdates", 200, "result is not an array");
            }
            return deliver((ArrayNode) result).thenAccept(nextOffset -> {
                nextOffset.ifPresent(n -> offset = n);
                lastProblem = null;
                backoff = config.retryBackoffMin();
            });
        }, callbacks).whenComplete((v, failure) -> {
            synchronized (lock) {
                current = null;
            }
            if (failure == null) {
                next(Duration.ZERO);
            } else {
                failed(failure);
            }
        });
    }

    private boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    private void failed(Throwable failure) {
        if (!isRunning()) {
            next(Duration.ZERO);
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        Duration wait = backoff;
        if (cause instanceof BotApiError && ((BotApiError) cause).isBadToken()) {
            lastProblem = "the bot token was refused (" + ((BotApiError) cause).failure().description() + ")";
            health.down(ChannelHealth.Problem.BAD_CREDENTIALS, lastProblem);
            log.error("Telegram channel {}: {}; polling stopped until the channel is restarted with a valid "
                    + "token", label, lastProblem);
            synchronized (lock) {
                running = false;
            }
            next(Duration.ZERO);
            return;
        }
        if (cause instanceof BotApiError && ((BotApiError) cause).isConflict()) {
            lastProblem = "409 conflict: " + ((BotApiError) cause).failure().description()
                    + " — getUpdates cannot run while a webhook is set (call deleteWebhook) or while "
                    + "another instance polls the same bot";
            health.degraded(ChannelHealth.Problem.MISCONFIGURED, lastProblem, Optional.empty());
            log.error("Telegram channel {}: {}; retrying in {} ms", label, lastProblem, wait.toMillis());
        } else if (cause instanceof BotApiError && ((BotApiError) cause).failure().retryAfter().isPresent()) {
            wait = ((BotApiError) cause).failure().retryAfter().get();
            lastProblem = cause.getMessage();
            health.degraded(ChannelHealth.Problem.RATE_LIMITED, "getUpdates rate-limited",
                    Optional.of(clock.instant().plus(wait)));
            log.warn("Telegram channel {}: getUpdates rate-limited; retrying in {} ms", label, wait.toMillis());
        } else if (cause instanceof RecordingFailure) {
            lastProblem = "the inbox did not store a batch: " + cause.getCause();
            log.warn("Telegram channel {}: {}; polling the same updates again in {} ms", label, lastProblem,
                    wait.toMillis());
        } else {
            lastProblem = api.redactor().redact(String.valueOf(cause.getMessage()));
            health.degraded(ChannelHealth.Problem.UNREACHABLE, lastProblem, Optional.empty());
            log.warn("Telegram channel {}: polling failed ({}); retrying in {} ms", label, lastProblem,
                    wait.toMillis());
        }
        backoff = backoff.multipliedBy(2).compareTo(config.retryBackoffMax()) > 0
                ? config.retryBackoffMax() : backoff.multipliedBy(2);
        next(wait);
    }

    /** The sink did not commit a batch (not a platform problem: the channel's health stays as it is). */
    private static final class RecordingFailure extends RuntimeException {
        RecordingFailure(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** Hands one batch to the sink in order; completes with the next offset after the commit. */
    private CompletableFuture<OptionalLong> deliver(ArrayNode updates) {
        long maxId = -1;
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        List<InboundEvent> run = new ArrayList<>();
        for (JsonNode update : updates) {
            OptionalLong id = TelegramInboundMapper.updateId(update);
            if (id.isPresent()) {
                maxId = Math.max(maxId, id.getAsLong());
            }
            TelegramInboundMapper.Outcome outcome = mapper.map(update);
            if (outcome instanceof TelegramInboundMapper.Mapped) {
                run.add(((TelegramInboundMapper.Mapped) outcome).event());
            } else if (outcome instanceof TelegramInboundMapper.Rejected) {
                TelegramInboundMapper.Rejected r = (TelegramInboundMapper.Rejected) outcome;
                chain = flush(chain, run);
                run = new ArrayList<>();
                log.warn("Telegram channel {}: quarantining update {}: {}", label, r.eventId().orElse("?"),
                        r.reason());
                RejectedInput input = new RejectedInput(config.channelId(), r.eventId(), bytes(update), r.reason(),
                        clock.instant());
                chain = chain.thenCompose(v -> sink.reject(input));
            } else {
                TelegramInboundMapper.Ignored ignored = (TelegramInboundMapper.Ignored) outcome;
                log.debug("Telegram channel {}: ignoring update {}: {}", label, ignored.eventId(), ignored.why());
            }
        }
        chain = flush(chain, run);
        OptionalLong next = maxId < 0 ? OptionalLong.empty() : OptionalLong.of(maxId + 1);
        CompletableFuture<OptionalLong> done = new CompletableFuture<>();
        chain.whenComplete((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(new RecordingFailure(failure instanceof CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure));
            } else {
                done.complete(next);
            }
        });
        return done;
    }

    private byte[] bytes(JsonNode update) {
        try {
            return api.json().writeValueAsBytes(update);
        } catch (java.io.IOException e) {
            return String.valueOf(update).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private CompletionStage<Void> flush(CompletionStage<Void> chain, List<InboundEvent> events) {
        if (events.isEmpty()) {
            return chain;
        }
        List<InboundEvent> batch = List.copyOf(events);
        return chain.thenCompose(v -> sink.deliverAll(batch));
    }

    /**
     * Tells Telegram about the last committed batch before the run ends (a getUpdates with the new offset and no
     * wait), so a graceful stop does not make the next run receive it again. Best
     * effort: after a crash the next run receives the batch again and the inbox dedupes on update_id.
     */
    private void loopEnded() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        long committed = offset;
        if (committed <= confirmedOffset) {
            done();
            return;
        }
        ObjectNode params = api.json().createObjectNode();
        params.put("offset", committed);
        params.put("timeout", 0);
        params.put("limit", 1);
        api.call("getUpdates", params).result.orTimeout(5, TimeUnit.SECONDS).whenComplete((r, e) -> {
            if (e != null) {
                log.info("Telegram channel {}: could not confirm offset {} on stop ({}); the next run will receive "
                        + "the last batch again and the inbox dedupes it", label, committed,
                        api.redactor().redact(String.valueOf(e.getMessage())));
            }
            done();
        });
    }

    private void done() {
        terminated.complete(null);
    }

}
