package dev.switchboard.inbox.privacy;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.identity.ContactNormalizer;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends a conversation's transcript by email: the history rendered as one readable message (each message with who
 * wrote it and when, attachments named and linked where {@link TranscriptLinks} gives a link), stored as an outbound
 * message of the conversation on the tenant's email channel and queued in the outbox, so it is sent, retried and
 * reported like any reply. The email channel turns the text into its HTML and plain-text parts.
 */
final class Transcripts {
    /** The agent name transcript messages carry. */
    static final String AGENT = "transcript";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ContactNormalizer EMAILS = new ContactNormalizer("RU");

    private final InboxStore store;
    private final Clock clock;
    private final Function<TenantId, List<Channel>> tenantChannels;
    private final Renderer renderer = Renderer.standard();

    Transcripts(InboxStore store, Clock clock, Function<TenantId, List<Channel>> tenantChannels) {
        this.store = store;
        this.clock = clock;
        this.tenantChannels = tenantChannels;
    }

    Message send(TenantId tenant, ConversationId conversationId, String emailAddress, TranscriptLinks links) {
        ContactPoint email = EMAILS.email(emailAddress).orElseThrow(() -> new IllegalArgumentException(
                "the transcript address is not an email address: " + emailAddress));
        Channel channel = tenantChannels.apply(tenant).stream().filter(c -> c.type().equals(ChannelType.EMAIL))
                .findFirst().orElseThrow(() -> new IllegalStateException("tenant " + tenant.value()
                        + " has no email channel to send a transcript through"));
        return store.inTransaction(tx -> {
            Instant now = clock.instant();
            Conversation conversation = tx.conversation(tenant, conversationId).orElseThrow(() ->
                    new NoSuchElementException("no conversation " + conversationId.value() + " in tenant "
                            + tenant.value()));
            Customer customer = tx.customer(tenant, conversation.customer()).orElseThrow();
            List<Message> history = tx.messages(tenant, conversationId);
            Content content = Content.of(render(conversation, customer, history, links));
            ChannelAccount recipient = ChannelAccount.of(tenant, channel.id(), email.value(), Profile.EMPTY);
            RenderedMessage rendered = renderer.render(content, channel.capabilities(recipient), channel.id());
            MessageId id = MessageId.random();
            Message message = new Message(tenant, id, conversationId, customer.id(), channel.id(),
                    Direction.OUTBOUND, recipient.key(), Optional.of(AGENT), content, Optional.empty(),
                    DeliveryStatus.QUEUED, Optional.empty(), now, now);
            tx.saveMessage(message);
            ThreadHints thread = new ThreadHints(List.of(), Optional.empty(), Optional.of(subject(conversation)));
            for (int part = 0; part < rendered.bubbles().size(); part++) {
                tx.enqueue(OutboxEntry.pending(tenant, new OutboundMessage(channel.id(), recipient, id, part,
                        rendered.bubbles().get(part), id.value() + ":" + part, Optional.empty(), thread,
                        Optional.empty(), true), now));
            }
            queued(tx, message, rendered.bubbles().size(), now);
            return message;
        });
    }

    /** The latest conversation of the customer owning {@code account} (following merges). */
    ConversationId latestOf(dev.switchboard.model.AccountKey account) {
        return store.inTransaction(tx -> {
            Optional<dev.switchboard.model.CustomerId> owner = tx.customerByAccount(account);
            Optional<Customer> c = owner.flatMap(id -> tx.customer(account.tenant(), id));
            for (int hop = 0; c.isPresent() && c.get().mergedInto().isPresent() && hop < 1000; hop++) {
                c = tx.customer(account.tenant(), c.get().mergedInto().get());
            }
            Customer customer = c.orElseThrow(() -> new NoSuchElementException("no customer owns account "
                    + account.channel().value() + "/" + account.platformUserId() + " in tenant "
                    + account.tenant().value()));
            return tx.conversationsOf(account.tenant(), java.util.Set.of(customer.id())).stream()
                    .max(java.util.Comparator.comparing(Conversation::updatedAt)).map(Conversation::id)
                    .orElseThrow(() -> new NoSuchElementException("customer " + customer.id().value()
                            + " has no conversation"));
        });
    }

    private static void queued(InboxTransaction tx, Message m, int parts, Instant now) {
        tx.appendEvent(new InboxEvent(0, m.tenant(), InboxEvent.Type.REPLY_QUEUED, Optional.of(m.conversation()),
                Optional.of(m.id()), Optional.of(m.customer()), Map.of(InboxEvent.Attribute.CHANNEL,
                m.channel().value(), InboxEvent.Attribute.PARTS, Integer.toString(parts),
                InboxEvent.Attribute.AGENT, AGENT, InboxEvent.Attribute.AUTOMATED, "true"), now));
        tx.appendEvent(new InboxEvent(0, m.tenant(), InboxEvent.Type.DELIVERY_STATUS_CHANGED,
                Optional.of(m.conversation()), Optional.of(m.id()), Optional.of(m.customer()),
                Map.of(InboxEvent.Attribute.CHANNEL, m.channel().value(), InboxEvent.Attribute.STATUS,
                        DeliveryStatus.QUEUED.name(), InboxEvent.Attribute.SOURCE, AGENT), now));
    }

    private static String subject(Conversation c) {
        return "Transcript of your conversation" + c.subject().map(s -> ": " + s).orElse("");
    }

    /** The transcript as one text: a heading, then each message with its author, time, text and attachments. */
    static Text render(Conversation conversation, Customer customer, List<Message> history, TranscriptLinks links) {
        Text.Builder b = Text.builder().bold("Transcript of your conversation").plain("\n");
        b.plain("Started " + TIME.format(conversation.createdAt()) + "\n");
        String you = customer.displayName().orElse("You");
        for (Message m : history) {
            if (m.agent().filter(AGENT::equals).isPresent()) {
                continue; // earlier transcripts are not part of the history
            }
            String author = m.direction() == Direction.INBOUND ? you : m.agent().filter(a -> !a.equals("system"))
                    .orElse("Support");
            b.plain("\n").bold(author).plain(" · " + TIME.format(m.sentAt()) + "\n");
            String text = m.content().parts().stream().filter(p -> !(p instanceof Media)).map(Part::plainText)
                    .filter(s -> !s.isBlank()).reduce((x, y) -> x + "\n" + y).orElse("");
            if (!text.isEmpty()) {
                b.plain(text + "\n");
            }
            int index = 0;
            for (Part p : m.content().parts()) {
                if (p instanceof Media media) {
                    String name = media.fileName().orElse(media.kind().name().toLowerCase(java.util.Locale.ROOT));
                    Optional<URI> link = links.link(m, index, media);
                    b.plain("Attachment: ");
                    if (link.isPresent()) {
                        b.link(name, link.get());
                    } else {
                        b.plain(name);
                    }
                    media.caption().ifPresent(c -> b.plain(" — " + c.plainText()));
                    b.plain("\n");
                    index++;
                }
            }
        }
        return b.build();
    }
}
