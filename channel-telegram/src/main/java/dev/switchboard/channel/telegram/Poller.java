package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-polling loop, on its own daemon thread: getUpdates, hand the batch to the sink, and only after the sink's
 * stage completed advance the offset to {@code max(update_id) + 1}; the next getUpdates confirms the batch to Telegram.
 * If the sink fails the offset stays and Telegram sends the same updates again. Errors back off exponentially; a 409
 * (webhook active, another instance polling) is logged as an error naming the conflict and retried with backoff.
 */
final class Poller {
    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    private final TelegramConfig config;
    private final BotApi api;
    private final OkHttpClient pollClient;
    private final UpdateMapper mapper;
    private final InboundSink sink;
    private final Clock clock;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Thread thread;

    private volatile boolean running = true;
    private volatile BotApi.InFlight current;
    private volatile String lastProblem;
    /** Next offset to ask for; 0 until the first batch was committed (Telegram then starts at the oldest pending). */
    private long offset;
    private long confirmedOffset;

    Poller(TelegramConfig config, BotApi api, OkHttpClient pollClient, UpdateMapper mapper, InboundSink sink,
           Clock clock) {
        this.config = config;
        this.api = api;
        this.pollClient = pollClient;
        this.mapper = mapper;
        this.sink = sink;
        this.clock = clock;
        this.thread = new Thread(this::run, "telegram-poller-" + config.channelId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    CompletableFuture<Void> stop() {
        running = false;
        stopSignal.countDown();
        BotApi.InFlight inFlight = current;
        if (inFlight != null) {
            inFlight.cancel();
        }
        thread.interrupt();
        return terminated;
    }

    Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    private void run() {
        Duration backoff = config.retryBackoffMin();
        try {
            while (running) {
                try {
                    JsonNode result = poll(offset, config.pollTimeout(), config.pollLimit());
                    confirmedOffset = offset;
                    if (!running) {
                        break;
                    }
                    if (!result.isArray()) {
                        throw BotApiError.malformed("getUpdates", 200, "result is not an array");
                    }
                    OptionalLong next = deliver((ArrayNode) result);
                    if (next.isPresent()) {
                        offset = next.getAsLong();
                    }
                    lastProblem = null;
                    backoff = config.retryBackoffMin();
                } catch (InterruptedException e) {
                    break;
                } catch (ExecutionException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    Duration wait = backoff;
                    if (cause instanceof BotApiError && ((BotApiError) cause).isConflict()) {
                        lastProblem = "409 conflict: " + ((BotApiError) cause).failure().description()
                                + " — getUpdates cannot run while a webhook is set (call deleteWebhook) or while "
                                + "another instance polls the same bot";
                        log.error("Telegram channel {}: {}; retrying in {} ms", config.channelId(), lastProblem,
                                wait.toMillis());
                    } else if (cause instanceof BotApiError && ((BotApiError) cause).failure().retryAfter()
                            .isPresent()) {
                        wait = ((BotApiError) cause).failure().retryAfter().get();
                        lastProblem = cause.getMessage();
                        log.warn("Telegram channel {}: getUpdates rate-limited; retrying in {} ms",
                                config.channelId(), wait.toMillis());
                    } else {
                        lastProblem = api.redactor().redact(String.valueOf(cause.getMessage()));
                        log.warn("Telegram channel {}: polling failed ({}); retrying in {} ms", config.channelId(),
                                lastProblem, wait.toMillis());
                    }
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
            log.error("Telegram channel {}: poller died unexpectedly: {}", config.channelId(),
                    api.redactor().redact(t.toString()));
        } finally {
            confirmOnStop();
            terminated.complete(null);
        }
    }

    private JsonNode poll(long fromOffset, Duration timeout, int limit) throws InterruptedException,
            ExecutionException {
        ObjectNode params = api.json().createObjectNode();
        if (fromOffset > 0) {
            params.put("offset", fromOffset);
        }
        params.put("timeout", timeout.toSeconds());
        params.put("limit", limit);
        ArrayNode allowed = params.putArray("allowed_updates");
        config.allowedUpdates().forEach(allowed::add);
        BotApi.InFlight inFlight = api.call(pollClient, "getUpdates", params);
        current = inFlight;
        if (!running) {
            inFlight.cancel();
        }
        return inFlight.result.get();
    }

    /** Hands one batch to the sink in order and waits for the commit; returns the next offset. */
    private OptionalLong deliver(ArrayNode updates) throws InterruptedException, ExecutionException {
        long maxId = -1;
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        List<InboundEvent> run = new ArrayList<>();
        for (JsonNode update : updates) {
            OptionalLong id = UpdateMapper.updateId(update);
            if (id.isPresent()) {
                maxId = Math.max(maxId, id.getAsLong());
            }
            UpdateMapper.Outcome outcome = mapper.map(update);
            if (outcome instanceof UpdateMapper.Mapped) {
                run.add(((UpdateMapper.Mapped) outcome).event());
            } else if (outcome instanceof UpdateMapper.Rejected) {
                UpdateMapper.Rejected r = (UpdateMapper.Rejected) outcome;
                chain = flush(chain, run);
                run = new ArrayList<>();
                log.warn("Telegram channel {}: quarantining update {}: {}", config.channelId(),
                        r.eventId().orElse("?"), r.reason());
                RejectedInput input = new RejectedInput(config.channelId(), r.eventId(),
                        bytes(update), r.reason(), clock.instant());
                chain = chain.thenCompose(v -> sink.reject(input));
            } else {
                UpdateMapper.Ignored ignored = (UpdateMapper.Ignored) outcome;
                log.debug("Telegram channel {}: ignoring update {}: {}", config.channelId(), ignored.eventId(),
                        ignored.why());
            }
        }
        chain = flush(chain, run);
        chain.toCompletableFuture().get();
        return maxId < 0 ? OptionalLong.empty() : OptionalLong.of(maxId + 1);
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
     * Tells Telegram about the last committed batch before the thread ends (a getUpdates with the new offset and no
     * wait), so a graceful stop does not make the next instance receive it again. Best effort: after a crash the
     * next instance receives the batch again and the inbox dedupes on update_id.
     */
    private void confirmOnStop() {
        Thread.interrupted(); // stop() interrupts to end waits; this last call must still be able to wait
        if (offset <= confirmedOffset) {
            return;
        }
        try {
            ObjectNode params = api.json().createObjectNode();
            params.put("offset", offset);
            params.put("timeout", 0);
            params.put("limit", 1);
            api.call(pollClient, "getUpdates", params).result.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.info("Telegram channel {}: could not confirm offset {} on stop ({}); the next poller will receive "
                    + "the last batch again and the inbox dedupes it", config.channelId(), offset,
                    api.redactor().redact(String.valueOf(e.getMessage())));
        }
    }
}
