package dev.switchboard.inbox;

import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the outcome of one outbox send. The rules that keep "every reply delivered or visibly failed" true:
 * <ul>
 *   <li>a platform message id already stored for another outbound message of the channel never makes recording fail:
 *       the message keeps our own id as its key, the platform's id goes into the event as data, and the collision is
 *       flagged on the row and the event and logged;</li>
 *   <li>unless the channel's platform deduplicates sends by the idempotency key (VK's {@code random_id}): there such an
 *       id, or one a campaign recipient holds, means the platform took this row for another message and the customer
 *       got nothing, so the row is sent again under a key derived from its own, and fails after {@link #MAX_REKEYS};</li>
 *   <li>when the full record cannot be written after a successful send, a smaller one is (the row alone, marked
 *       SENT); when not even that can be written, the outcome is remembered on this node and written later, and the
 *       row is never sent again from here;</li>
 *   <li>a 429 (RATE_LIMITED) is back-pressure: the row waits for the platform's retry-after without using up an
 *       attempt, so rate limiting never turns into a failed reply; every other retryable failure uses an attempt and
 *       {@code maxAttempts} always ends in FAILED;</li>
 *   <li>a recipient the platform calls unreachable (a bot blocked by the user) is marked blocked-us on its account,
 *       so later replies go elsewhere until the customer writes from that account again.</li>
 * </ul>
 * Thread-safe; internal.
 */
final class OutboxRecorder {
    private static final Logger log = LoggerFactory.getLogger(OutboxRecorder.class);

    private final InboxStore store;
    private final OutboxSettings settings;
    private final Clock clock;
    private final Runnable afterCommit;
    /** Outcomes of sends this node made but could not record yet, by row id: these rows must not be sent again. */
    private final Map<String, Outcome> unrecorded = new ConcurrentHashMap<>();

    /**
     * How many times a row is given a new idempotency key after its platform deduplicated the send against another
     * message before it fails; each new key collides again only by chance (VK: about 1 in 2^31 per message held).
     */
    static final int MAX_REKEYS = 3;

    /**
     * What a send ended with: a receipt, or a failure; {@code keyDeduplicated} when the channel's platform
     * deduplicates sends by the idempotency key ({@code Channel#deduplicatesSendsByIdempotencyKey}).
     */
    record Outcome(SendReceipt receipt, SendFailure failure, boolean keyDeduplicated) {
        Outcome(SendReceipt receipt, SendFailure failure) {
            this(receipt, failure, false);
        }

        boolean sent() {
            return failure == null;
        }
    }

    /**
     * What recording decided: the next attempt's instant when the row will be retried; {@code rekeyed} when the send
     * reached the platform but was deduplicated against another message, so the row goes again under a new key.
     */
    record Recorded(Optional<Instant> retryAt, boolean rekeyed) {
        static final Recorded DONE = new Recorded(Optional.empty(), false);

        Recorded(Optional<Instant> retryAt) {
            this(retryAt, false);
        }
    }

    OutboxRecorder(InboxStore store, OutboxSettings settings, Clock clock, Runnable afterCommit) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    /** Whether this node holds an outcome of the row it could not record yet (the row must not be sent again). */
    boolean hasUnrecordedOutcome(String rowId) {
        return unrecorded.containsKey(rowId);
    }

    /** Tries again to record the outcomes this node could not record before; called by the claimer. */
    void retryUnrecorded() {
        for (Map.Entry<String, Outcome> e : unrecorded.entrySet()) {
            Optional<OutboxEntry> row;
            try {
                row = store.inTransaction(tx -> tx.outboxEntry(e.getKey()));
            } catch (RuntimeException ex) {
                return; // the store is still away
            }
            if (row.isEmpty()) {
                unrecorded.remove(e.getKey());
            } else {
                record(row.get(), e.getValue());
            }
        }
    }

    /**
     * Records a send's outcome. Never throws: what cannot be written now is kept and written later, so the row is
     * not sent again by this node.
     */
    Recorded record(OutboxEntry e, Outcome outcome) {
        Recorded r;
        try {
            r = recordFully(e, outcome, true);
        } catch (RuntimeException first) {
            log.warn("Could not record the outcome of outbox row {} ({}); recording it in a smaller transaction", e.id(),
                    first.toString());
            try {
                r = outcome.sent() ? recordFully(e, outcome, false) : recordRowOnly(e, outcome, first);
            } catch (RuntimeException second) {
                try {
                    r = recordRowOnly(e, outcome, second);
                } catch (RuntimeException third) {
                    unrecorded.put(e.id(), outcome);
                    log.error("Could not record the outcome of outbox row {}; this node keeps it and will not send the"
                            + " row again: {}", e.id(), third.toString());
                    return Recorded.DONE;
                }
            }
        }
        unrecorded.remove(e.id());
        return r;
    }

    /** Fails a claimed row without sending it, with {@code reason} (its attempts are used up). */
    void giveUp(OutboxEntry e, String reason) {
        Instant now = clock.instant();
        boolean changed = store.inTransaction(tx -> {
            Optional<OutboxEntry> current = tx.outboxEntry(e.id());
            if (current.isEmpty() || current.get().status() != OutboxEntry.Status.PENDING) {
                return false;
            }
            OutboxEntry cur = current.get();
            tx.updateOutbox(with(cur, OutboxEntry.Status.FAILED, cur.attempts(), cur.nextAttemptAt(),
                    Optional.of(reason), now));
            messageFailed(tx, cur, reason, now);
            return true;
        });
        if (changed) {
            afterCommit.run();
        }
    }

    private Recorded recordFully(OutboxEntry e, Outcome outcome, boolean withPlatformId) {
        Instant now = clock.instant();
        boolean[] changed = {false};
        boolean[] rekeyed = {false};
        Instant retryAt = store.inTransaction(tx -> {
            rekeyed[0] = false;
            Optional<OutboxEntry> current = tx.outboxEntry(e.id());
            if (current.isEmpty() || current.get().status() != OutboxEntry.Status.PENDING) {
                return null; // already recorded (by another node after our lease expired)
            }
            OutboxEntry cur = current.get();
            SendFailure failure = outcome.failure();
            if (failure == null && outcome.keyDeduplicated() && withPlatformId) {
                Optional<String> heldBy = heldByAnother(tx, cur, outcome.receipt().platformMessageId());
                if (heldBy.isPresent() && !cur.message().idempotencyKey().equals(e.message().idempotencyKey())) {
                    // a late answer to a send under an older key (the row was re-keyed meanwhile): the row still has
                    // to go out under its current key, so it is left as it is
                    rekeyed[0] = true;
                    return cur.nextAttemptAt();
                }
                if (heldBy.isPresent()) {
                    Instant next = rekey(tx, cur, outcome.receipt().platformMessageId(), heldBy.get(), now);
                    if (next == null) {
                        changed[0] = true;
                    } else {
                        rekeyed[0] = true;
                    }
                    return next;
                }
            }
            if (failure == null) {
                Optional<String> collision = withPlatformId
                        ? messageSent(tx, cur, outcome.receipt(), now)
                        : messageSentWithoutPlatformId(tx, cur, outcome.receipt(), now);
                tx.updateOutbox(with(cur, OutboxEntry.Status.SENT, cur.attempts() + 1, cur.nextAttemptAt(),
                        collision.or(cur::lastError), now));
                changed[0] = true;
                return null;
            }
            String reason = reasonOf(failure);
            if (failure.kind() == FailureKind.RATE_LIMITED) {
                // Back-pressure, not a failed attempt: wait exactly as long as the platform asked.
                Instant next = now.plus(failure.retryAfter().orElseGet(() -> backoff(cur.attempts() + 1)));
                tx.updateOutbox(with(cur, OutboxEntry.Status.PENDING, cur.attempts(), next, Optional.of(reason), now));
                return next;
            }
            int attempts = cur.attempts() + 1;
            if (failure.retryable() && attempts < settings.maxAttempts()) {
                Instant next = now.plus(failure.retryAfter().orElseGet(() -> backoff(attempts)));
                tx.updateOutbox(with(cur, OutboxEntry.Status.PENDING, attempts, next, Optional.of(reason), now));
                log.debug("Outbox row {} attempt {} failed ({}); next attempt at {}", cur.id(), attempts, reason,
                        next);
                return next;
            }
            String finalReason = failure.retryable() ? reason + " (gave up after " + attempts + " attempts)" : reason;
            tx.updateOutbox(with(cur, OutboxEntry.Status.FAILED, attempts, cur.nextAttemptAt(),
                    Optional.of(finalReason), now));
            messageFailed(tx, cur, finalReason, now);
            if (failure.kind() == FailureKind.RECIPIENT_UNREACHABLE) {
                markBlockedUs(tx, cur, now);
            }
            changed[0] = true;
            return null;
        });
        if (changed[0]) {
            afterCommit.run();
        }
        return new Recorded(Optional.ofNullable(retryAt), rekeyed[0]);
    }

    /**
     * What else of the row's channel already holds {@code platformId}: another outbound message, or the recipient of
     * another campaign message; empty when nothing else does (a retry of this very row answers with its own id).
     */
    private static Optional<String> heldByAnother(InboxTransaction tx, OutboxEntry row, String platformId) {
        MessageId own = row.message().messageId();
        Optional<Message> message = tx.messageByPlatformId(row.tenant(), row.message().channel(), platformId)
                .filter(m -> m.direction() == Direction.OUTBOUND && !m.id().equals(own));
        if (message.isPresent()) {
            return Optional.of("message " + message.get().id().value());
        }
        return tx.campaignRecipientByPlatformMessage(row.tenant(), row.message().channel(), platformId)
                .filter(r -> r.messageId().isPresent() && !r.messageId().get().equals(own))
                .map(r -> "campaign message " + r.messageId().get().value() + " (campaign " + r.campaign().value()
                        + ", customer " + r.customer().value() + ")");
    }

    /**
     * The platform deduplicated this row's send against another message (their keys map to the same platform value),
     * so its customer got nothing. Unless the row has used up {@link #MAX_REKEYS}, it gets a new idempotency key
     * derived from its own ({@code key~1}, {@code key~2}, ...), written with the row before it is sent again so a
     * retry after a crash or on another node uses the same key; the attempt is not counted (the platform took the
     * call). Returns when the row is due again, or null when it failed.
     */
    private Instant rekey(InboxTransaction tx, OutboxEntry cur, String platformId, String holder, Instant now) {
        String key = cur.message().idempotencyKey();
        int rekeys = rekeysOf(key);
        String what = "the platform answered with message id " + platformId + ", already held by " + holder
                + " on channel " + cur.message().channel().value() + " (idempotency key " + key
                + " deduplicated against another message)";
        if (rekeys >= MAX_REKEYS) {
            String reason = what + "; gave up after " + rekeys + " new keys";
            log.error("Outbox row {} not delivered: {}", cur.id(), reason);
            tx.updateOutbox(with(cur, OutboxEntry.Status.FAILED, cur.attempts() + 1, cur.nextAttemptAt(),
                    Optional.of(reason), now));
            messageFailed(tx, cur, reason, now);
            return null;
        }
        String newKey = baseKeyOf(key) + "~" + (rekeys + 1);
        OutboundMessage m = cur.message();
        OutboundMessage rekeyed = new OutboundMessage(m.channel(), m.recipient(), m.messageId(), m.part(), m.bubble(),
                newKey, m.replyToPlatformMessageId(), m.thread(), m.senderName(), m.automatic(), m.marketing());
        log.warn("Outbox row {}: {}; sending it again with key {}", cur.id(), what, newKey);
        tx.replaceOutboxMessage(cur.id(), rekeyed);
        tx.updateOutbox(new OutboxEntry(cur.id(), cur.tenant(), rekeyed, OutboxEntry.Status.PENDING, cur.attempts(),
                now, Optional.of(what + "; sending again with key " + newKey), Optional.empty(), Optional.empty(),
                cur.createdAt(), now));
        return now;
    }

    /** How many new keys {@code key} is past the row's first ({@code id:0~2} is 2). */
    static int rekeysOf(String key) {
        int tilde = key.lastIndexOf('~');
        if (tilde < 0 || tilde == key.length() - 1) {
            return 0;
        }
        for (int i = tilde + 1; i < key.length(); i++) {
            if (!Character.isDigit(key.charAt(i))) {
                return 0;
            }
        }
        return key.length() - tilde > 4 ? 0 : Integer.parseInt(key.substring(tilde + 1));
    }

    private static String baseKeyOf(String key) {
        return rekeysOf(key) == 0 ? key : key.substring(0, key.lastIndexOf('~'));
    }

    /**
     * The smallest record that keeps the promise: the row alone, SENT (the platform has the message) or with the
     * failure counted, so it is neither sent twice nor retried forever.
     */
    private Recorded recordRowOnly(OutboxEntry e, Outcome outcome, RuntimeException why) {
        Instant now = clock.instant();
        Instant retryAt = store.inTransaction(tx -> {
            Optional<OutboxEntry> current = tx.outboxEntry(e.id());
            if (current.isEmpty() || current.get().status() != OutboxEntry.Status.PENDING) {
                return null;
            }
            OutboxEntry cur = current.get();
            if (outcome.sent()) {
                tx.updateOutbox(with(cur, OutboxEntry.Status.SENT, cur.attempts() + 1, cur.nextAttemptAt(),
                        Optional.of("sent as platform message " + outcome.receipt().platformMessageId()
                                + ", but the message could not be updated: " + why), now));
                return null;
            }
            int attempts = cur.attempts() + 1;
            String reason = reasonOf(outcome.failure()) + "; recording it failed: " + why;
            if (outcome.failure().retryable() && attempts < settings.maxAttempts()) {
                Instant next = now.plus(outcome.failure().retryAfter().orElseGet(() -> backoff(attempts)));
                tx.updateOutbox(with(cur, OutboxEntry.Status.PENDING, attempts, next, Optional.of(reason), now));
                return next;
            }
            tx.updateOutbox(with(cur, OutboxEntry.Status.FAILED, attempts, cur.nextAttemptAt(), Optional.of(reason),
                    now));
            return null;
        });
        return new Recorded(Optional.ofNullable(retryAt));
    }

    private static String reasonOf(SendFailure failure) {
        return failure.kind() + ": " + failure.description()
                + failure.platformCode().map(c -> " (code " + c + ")").orElse("");
    }

    private Duration backoff(int attempts) {
        long base = settings.baseBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long exp = attempts >= 31 ? cap : Math.min(cap, base << Math.min(attempts - 1, 30));
        long jittered = exp - (long) (exp * settings.jitter() * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, jittered));
    }

    private static OutboxEntry with(OutboxEntry cur, OutboxEntry.Status status, int attempts, Instant next,
                                    Optional<String> error, Instant now) {
        return new OutboxEntry(cur.id(), cur.tenant(), cur.message(), status, attempts, next, error,
                Optional.empty(), Optional.empty(), cur.createdAt(), now);
    }

    /** All rows of one stored message, in part order. */
    static List<OutboxEntry> parts(InboxTransaction tx, MessageId message) {
        List<OutboxEntry> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Optional<OutboxEntry> p = tx.outboxEntry(message.value() + ":" + i);
            if (p.isEmpty()) {
                return out;
            }
            out.add(p.get());
        }
    }

    /**
     * Marks the message sent (once all its parts are) with the platform's id, unless that id is already stored for
     * another outbound message of the channel: then the id stays data on the event, and the collision is returned.
     */
    private Optional<String> messageSent(InboxTransaction tx, OutboxEntry row, SendReceipt receipt, Instant now) {
        String platformId = receipt.platformMessageId();
        Optional<Message> holder = tx.messageByPlatformId(row.tenant(), row.message().channel(), platformId)
                .filter(m -> m.direction() == Direction.OUTBOUND && !m.id().equals(row.message().messageId()));
        if (holder.isPresent()) {
            String note = "platform message id " + platformId + " is already stored for message "
                    + holder.get().id().value() + " on channel " + row.message().channel().value()
                    + "; kept as data only";
            log.warn("Outbox row {} sent, but the platform answered with a message id already stored: {}", row.id(),
                    note);
            saveSent(tx, row, Optional.empty(), platformId, holder.get().id(), now);
            return Optional.of(note);
        }
        saveSent(tx, row, Optional.of(platformId), platformId, null, now);
        return Optional.empty();
    }

    private Optional<String> messageSentWithoutPlatformId(InboxTransaction tx, OutboxEntry row, SendReceipt receipt,
                                                          Instant now) {
        saveSent(tx, row, Optional.empty(), receipt.platformMessageId(), null, now);
        return Optional.of("sent as platform message " + receipt.platformMessageId()
                + "; the id could not be stored on the message");
    }

    private void saveSent(InboxTransaction tx, OutboxEntry row, Optional<String> platformIdToStore, String platformId,
                          MessageId collidesWith, Instant now) {
        TenantId tenant = row.tenant();
        Optional<Message> stored = tx.message(tenant, row.message().messageId());
        if (stored.isEmpty()) {
            if (row.message().marketing().isPresent()) {
                // a campaign message has no stored message: its recipient keeps the id for delivery receipts
                tx.recordCampaignPlatformMessage(tenant, row.message().messageId(), platformId);
            }
            return;
        }
        Message msg = stored.get();
        boolean allSent = parts(tx, msg.id()).stream().allMatch(p -> p.id().equals(row.id())
                || p.status() == OutboxEntry.Status.SENT);
        boolean becomesSent = allSent && DeliveryStatus.SENT.isAfter(msg.status());
        // The message keeps the platform id of its latest part, so delivery and read receipts for it find the message.
        Optional<String> keep = platformIdToStore.isPresent() ? platformIdToStore : msg.platformMessageId();
        if (becomesSent || !keep.equals(msg.platformMessageId())) {
            tx.saveMessage(msg.withStatus(becomesSent ? DeliveryStatus.SENT : msg.status(), keep,
                    msg.failureReason()));
        }
        if (becomesSent || collidesWith != null) {
            tx.appendEvent(Events.of(tenant, InboxEvent.Type.DELIVERY_STATUS_CHANGED, msg.conversation(), msg.id(),
                    msg.customer(), now, "channel", msg.channel().value(), "status",
                    (becomesSent ? DeliveryStatus.SENT : msg.status()).name(), "platformMessageId", platformId,
                    "platformMessageIdCollision", collidesWith == null ? null : collidesWith.value(),
                    "source", "outbox"));
        }
    }

    private void messageFailed(InboxTransaction tx, OutboxEntry row, String reason, Instant now) {
        TenantId tenant = row.tenant();
        // The rest of a message whose part failed would arrive without its beginning: fail those parts too.
        for (OutboxEntry p : parts(tx, row.message().messageId())) {
            if (p.status() == OutboxEntry.Status.PENDING && !p.id().equals(row.id())) {
                tx.updateOutbox(with(p, OutboxEntry.Status.FAILED, p.attempts(), p.nextAttemptAt(),
                        Optional.of("part " + row.message().part() + " of this message failed: " + reason), now));
            }
        }
        Optional<Message> stored = tx.message(tenant, row.message().messageId());
        if (stored.isEmpty() || !DeliveryStatus.FAILED.isAfter(stored.get().status())) {
            return;
        }
        Message msg = stored.get();
        tx.saveMessage(msg.withStatus(DeliveryStatus.FAILED, msg.platformMessageId(), Optional.of(reason)));
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.DELIVERY_STATUS_CHANGED, msg.conversation(), msg.id(),
                msg.customer(), now, "channel", msg.channel().value(), "status", DeliveryStatus.FAILED.name(),
                "reason", reason, "source", "outbox"));
    }

    /**
     * The platform says the recipient cannot be reached (blocked the bot, left): the account is marked blocked-us,
     * exactly as a platform's own "blocked" update would mark it, until the customer writes from it again.
     */
    private void markBlockedUs(InboxTransaction tx, OutboxEntry row, Instant now) {
        AccountKey account = row.message().recipient().key();
        Optional<Customer> owner = canonical(tx, account);
        if (owner.isEmpty()) {
            return;
        }
        Customer c = owner.get();
        String key = InboundHandler.blockedUsKey(row.message().recipient());
        if (c.attributes().containsKey(key)) {
            return;
        }
        tx.saveCustomer(c.withAttribute(key, FailureKind.RECIPIENT_UNREACHABLE.name() + "@" + now, now));
        dev.switchboard.inbox.consent.ConsentService.onRecipientUnreachable(tx, c, account,
                row.message().messageId(), now);
        tx.appendEvent(Events.of(row.tenant(), InboxEvent.Type.ACCOUNT_UPDATED, null, null, c.id(), now,
                "channel", account.channel().value(), "account", account.platformUserId(), "kind",
                "BLOCKED_US", "source", "outbox"));
    }

    private static Optional<Customer> canonical(InboxTransaction tx, AccountKey account) {
        Optional<CustomerId> id = tx.customerByAccount(account);
        Optional<Customer> c = id.flatMap(i -> tx.customer(account.tenant(), i));
        for (int hops = 0; hops < 32 && c.isPresent() && c.get().mergedInto().isPresent(); hops++) {
            c = tx.customer(account.tenant(), c.get().mergedInto().get());
        }
        return c;
    }
}
