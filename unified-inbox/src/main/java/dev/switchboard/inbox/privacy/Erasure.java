package dev.switchboard.inbox.privacy;

import dev.switchboard.channel.Channel;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The steps of one erasure, each safe to run again: (1) the erasure record is saved, so an interruption is found and
 * completed later; (2) the media files the inbox's channels keep are deleted (files a platform holds are counted as
 * kept); (3) in one transaction every row of the person is deleted or anonymised and the record is marked complete
 * with a {@code CUSTOMER_ERASED} event. Customers stay as empty tombstones (attribute {@code erased}) so ids in old
 * events and merge records still resolve; their accounts and contact points are unlinked, so the next message from
 * one of those accounts creates a new customer.
 */
final class Erasure {
    /** The attribute an erased customer's tombstone carries. */
    static final String ERASED_ATTRIBUTE = "erased";
    private static final int PAGE = 500;
    private static final long MEDIA_TIMEOUT_SECONDS = 30;

    private final InboxStore store;
    private final Clock clock;
    private final BiFunction<TenantId, ChannelId, Optional<Channel>> channels;

    Erasure(InboxStore store, Clock clock, BiFunction<TenantId, ChannelId, Optional<Channel>> channels) {
        this.store = store;
        this.clock = clock;
        this.channels = channels;
    }

    /** Starts or resumes the erasure of {@code customer} and runs it to the end. */
    ErasureRecord erase(TenantId tenant, CustomerId customer, String actor) {
        ErasureRecord record = store.inTransaction(tx -> {
            Optional<ErasureRecord> existing = tx.erasureRecord(tenant, customer);
            if (existing.isPresent()) {
                return existing.get();
            }
            Person person = Person.read(tx, tenant, customer);
            ErasureRecord fresh = new ErasureRecord(tenant, customer, person.customerIds(), actor, clock.instant(),
                    Optional.empty(), 0, 0, 0);
            tx.saveErasureRecord(fresh);
            return fresh;
        });
        return record.isComplete() ? record : resume(record);
    }

    /** Runs the remaining steps of an unfinished erasure. */
    ErasureRecord resume(ErasureRecord started) {
        ErasureRecord withMedia = deleteMedia(started);
        return store.inTransaction(tx -> {
            ErasureRecord current = tx.erasureRecord(started.tenant(), started.customer()).orElse(withMedia);
            if (current.isComplete()) {
                return current;
            }
            return eraseRows(tx, current.withMedia(withMedia.mediaDeleted(), withMedia.mediaKept()));
        });
    }

    private ErasureRecord deleteMedia(ErasureRecord record) {
        TenantId tenant = record.tenant();
        Person person = store.inTransaction(tx -> Person.of(tx, tenant, record.customer(), record.customer(),
                record.customers()));
        long deleted = 0;
        long kept = 0;
        Optional<String> cursor = Optional.empty();
        do {
            Optional<String> after = cursor;
            Page<Message> page = store.inTransaction(tx -> tx.timeline(tenant, person.customerIds(),
                    new PageRequest(PAGE, after)));
            for (Message m : page.items()) {
                for (Part part : m.content().parts()) {
                    if (part instanceof Media media && media.source() instanceof MediaSource.PlatformFile file) {
                        if (deleteOne(tenant, file)) {
                            deleted++;
                        } else {
                            kept++;
                        }
                    }
                }
            }
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        return record.withMedia(deleted, kept);
    }

    private boolean deleteOne(TenantId tenant, MediaSource.PlatformFile file) {
        Optional<Channel> channel = channels.apply(tenant, file.channel());
        if (channel.isEmpty()) {
            return false;
        }
        try {
            return channel.get().deleteMedia(file).toCompletableFuture().get(MEDIA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting media of channel " + file.channel().value(), e);
        } catch (Exception e) {
            throw new IllegalStateException("a media file of channel " + file.channel().value()
                    + " could not be deleted; the erasure is recorded as unfinished and completes when asked again",
                    e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
        }
    }

    private ErasureRecord eraseRows(InboxTransaction tx, ErasureRecord record) {
        TenantId tenant = record.tenant();
        Instant now = clock.instant();
        Person person = Person.of(tx, tenant, record.customer(), record.customer(), record.customers());
        Set<CustomerId> ids = person.customerIds();
        tx.eraseTraces(tenant, person.accounts(), person.identifiers());
        int messages = tx.eraseConversations(tenant, person.conversationIds(), ids);
        tx.forgetCampaignPlatformMessages(tenant, ids);
        tx.scrubEvents(tenant, ids, person.conversationIds());
        for (MergeRecord m : person.merges()) {
            tx.saveMerge(new MergeRecord(tenant, m.id(), m.survivor(), m.absorbed(), List.of(), "erased", m.actor(),
                    tombstone(m.survivorBefore(), now), tombstone(m.absorbedBefore(), now), m.at(), m.undoneAt()));
        }
        for (CustomerId id : ids) {
            for (MergeSuggestion s : tx.suggestionsOf(tenant, id)) {
                tx.saveSuggestion(new MergeSuggestion(tenant, s.id(), s.first(), s.second(), s.score(),
                        List.of("erased"), s.status() == MergeSuggestion.Status.OPEN
                        ? MergeSuggestion.Status.OBSOLETE : s.status(), s.createdAt(), s.decidedAt(), s.decidedBy()));
            }
            tx.saveNameKeys(tenant, id, Set.of());
        }
        for (Customer c : person.customers().values()) {
            tx.saveCustomer(tombstone(c, now));
        }
        ErasureRecord done = record.plusMessages(messages).completed(now);
        tx.saveErasureRecord(done);
        tx.appendEvent(new InboxEvent(0, tenant, InboxEvent.Type.CUSTOMER_ERASED, Optional.empty(), Optional.empty(),
                Optional.of(record.customer()), Map.of(InboxEvent.Attribute.ACTOR, record.actor(),
                InboxEvent.Attribute.ERASED_MESSAGES, Long.toString(done.messages())), now));
        return done;
    }

    /** The customer with nothing left but its id, its merge pointer and when it was created. */
    static Customer tombstone(Customer c, Instant now) {
        return new Customer(c.tenant(), c.id(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                Map.of(ERASED_ATTRIBUTE, "true"), Preferences.NONE, List.of(), c.mergedInto(), c.createdAt(), now);
    }
}
