package dev.switchboard.inbox.privacy;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's data-subject requests, from {@code TenantInbox.privacy()}: export everything held about a customer
 * (and every customer merged into them) as a zip archive, and erase it. Both are idempotent: an export of unchanged
 * data gives the same bytes, and asking to erase an erased customer returns the record of the erasure done. An
 * erasure that was interrupted completes when asked again or when an inbox next starts on the store. Calls block
 * the calling thread; thread-safe.
 *
 * <pre>{@code
 * Privacy privacy = shop.privacy();
 * try (OutputStream out = Files.newOutputStream(Path.of("export.zip"))) {
 *     privacy.export(customer, out);
 * }
 * ErasureRecord erased = privacy.erase(customer, "dpo@shop.example");
 * }</pre>
 */
public final class Privacy {
    private final TenantId tenant;
    private final Erasure erasure;
    private final ExportArchive export;
    private final Transcripts transcripts;
    private final InboxStore store;
    private final Runnable wake;

    Privacy(TenantId tenant, Erasure erasure, ExportArchive export, Transcripts transcripts, InboxStore store,
            Runnable wake) {
        this.tenant = tenant;
        this.erasure = erasure;
        this.export = export;
        this.transcripts = transcripts;
        this.store = store;
        this.wake = wake;
    }

    /**
     * Writes the export archive of {@code customer} to {@code out} (which stays open): a zip of
     * {@code summary.txt}, {@code customer.json}, {@code conversations.json}, {@code messages.json},
     * {@code merges.json}, {@code outbox.json} and the media files under {@code media/} that the channels can still
     * provide. A customer that was merged into another is exported as that survivor.
     *
     * @throws java.util.NoSuchElementException when the tenant has no such customer
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public ExportSummary export(CustomerId customer, OutputStream out) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(out, "out");
        Person person = store.inTransaction(tx -> Person.read(tx, tenant, customer));
        try {
            return export.write(person, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the export of customer " + customer.value() + " failed", e);
        }
    }

    /**
     * Erases {@code customer}'s personal data (and that of every customer merged into them) across the store, deletes
     * the media files the channels keep, and records the erasure with a {@code CUSTOMER_ERASED} event. Returns the
     * completed record; a customer already erased returns its record unchanged.
     *
     * @param actor who asked (an agent, a data protection officer), kept in the record
     * @throws java.util.NoSuchElementException when the tenant has no such customer
     * @throws IllegalStateException when a media file could not be deleted: the erasure is recorded as unfinished
     *     and completes when asked again
     * @throws UnsupportedOperationException when the store does not support erasure
     */
    public ErasureRecord erase(CustomerId customer, String actor) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(actor, "actor");
        try {
            return erasure.erase(tenant, customer, actor);
        } finally {
            wake.run();
        }
    }

    /** The record of the erasure asked for {@code customer}, complete or not; empty when none was asked. */
    public Optional<ErasureRecord> erasure(CustomerId customer) {
        Objects.requireNonNull(customer, "customer");
        return store.inTransaction(tx -> tx.erasureRecord(tenant, customer));
    }

    /**
     * Emails the transcript of a conversation to {@code emailAddress} through the tenant's email channel: the history
     * with who wrote each message and when, attachments named and linked where {@code links} gives a link. The email
     * is stored as an outbound message of the conversation (agent {@code transcript}) and sent by the outbox like any
     * reply, so its delivery status is in the feed. Returns the stored message.
     *
     * @throws IllegalArgumentException when {@code emailAddress} is not an email address (the message names it)
     * @throws IllegalStateException when the tenant has no email channel
     * @throws java.util.NoSuchElementException when the tenant has no such conversation
     */
    public Message sendTranscript(ConversationId conversation, String emailAddress, TranscriptLinks links) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(links, "links");
        Message queued = transcripts.send(tenant, conversation, emailAddress, links);
        wake.run();
        return queued;
    }

    /** {@link #sendTranscript(ConversationId, String, TranscriptLinks)} linking only media that are URLs. */
    public Message sendTranscript(ConversationId conversation, String emailAddress) {
        return sendTranscript(conversation, emailAddress, TranscriptLinks.urlsOnly());
    }

    /**
     * Emails the transcript of the latest conversation of the customer who owns {@code account}; what a website
     * chat's "email me this conversation" button calls (its {@code TranscriptSender} knows the visitor's session,
     * which is the account's platform user id).
     *
     * @throws java.util.NoSuchElementException when no customer of this tenant owns the account, or it has no
     *     conversation
     */
    public Message sendTranscript(AccountKey account, String emailAddress) {
        Objects.requireNonNull(account, "account");
        if (!account.tenant().equals(tenant)) {
            throw new java.util.NoSuchElementException("account " + account.platformUserId() + " is not of tenant "
                    + tenant.value());
        }
        return sendTranscript(transcripts.latestOf(account), emailAddress);
    }

    @Override
    public String toString() {
        return "Privacy[" + tenant + "]";
    }
}
