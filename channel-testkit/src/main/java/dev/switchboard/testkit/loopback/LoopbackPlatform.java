package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.Channel;
import dev.switchboard.testkit.PlatformFake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A tiny in-process messaging "platform" with the shape most real ones have, so {@link LoopbackChannel} can show how
 * a channel talks to one. It has two endpoints:
 * <ul>
 *   <li>{@link #poll}: long polling for updates after a cursor, like Telegram's {@code getUpdates}. An update stays
 *       available until the client polls with a cursor past it, which is how the client acknowledges it. The
 *       platform may deliver the same event again (a redelivery) under a new cursor position but the same
 *       {@code eventId}.</li>
 *   <li>{@link #send}: sends a message and answers like an HTTP API: 200 with a message id, 429 with retry-after,
 *       5xx, or 403 when the user blocked the bot.</li>
 * </ul>
 * Both require the bot token. In a real channel these would be HTTP calls; here they are method calls so the
 * example stays about the {@code Channel} contract rather than about HTTP.
 *
 * <p>It is also the kit's {@link PlatformFake}: the "test controls" below are what the kit drives. A fake for a real
 * platform looks the same, with a MockWebServer or GreenMail behind it instead of a list.
 */
public final class LoopbackPlatform implements PlatformFake {
    /** The chat the kit sends to: the platform accepts any chat id, this one stands for "a user who wrote to us". */
    public static final String KNOWN_CHAT = "100200300";


    /** One update in the platform's log. {@code position} orders deliveries; {@code eventId} identifies the event. */
    public record Update(long position, String eventId, String userId, String userName, String text) {}

    /** The platform's answer to {@link #send}, as an HTTP API would give it. */
    public record ApiResponse(int status, Optional<String> messageId, Optional<Long> retryAfterSeconds,
                              String description) {}

    /** A message the platform accepted. */
    public record Delivered(String chatId, String text, List<String> buttons, String messageId) {}

    private final String token;
    private final List<Update> log = new ArrayList<>();
    private final List<Delivered> delivered = new ArrayList<>();
    private final List<ApiResponse> scriptedFailures = new ArrayList<>();
    private long nextPosition = 1;
    private long nextEventId = 5000;
    private long nextMessageId = 1;
    private boolean closed;

    public LoopbackPlatform(String token) {
        this.token = token;
    }

    // ------------------------------------------------------------------ the platform's public API

    /**
     * Returns updates with {@code position > after}, waiting up to {@code wait} for one to arrive. An empty list means
     * "nothing new". Throws {@link SecurityException} for a wrong token.
     */
    public synchronized List<Update> poll(String token, long after, Duration wait) throws InterruptedException {
        checkToken(token);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!closed) {
            List<Update> fresh = new ArrayList<>();
            for (Update u : log) {
                if (u.position() > after) {
                    fresh.add(u);
                }
            }
            long left = deadline - System.nanoTime();
            if (!fresh.isEmpty() || left <= 0) {
                return fresh;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.of();
    }

    /** Sends {@code text} with optional {@code buttons} to {@code chatId}. */
    public synchronized ApiResponse send(String token, String chatId, String text, List<String> buttons) {
        if (!this.token.equals(token)) {
            return new ApiResponse(401, Optional.empty(), Optional.empty(), "Unauthorized");
        }
        if (!scriptedFailures.isEmpty()) {
            return scriptedFailures.remove(0);
        }
        if (text.isEmpty() || text.length() > 4096) {
            return new ApiResponse(400, Optional.empty(), Optional.empty(), "Bad Request: bad text length");
        }
        String messageId = "m" + nextMessageId++;
        delivered.add(new Delivered(chatId, text, List.copyOf(buttons), messageId));
        return new ApiResponse(200, Optional.of(messageId), Optional.empty(), "OK");
    }

    // ------------------------------------------------------------------ PlatformFake: what the kit drives

    @Override
    public void bind(Channel channel) {
        // A polling platform needs nothing from the channel; a webhook fake would keep channel.webhook() here.
    }

    /** A user writes to the bot; returns the event id. */
    @Override
    public synchronized String deliverText(String userId, String userName, String text) {
        String eventId = Long.toString(nextEventId++);
        log.add(new Update(nextPosition++, eventId, userId, userName, text));
        notifyAll();
        return eventId;
    }

    /** The platform delivers event {@code eventId} again, as after a lost acknowledgement. */
    @Override
    public synchronized void redeliver(String eventId) {
        Update original = log.stream().filter(u -> u.eventId().equals(eventId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event " + eventId));
        log.add(new Update(nextPosition++, original.eventId(), original.userId(), original.userName(),
                original.text()));
        notifyAll();
    }

    @Override
    public String knownRecipient() {
        return KNOWN_CHAT;
    }

    @Override
    public void failNextSendWithRateLimit(Duration retryAfter) {
        failNextSend(new ApiResponse(429, Optional.empty(), Optional.of(retryAfter.toSeconds()),
                "Too Many Requests: retry after " + retryAfter.toSeconds()));
    }

    @Override
    public void failNextSendWithServerError() {
        failNextSend(new ApiResponse(502, Optional.empty(), Optional.empty(), "Bad Gateway"));
    }

    @Override
    public void failNextSendWithPermanentError() {
        failNextSend(new ApiResponse(403, Optional.empty(), Optional.empty(), "Forbidden: bot was blocked by the user"));
    }

    @Override
    public synchronized List<SentMessage> sent() {
        return delivered.stream().map(d -> new SentMessage(d.chatId(), d.text(), d.buttons(), d.messageId()))
                .collect(Collectors.toList());
    }

    /** The next send is answered with {@code response} instead of being delivered. */
    public synchronized void failNextSend(ApiResponse response) {
        scriptedFailures.add(response);
    }

    /** Wakes and ends every pending poll. */
    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void checkToken(String given) {
        if (!token.equals(given)) {
            throw new SecurityException("401 Unauthorized");
        }
    }
}
