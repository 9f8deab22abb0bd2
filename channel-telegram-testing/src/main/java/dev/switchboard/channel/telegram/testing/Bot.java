package dev.switchboard.channel.telegram.testing;

import dev.switchboard.channel.WebhookHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;

/** One bot of the fake: its update queue, open polls, webhook registration and send pacing. Guarded by the fake's lock. */
final class Bot {
    final String token;
    final long id;
    /** Signalled when an update arrives for this bot, a newer poll starts, or the fake closes. */
    final Condition updatesArrived;
    /** Updates not yet confirmed by an offset, by update_id. */
    final TreeMap<Long, String> pending = new TreeMap<>();
    /** Every update ever queued or pushed, for redelivery. */
    final Map<Long, String> all = new HashMap<>();
    /** Updates to return once more regardless of the offset, as after a lost confirmation. */
    final Deque<String> redelivered = new ArrayDeque<>();
    final Map<Long, Long> messageCounters = new HashMap<>();
    final Map<Long, TokenBucket> chatBuckets = new HashMap<>();
    TokenBucket globalBucket;
    long nextUpdateId = 732_000_000L;
    long pollGeneration;
    boolean revoked;
    boolean webhookSet;
    String webhookUrl = "";
    String webhookSecret = "";
    volatile WebhookHandler handler;
    volatile String pushUrl = "";

    Bot(String token, Condition updatesArrived) {
        this.token = token;
        this.id = Long.parseLong(token.substring(0, token.indexOf(':')));
        this.updatesArrived = updatesArrived;
    }

    /** Increasing but not contiguous, as Telegram's: consumers must not assume +1. */
    long nextUpdateId() {
        nextUpdateId += 1 + (nextUpdateId % 3);
        return nextUpdateId;
    }

    long nextMessageId(long chatId) {
        return messageCounters.merge(chatId, 1L, Long::sum);
    }
}
