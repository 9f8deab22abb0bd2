package dev.switchboard.inbox.privacy;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Consent;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one person's export archive: a zip with {@code summary.txt} (for people), {@code customer.json} (the
 * customer and every customer merged into them: profile, accounts, contact points, attributes, preferences and
 * consents), {@code conversations.json}, {@code messages.json}, {@code merges.json}, {@code outbox.json} and the media
 * files under {@code media/}. Messages are paged from the store and media fetched one file at a time, so neither sits
 * in memory at once. Entries carry a fixed time and come in a fixed order, so exporting unchanged data twice gives the
 * same bytes.
 */
final class ExportArchive {
    private static final int PAGE = 500;
    private static final long MEDIA_TIMEOUT_SECONDS = 30;
    private static final int MAX_PARTS = 100;
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final InboxStore store;
    private final BiFunction<TenantId, ChannelId, Optional<Channel>> channels;

    ExportArchive(InboxStore store, BiFunction<TenantId, ChannelId, Optional<Channel>> channels) {
        this.store = store;
        this.channels = channels;
    }

    /** Writes the archive of {@code person} to {@code out} (left open); returns the summary's counts. */
    ExportSummary write(Person person, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        Writer text = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
        Json json = new Json(text);

        entry(zip, "customer.json");
        json.beginObject().name("survivor").value(person.survivor().value()).name("customers").beginArray();
        person.customers().values().forEach(c -> customer(json, c));
        json.endArray().endObject();
        json.flush();

        entry(zip, "conversations.json");
        Json conv = new Json(text).beginArray();
        person.conversations().forEach(c -> conversation(conv, c));
        conv.endArray().flush();

        entry(zip, "merges.json");
        Json merges = new Json(text).beginArray();
        person.merges().forEach(m -> merge(merges, m));
        merges.endArray().flush();

        entry(zip, "messages.json");
        Json messages = new Json(text).beginArray();
        long[] counts = new long[3]; // messages, media files written, media files unavailable
        List<String> outboundIds = new ArrayList<>();
        eachMessage(person, m -> {
            message(messages, m);
            counts[0]++;
            if (m.direction() == dev.switchboard.model.Direction.OUTBOUND) {
                outboundIds.add(m.id().value());
            }
        });
        messages.endArray().flush();

        entry(zip, "outbox.json");
        Json outbox = new Json(text).beginArray();
        for (int from = 0; from < outboundIds.size(); from += PAGE) {
            List<String> ids = outboundIds.subList(from, Math.min(outboundIds.size(), from + PAGE));
            List<OutboxEntry> rows = store.inTransaction(tx -> {
                List<OutboxEntry> found = new ArrayList<>();
                for (String id : ids) {
                    for (int part = 0; part < MAX_PARTS; part++) {
                        Optional<OutboxEntry> e = tx.outboxEntry(id + ":" + part);
                        if (e.isEmpty()) {
                            break;
                        }
                        found.add(e.get());
                    }
                }
                return found;
            });
            rows.forEach(e -> outbox.beginObject().field("id", e.id()).field("message", e.message().messageId().value())
                    .field("channel", e.message().channel().value())
                    .field("recipient", e.message().recipient().platformUserId()).field("status", e.status().name())
                    .field("attempts", e.attempts()).field("createdAt", e.createdAt().toString())
                    .field("updatedAt", e.updatedAt().toString()).field("lastError", e.lastError().orElse(null))
                    .endObject());
        }
        outbox.endArray().flush();

        List<String> unavailable = new ArrayList<>();
        eachMessage(person, m -> {
            int n = 0;
            for (Part p : m.content().parts()) {
                if (p instanceof Media media) {
                    Optional<byte[]> bytes = bytes(person.tenant(), media);
                    String name = mediaName(m, n, media);
                    if (bytes.isPresent()) {
                        try {
                            entry(zip, name);
                            zip.write(bytes.get());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        counts[1]++;
                    } else if (!(media.source() instanceof MediaSource.Url)) {
                        unavailable.add(name);
                        counts[2]++;
                    }
                    n++;
                }
            }
        });

        ExportSummary summary = new ExportSummary(person.customers().size(), person.conversations().size(),
                counts[0], counts[1], counts[2]);
        entry(zip, "summary.txt");
        text.write(summaryText(person, summary, unavailable));
        text.flush();
        zip.finish();
        return summary;
    }

    private void eachMessage(Person person, Consumer<Message> each) {
        Optional<String> cursor = Optional.empty();
        do {
            Optional<String> after = cursor;
            Page<Message> page = store.inTransaction(tx -> tx.timeline(person.tenant(), person.customerIds(),
                    new PageRequest(PAGE, after)));
            page.items().forEach(each);
            cursor = page.nextCursor();
        } while (cursor.isPresent());
    }

    private Optional<byte[]> bytes(TenantId tenant, Media media) {
        if (media.source() instanceof MediaSource.Inline inline) {
            return Optional.of(inline.bytes());
        }
        if (media.source() instanceof MediaSource.PlatformFile file) {
            Optional<Channel> channel = channels.apply(tenant, file.channel());
            if (channel.isEmpty()) {
                return Optional.empty();
            }
            try {
                FetchedMedia fetched = channel.get().fetchMedia(file).toCompletableFuture()
                        .get(MEDIA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return Optional.of(fetched.bytes());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching media for an export", e);
            } catch (Exception e) {
                return Optional.empty(); // listed as unavailable in the summary
            }
        }
        return Optional.empty(); // a URL: listed in messages.json, never fetched by the inbox
    }

    static String mediaName(Message m, int n, Media media) {
        String base = m.id().value().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + n;
        String name = media.fileName().map(f -> f.replaceAll("[^A-Za-z0-9._-]", "_")).orElse("file");
        return "media/" + base + "-" + name;
    }

    private static void entry(ZipOutputStream zip, String name) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(e);
    }

    private static void customer(Json j, Customer c) {
        j.beginObject().field("id", c.id().value()).field("displayName", c.displayName().orElse(null))
                .field("language", c.language().orElse(null))
                .field("mergedInto", c.mergedInto().map(x -> x.value()).orElse(null))
                .field("createdAt", c.createdAt().toString()).field("updatedAt", c.updatedAt().toString());
        j.name("attributes").beginObject();
        new TreeMap<>(c.attributes()).forEach(j::field);
        j.endObject();
        j.name("accounts").beginArray();
        for (LinkedAccount a : c.accounts()) {
            j.beginObject().field("channel", a.key().channel().value()).field("platformUserId",
                            a.key().platformUserId())
                    .field("displayName", a.account().profile().displayName().orElse(null))
                    .field("username", a.account().profile().username().orElse(null))
                    .field("language", a.account().profile().language().orElse(null))
                    .field("linkedAt", a.linkedAt().toString()).field("source", a.source())
                    .field("blocked", a.blocked()).endObject();
        }
        j.endArray().name("contacts").beginArray();
        for (CustomerContact cc : c.contacts()) {
            j.beginObject().field("kind", cc.point().kind().name()).field("value", cc.point().value())
                    .field("verified", cc.verified()).field("source", cc.source())
                    .field("observedAt", cc.observedAt().toString()).endObject();
        }
        j.endArray().name("preferences").beginObject()
                .field("preferredChannel", c.preferences().preferredChannel().map(t -> t.value()).orElse(null));
        j.name("doNotContact").beginArray();
        c.preferences().doNotContact().stream().map(t -> t.value()).sorted().forEach(j::value);
        j.endArray().name("consents").beginArray();
        for (Consent consent : c.preferences().consents()) {
            j.beginObject().field("purpose", consent.purpose())
                    .field("channelType", consent.channelType().map(t -> t.value()).orElse(null))
                    .field("granted", consent.granted()).field("at", consent.at().toString())
                    .field("source", consent.source()).endObject();
        }
        j.endArray().endObject().endObject();
    }

    private static void conversation(Json j, Conversation c) {
        j.beginObject().field("id", c.id().value()).field("customer", c.customer().value())
                .field("status", c.status().name()).field("priority", c.priority().name())
                .field("channel", c.channel().map(x -> x.value()).orElse(null))
                .field("subject", c.subject().orElse(null)).field("createdAt", c.createdAt().toString())
                .field("resolvedAt", c.resolvedAt().map(Object::toString).orElse(null));
        j.name("tags").beginArray();
        c.tags().stream().sorted().forEach(j::value);
        j.endArray().endObject();
    }

    private static void merge(Json j, MergeRecord m) {
        j.beginObject().field("id", m.id().toString()).field("survivor", m.survivor().value())
                .field("absorbed", m.absorbed().value()).field("reason", m.reason()).field("actor", m.actor())
                .field("at", m.at().toString()).field("undoneAt", m.undoneAt().map(Object::toString).orElse(null))
                .endObject();
    }

    private static void message(Json j, Message m) {
        j.beginObject().field("id", m.id().value()).field("conversation", m.conversation().value())
                .field("customer", m.customer().value()).field("channel", m.channel().value())
                .field("direction", m.direction().name()).field("account", m.account().platformUserId())
                .field("agent", m.agent().orElse(null)).field("status", m.status().name())
                .field("sentAt", m.sentAt().toString()).field("storedAt", m.storedAt().toString())
                .field("text", m.content().plainText());
        j.name("media").beginArray();
        int n = 0;
        for (Part p : m.content().parts()) {
            if (p instanceof Media media) {
                j.beginObject().field("kind", media.kind().name()).field("mimeType", media.mimeType())
                        .field("fileName", media.fileName().orElse(null));
                if (media.source() instanceof MediaSource.Url url) {
                    j.field("url", url.uri().toString());
                } else {
                    j.field("file", mediaName(m, n, media));
                }
                j.endObject();
                n++;
            }
        }
        j.endArray().endObject();
    }

    private static String summaryText(Person person, ExportSummary s, List<String> unavailable) {
        StringBuilder b = new StringBuilder();
        b.append("Personal data export\n====================\n\n");
        b.append("Customer: ").append(person.survivor().value()).append('\n');
        for (Customer c : person.customers().values()) {
            b.append("\nCustomer record ").append(c.id().value());
            c.mergedInto().ifPresent(x -> b.append(" (merged into ").append(x.value()).append(')'));
            b.append('\n');
            c.displayName().ifPresent(n -> b.append("  Name: ").append(n).append('\n'));
            c.language().ifPresent(n -> b.append("  Language: ").append(n).append('\n'));
            for (LinkedAccount a : c.accounts()) {
                b.append("  Account: ").append(a.key().channel().value()).append(' ')
                        .append(a.key().platformUserId()).append(a.blocked() ? " (blocked)" : "").append('\n');
            }
            for (CustomerContact cc : c.contacts()) {
                b.append("  Contact: ").append(cc.point().kind().name().toLowerCase(java.util.Locale.ROOT))
                        .append(' ').append(cc.point().value()).append(cc.verified() ? " (verified)" : "")
                        .append('\n');
            }
            for (Consent consent : c.preferences().consents()) {
                b.append("  Consent: ").append(consent.purpose()).append(consent.granted() ? " granted" : " withdrawn")
                        .append(" at ").append(consent.at()).append(" via ").append(consent.source()).append('\n');
            }
            for (Map.Entry<String, String> a : new TreeMap<>(c.attributes()).entrySet()) {
                b.append("  ").append(a.getKey()).append(": ").append(a.getValue()).append('\n');
            }
        }
        b.append("\nConversations: ").append(s.conversations()).append('\n');
        b.append("Messages: ").append(s.messages()).append(" (messages.json)\n");
        b.append("Media files included: ").append(s.mediaFiles()).append(" (media/)\n");
        b.append("Merges: ").append(person.merges().size()).append(" (merges.json)\n");
        if (!unavailable.isEmpty()) {
            b.append("\nMedia files the platform no longer provides (").append(s.mediaUnavailable()).append("):\n");
            unavailable.forEach(u -> b.append("  ").append(u).append('\n'));
        }
        return b.toString();
    }
}
