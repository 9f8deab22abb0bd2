package dev.switchboard.inbox;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.content.Text;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.PreparedAccount;
import dev.switchboard.identity.Resolution;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one inbound event into stored state inside a transaction: dedupe, identity, threading, message, conversation
 * update and feed events. Has no threads and no side effects outside the transaction; what must happen after commit
 * (acknowledging a button press to the platform) is added to {@code afterCommit}. Internal.
 */
final class InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);
    static final String BLOCKED_US_PREFIX = "switchboard.blocked-us:";
    /** The start of the quarantine reason of a message whose platform id is already stored under another event. */
    static final String DUPLICATE_REASON = "duplicate platform message id ";

    private final TenantIdentities identities;
    private final ThreadingPolicy policy;
    private final Duration reopenWindow;
    private final Clock clock;
    private final MergeFolding folding;
    private final AutomatedInbound automated;
    private final AtomicLong duplicates = new AtomicLong();
    /** Set by {@link Inbox} before any ingest thread starts. */
    InboxObserver observer = InboxObserver.NONE;
    /** Set by {@link Inbox} before any ingest thread starts; null when none (handler tests). */
    Acknowledgements acknowledgements;
    /** The consent engine (keyword rule, platform permissions) and how it queues its confirmations; set by Inbox. */
    dev.switchboard.inbox.consent.ConsentService consent;
    dev.switchboard.inbox.consent.ConsentService.ConfirmationQueue confirmations;
    /** Set by {@link Inbox} before any ingest thread starts; null when none (handler tests). */
    dev.switchboard.inbox.survey.SatisfactionService satisfaction;

    InboundHandler(TenantIdentities identities, ThreadingPolicy policy, Duration reopenWindow, Clock clock) {
        this.identities = identities;
        this.folding = new MergeFolding(identities, policy);
        this.automated = new AutomatedInbound(identities);
        this.policy = policy;
        this.reopenWindow = reopenWindow;
        this.clock = clock;
    }

    static String blockedUsKey(ChannelAccount account) {
        return BLOCKED_US_PREFIX + account.channel().value() + ":" + account.platformUserId();
    }

    /**
     * The identity work of an event that needs no store, done before its transaction opens so that the transaction
     * (and, with a store that serialises transactions, every other ingest lane) does not wait for it: for a received
     * message, its evidence plus the phones and emails found in its text, normalised, and its sender's name keys.
     * Empty for other events, which resolve without evidence work.
     */
    Optional<PreparedAccount> prepare(Channel channel, InboundEvent event) {
        if (event instanceof InboundEvent.MessageReceived m) {
            return Optional.of(prepare(channel, m));
        }
        return Optional.empty();
    }

    /** The sender prepared with the message's own evidence plus the phones and emails typed in its text. */
    private PreparedAccount prepare(Channel channel, InboundEvent.MessageReceived m) {
        String text = m.content().plainText();
        List<Evidence> evidence = new ArrayList<>(m.evidence());
        if (!text.isBlank() && !m.automated()) {
            evidence.addAll(identities.of(channel.tenant()).normalizer().extractUnverified(text,
                    channel.type().value() + ".message-text", m.occurredAt()));
        }
        return identities.of(channel.tenant()).prepare(m.account(), evidence);
    }

    /** @param prepared what {@link #prepare} made of this event before the transaction, if it was called */
    void handle(InboxTransaction tx, Channel channel, InboundEvent event, Optional<PreparedAccount> prepared,
                List<Runnable> afterCommit) {
        TenantId tenant = channel.tenant();
        Instant now = clock.instant();
        if (!tx.markProcessed(tenant, channel.id(), event.eventId(), now)) {
            log.debug("Event {} of channel {} already processed; acknowledging the redelivery", event.eventId(),
                    channel.id());
            afterCommit.add(() -> observer.duplicateDropped(channel, event));
            return;
        }
        if (event instanceof InboundEvent.MessageReceived m) {
            Optional<Message> known = tx.messageByPlatformId(tenant, channel.id(), m.platformMessageId())
                    .filter(k -> k.direction() == Direction.INBOUND && k.account().equals(m.account().key()));
            if (known.isPresent()) {
                quarantineDuplicate(tx, channel, m, known.get(), now, afterCommit);
                return;
            }
            if (m.automated()) {
                automated.handle(tx, channel, m, now); // never opens, reopens or creates anything by itself
                return;
            }
            onMessage(tx, channel, m, prepared.orElseGet(() -> prepare(channel, m)), now, afterCommit);
        } else if (event instanceof InboundEvent.MessageEdited e) {
            onEdit(tx, channel, e, now, afterCommit);
        } else if (event instanceof InboundEvent.Postback p) {
            onPostback(tx, channel, p, now, afterCommit);
        } else if (event instanceof InboundEvent.DeliveryUpdate d) {
            onDelivery(tx, channel, d, now);
        } else if (event instanceof InboundEvent.AccountUpdate a) {
            onAccount(tx, channel, a, now);
        }
    }

    void reject(InboxTransaction tx, Channel channel, RejectedInput input) {
        TenantId tenant = channel.tenant();
        Instant now = clock.instant();
        if (input.platformEventId().isPresent()
                && !tx.markProcessed(tenant, channel.id(), "rejected:" + input.platformEventId().get(), now)) {
            return; // a redelivery of input that is already in quarantine
        }
        QuarantineEntry q = tx.quarantine(tenant, input);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.INPUT_QUARANTINED, null, null, null, now,
                "channel", channel.id().value(), "reason", input.reason(), "quarantineId", Long.toString(q.id())));
    }

    /**
     * Puts an event that failed to process on its own into quarantine (its text form as the raw bytes, the failure as
     * the reason) and marks it processed, so one poison event cannot hold up a channel whose platform would
     * redeliver it forever (a poller's offset, an IMAP folder).
     */
    void quarantineUnprocessable(InboxTransaction tx, Channel channel, InboundEvent event, Throwable failure) {
        TenantId tenant = channel.tenant();
        Instant now = clock.instant();
        if (!tx.markProcessed(tenant, channel.id(), event.eventId(), now)) {
            return;
        }
        String reason = "could not be processed: " + failure;
        RejectedInput input = new RejectedInput(channel.id(), Optional.of(event.eventId()),
                event.toString().getBytes(StandardCharsets.UTF_8), reason, now);
        QuarantineEntry q = tx.quarantine(tenant, input);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.INPUT_QUARANTINED, null, null, null, now,
                "channel", channel.id().value(), "reason", reason, "quarantineId", Long.toString(q.id())));
    }

    /**
     * A message whose platform message id is already stored for the same account, under another event id: a platform
     * that reuses ids (a bot replaced, a gateway restarting its counter) or re-ids a retry, or a redelivery older than
     * the processed-event retention. Storing it would either double a message or overwrite one, so it goes to
     * quarantine, visibly: a WARN line, a counter in the health report, an {@code INPUT_QUARANTINED} event naming the
     * stored message it collides with, and its full text form as the raw bytes for an operator to look at.
     */
    private void quarantineDuplicate(InboxTransaction tx, Channel channel, InboundEvent.MessageReceived m,
                                     Message known, Instant now, List<Runnable> afterCommit) {
        TenantId tenant = channel.tenant();
        String reason = DUPLICATE_REASON + m.platformMessageId() + " is already stored as message " + known.id()
                + " (event " + m.eventId() + " is new)";
        RejectedInput input = new RejectedInput(channel.id(), Optional.of(m.eventId()),
                m.toString().getBytes(StandardCharsets.UTF_8), reason, now);
        QuarantineEntry q = tx.quarantine(tenant, input);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.INPUT_QUARANTINED, known.conversation(), null,
                known.customer(), now, "channel", channel.id().value(), "reason", reason,
                "quarantineId", Long.toString(q.id()), "duplicateOf", known.id().value(),
                "platformMessageId", m.platformMessageId()));
        afterCommit.add(() -> {
            duplicates.incrementAndGet();
            try (LogContext mdc = LogContext.of(tenant, channel.id())) {
                log.warn("Channel {}/{} delivered platform message {} again under a new event id {}; quarantined as"
                    + " entry {} (already stored as message {})", tenant, channel.id(), m.platformMessageId(),
                    m.eventId(), q.id(), known.id());
            }
        });
    }

    /** Inbound messages quarantined as duplicates of a stored platform message id since this node started. */
    long duplicates() {
        return duplicates.get();
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    private void onMessage(InboxTransaction tx, Channel channel, InboundEvent.MessageReceived m,
                           PreparedAccount prepared, Instant now, List<Runnable> afterCommit) {
        TenantId tenant = channel.tenant();
        String text = m.content().plainText();
        Customer customer = resolve(tx, prepared, now);
        if (isBlocked(customer, m.account())) {
            quarantineBlocked(tx, channel, m.eventId(), customer, text, now);
            return;
        }
        BlockedUs.clearOnInbound(tx, customer, m.account(), now);
        Set<CustomerId> ids = identities.of(tenant).identities(tx, tenant, customer.id());
        if (satisfaction != null && satisfaction.answerMessage(tx, channel, customer, ids, m, now)) {
            return; // a survey's rating or comment: stored with the survey, never reopens or counts as a request
        }
        Conversation conversation = thread(tx, tenant, channel.id(), customer.id(), ids, m.thread(), now);

        Optional<String> postback = Optional.empty();
        if (isSingleText(m.content())) {
            postback = tx.choiceMap(tenant, conversation.id()).flatMap(map -> map.resolve(text));
        }
        Message message = new Message(tenant, MessageId.random(), conversation.id(), customer.id(), channel.id(),
                Direction.INBOUND, m.account().key(), Optional.empty(), m.content(),
                Optional.of(m.platformMessageId()), DeliveryStatus.RECEIVED, Optional.empty(), m.occurredAt(), now);
        tx.saveMessage(message);
        Conversation updated = CallbackTagging.tag(inbound(conversation, channel.id(), now), m, now);
        tx.saveConversation(m.thread().subject().map(updated::withSubjectIfAbsent).orElse(updated));
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.MESSAGE_RECEIVED, conversation.id(), message.id(),
                customer.id(), now, "channel", channel.id().value(), "channelType", channel.type().value(),
                "automated", m.automated() ? "true" : null));
        postback.ifPresent(payload -> tx.appendEvent(Events.of(tenant, InboxEvent.Type.POSTBACK_RECEIVED,
                conversation.id(), message.id(), customer.id(), now, "channel", channel.id().value(),
                "payload", payload, "source", "numbered-reply")));
        if (consent != null && isSingleText(m.content()) && consent.afterInbound(tx, customer, channel.id(),
                channel.type(), m.account().key(), conversation.id(), message.id(), text, confirmations)) {
            return; // an unsubscribe keyword is answered by its confirmation, not by an acknowledgement
        }
        if (acknowledgements != null) {
            acknowledgements.afterInbound(tx, channel, updated, customer, now, afterCommit);
        }
    }

    private void onEdit(InboxTransaction tx, Channel channel, InboundEvent.MessageEdited e, Instant now,
                        List<Runnable> afterCommit) {
        TenantId tenant = channel.tenant();
        Optional<Message> known = tx.messageByPlatformId(tenant, channel.id(), e.platformMessageId())
                .filter(msg -> msg.direction() == Direction.INBOUND && msg.account().equals(e.account().key()));
        if (known.isEmpty()) {
            // We never stored the original (it predates the channel, or was quarantined): keep the edit as a message.
            InboundEvent.MessageReceived m = new InboundEvent.MessageReceived(e.eventId(), e.account(),
                    e.occurredAt(), e.platformMessageId(), e.content(), ThreadHints.NONE, List.of(), false);
            onMessage(tx, channel, m, prepare(channel, m), now, afterCommit);
            return;
        }
        Message old = known.get();
        Message edited = new Message(tenant, old.id(), old.conversation(), old.customer(), old.channel(),
                old.direction(), old.account(), old.agent(), e.content(), old.platformMessageId(), old.status(),
                old.failureReason(), old.sentAt(), old.storedAt());
        tx.saveMessage(edited);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.MESSAGE_EDITED, old.conversation(), old.id(),
                old.customer(), now, "channel", channel.id().value()));
    }

    private void onPostback(InboxTransaction tx, Channel channel, InboundEvent.Postback p, Instant now,
                            List<Runnable> afterCommit) {
        TenantId tenant = channel.tenant();
        Customer customer = resolve(tx, p.account(), List.of(), now);
        if (isBlocked(customer, p.account())) {
            quarantineBlocked(tx, channel, p.eventId(), customer, "postback: " + p.payload(), now);
            return;
        }
        Set<CustomerId> ids = identities.of(tenant).identities(tx, tenant, customer.id());
        if (satisfaction != null && satisfaction.answerPostback(tx, channel, ids, p, now, afterCommit)) {
            return;
        }
        ThreadHints hints = p.platformMessageId().map(ThreadHints::replyTo).orElse(ThreadHints.NONE);
        Conversation conversation = thread(tx, tenant, channel.id(), customer.id(), ids, hints, now);
        tx.saveConversation(inbound(conversation, channel.id(), now));
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.POSTBACK_RECEIVED, conversation.id(), null, customer.id(),
                now, "channel", channel.id().value(), "payload", p.payload(), "source", "button"));
        afterCommit.add(() -> channel.acknowledgePostback(p, Optional.empty()).whenComplete((v, err) -> {
            if (err != null) {
                log.warn("Channel {} failed to acknowledge postback {}: {}", channel.id(), p.eventId(),
                        err.toString());
            }
        }));
    }

    private void onDelivery(InboxTransaction tx, Channel channel, InboundEvent.DeliveryUpdate d, Instant now) {
        TenantId tenant = channel.tenant();
        Optional<Message> known = tx.messageByPlatformId(tenant, channel.id(), d.platformMessageId())
                .filter(msg -> msg.direction() == Direction.OUTBOUND);
        if (known.isEmpty()) {
            if (!dev.switchboard.inbox.campaign.CampaignReceipts.apply(tx, tenant, channel.id(),
                    d.platformMessageId(), d.status(), d.reason(), now)) {
                log.debug("Delivery update {} for unknown platform message {} on {}", d.eventId(),
                        d.platformMessageId(), channel.id());
            }
            return;
        }
        Message msg = known.get();
        if (!d.status().isAfter(msg.status())) {
            return; // late or repeated: statuses never move backwards
        }
        Optional<String> reason = d.status() == DeliveryStatus.FAILED
                ? Optional.of(d.reason().orElse("reported failed by the platform")) : msg.failureReason();
        tx.saveMessage(msg.withStatus(d.status(), msg.platformMessageId(), reason));
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.DELIVERY_STATUS_CHANGED, msg.conversation(), msg.id(),
                msg.customer(), now, "channel", channel.id().value(), "status", d.status().name(),
                "reason", d.status() == DeliveryStatus.FAILED ? reason.get() : null, "source", "platform"));
    }

    private void onAccount(InboxTransaction tx, Channel channel, InboundEvent.AccountUpdate a, Instant now) {
        TenantId tenant = channel.tenant();
        Customer customer = resolve(tx, a.account(), a.evidence(), now);
        String key = blockedUsKey(a.account());
        Map<String, String> attributes = new HashMap<>(customer.attributes());
        switch (a.kind()) {
            case BLOCKED_US, UNSUBSCRIBED -> attributes.put(key, a.kind().name() + "@" + a.occurredAt());
            case UNBLOCKED_US, SUBSCRIBED -> attributes.remove(key);
            default -> { }
        }
        if (!attributes.equals(customer.attributes())) {
            tx.saveCustomer(customer.with(customer.displayName(), customer.language(), customer.accounts(),
                    customer.contacts(), attributes, customer.preferences(), customer.conflicts(),
                    customer.mergedInto(), now));
        }
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.ACCOUNT_UPDATED, null, null, customer.id(), now,
                "channel", channel.id().value(), "account", a.account().platformUserId(), "kind", a.kind().name()));
        if (consent != null) {
            consent.onAccountUpdate(tx, customer, channel.type(), a.account().key(), a.kind(), now);
        }
    }

    // ---- identity ------------------------------------------------------------------------------------------------

    /** Resolves the account to its canonical customer, appending events for what the engine did. */
    Customer resolve(InboxTransaction tx, ChannelAccount account, List<Evidence> evidence, Instant now) {
        return resolve(tx, identities.of(account.tenant()).prepare(account, evidence), now);
    }

    /** {@link #resolve(InboxTransaction, ChannelAccount, List, Instant)} of an account prepared ahead. */
    Customer resolve(InboxTransaction tx, PreparedAccount prepared, Instant now) {
        ChannelAccount account = prepared.account();
        TenantId tenant = account.tenant();
        IdentityEngine identity = identities.of(tenant);
        Resolution r = identity.resolve(tx, prepared);
        Customer customer = r.customer();
        if (r.created()) {
            tx.appendEvent(Events.of(tenant, InboxEvent.Type.CUSTOMER_CREATED, null, null, customer.id(), now,
                    "channel", account.channel().value()));
        }
        for (MergeRecord merge : r.merges()) {
            folding.merged(tx, merge, now);
        }
        for (MergeSuggestion s : r.suggestions()) {
            tx.appendEvent(Events.of(tenant, InboxEvent.Type.MERGE_SUGGESTED, null, null, s.first(), now,
                    "suggestion", s.id().toString(), "other", s.second().value(),
                    "score", Double.toString(s.score())));
        }
        if (customer.isMerged()) {
            CustomerId canonical = identity.canonical(tx, tenant, customer.id());
            customer = tx.customer(tenant, canonical).orElse(customer);
        }
        return customer;
    }

    /** Who is told of each conversation a merge folds (set once, before the inbox starts). */
    void onFold(MergeFolding.FoldListener listener) {
        folding.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Records a merge made outside ingest (an agent, a host link): its event, and the conversations folded. */
    void merged(InboxTransaction tx, MergeRecord merge, Instant now) {
        folding.merged(tx, merge, now);
    }

    private static boolean isBlocked(Customer customer, ChannelAccount account) {
        return customer.account(account.key()).map(LinkedAccount::blocked).orElse(false);
    }

    private void quarantineBlocked(InboxTransaction tx, Channel channel, String eventId, Customer customer,
                                   String text, Instant now) {
        RejectedInput input = new RejectedInput(channel.id(), Optional.of(eventId),
                text.getBytes(StandardCharsets.UTF_8), "account blocked", now);
        QuarantineEntry q = tx.quarantine(channel.tenant(), input);
        tx.appendEvent(Events.of(channel.tenant(), InboxEvent.Type.INPUT_QUARANTINED, null, null, customer.id(),
                now, "channel", channel.id().value(), "reason", "account blocked",
                "quarantineId", Long.toString(q.id())));
    }

    // ---- threading -----------------------------------------------------------------------------------------------

    /**
     * Finds the conversation an inbound message belongs to: the one a referenced message or token names, else the
     * policy's open conversation, else a resolved one reopened within the window, else a new one.
     */
    private Conversation thread(InboxTransaction tx, TenantId tenant, ChannelId channel, CustomerId customer,
                                Set<CustomerId> ids, ThreadHints hints, Instant now) {
        Optional<Conversation> hinted = Optional.empty();
        for (String ref : hints.referencedPlatformMessageIds()) {
            Optional<Message> referenced = tx.messageByPlatformId(tenant, channel, ref);
            if (referenced.isPresent() && ids.contains(referenced.get().customer())) {
                hinted = tx.conversation(tenant, referenced.get().conversation());
                if (hinted.isPresent()) {
                    break;
                }
            }
        }
        List<Conversation> mine = null;
        if (hinted.isEmpty() && hints.conversationToken().isPresent()) {
            mine = tx.conversationsOf(tenant, ids);
            String token = hints.conversationToken().get();
            hinted = mine.stream().filter(c -> ConversationToken.matches(token, c.id())).findFirst();
        }
        if (hinted.isPresent()) {
            Conversation c = hinted.get();
            if (c.status() != ConversationStatus.RESOLVED) {
                return c;
            }
            if (withinWindow(c, now)) {
                return reopen(tx, c, now);
            }
        }
        if (mine == null) {
            mine = tx.conversationsOf(tenant, ids);
        }
        Conversation resolvedCandidate = null;
        for (Conversation c : mine) {
            if (policy == ThreadingPolicy.PER_CUSTOMER_AND_CHANNEL && !c.channel().equals(Optional.of(channel))) {
                continue;
            }
            if (c.status() != ConversationStatus.RESOLVED) {
                return c;
            }
            if (resolvedCandidate == null && withinWindow(c, now)) {
                resolvedCandidate = c;
            }
        }
        if (resolvedCandidate != null) {
            return reopen(tx, resolvedCandidate, now);
        }
        Conversation opened = Conversation.open(tenant, ConversationId.random(), customer, channel, now);
        tx.saveConversation(opened);
        tx.appendEvent(Events.of(tenant, InboxEvent.Type.CONVERSATION_OPENED, opened.id(), null, customer, now,
                "channel", channel.value()));
        return opened;
    }

    private boolean withinWindow(Conversation c, Instant now) {
        Instant resolvedAt = c.resolvedAt().orElse(c.updatedAt());
        return !resolvedAt.plus(reopenWindow).isBefore(now);
    }

    private Conversation reopen(InboxTransaction tx, Conversation c, Instant now) {
        Conversation reopened = c.withStatus(ConversationStatus.OPEN, now);
        tx.saveConversation(reopened);
        tx.appendEvent(Events.of(c.tenant(), InboxEvent.Type.CONVERSATION_REOPENED, c.id(), null, c.customer(), now));
        return reopened;
    }

    private static Conversation inbound(Conversation c, ChannelId channel, Instant now) {
        Conversation updated = c.withInbound(channel, now);
        return updated.status() == ConversationStatus.OPEN ? updated
                : updated.withStatus(ConversationStatus.OPEN, now);
    }

    private static boolean isSingleText(Content content) {
        return content.parts().size() == 1 && content.parts().get(0) instanceof Text;
    }
}
