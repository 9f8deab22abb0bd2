package dev.switchboard.examples.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.inbox.BlockedUs;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the library's model into the JSON shapes documented in {@code docs/openapi.yaml}. Absent values are left out,
 * never written as {@code null}; enums are lower-case; times are ISO-8601 instants.
 */
final class JsonViews {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Function<ChannelId, ChannelType> channelTypes;

    /** @param channelTypes the type of a configured channel id (for channel ids no longer configured: a guess) */
    JsonViews(Function<ChannelId, ChannelType> channelTypes) {
        this.channelTypes = channelTypes;
    }

    ObjectNode channelRef(ChannelId id) {
        ObjectNode n = JSON.objectNode();
        n.put("id", id.value());
        n.put("type", channelTypes.apply(id).value());
        return n;
    }

    static ObjectNode customerRef(Customer c) {
        ObjectNode n = JSON.objectNode();
        n.put("id", c.id().value());
        c.displayName().ifPresent(v -> n.put("displayName", v));
        return n;
    }

    /**
     * Whether the customer is only an anonymous website visitor: every account is a website chat session and no
     * contact of theirs is verified (what a flood of scripted sessions looks like; the console can hide them).
     */
    static boolean isUnverifiedVisitor(Customer c, Function<ChannelId, ChannelType> types) {
        return !c.accounts().isEmpty()
                && c.accounts().stream().allMatch(a -> types.apply(a.key().channel()).equals(ChannelType.WEBCHAT))
                && c.contacts().stream().noneMatch(CustomerContact::verified);
    }

    /** A conversation summary; {@code messages} (in stored order) gives the channels, last message and waiting time. */
    ObjectNode conversation(Conversation c, Customer customer, List<Message> messages) {
        ObjectNode n = JSON.objectNode();
        n.put("id", c.id().value());
        n.set("customer", customerRef(customer));
        n.put("unverifiedVisitor", isUnverifiedVisitor(customer, channelTypes));
        n.put("status", lower(c.status()));
        n.put("priority", lower(c.priority()));
        c.assignee().ifPresent(v -> n.put("assignee", v));
        c.subject().ifPresent(v -> n.put("subject", v));
        ArrayNode tags = n.putArray("tags");
        c.tags().stream().sorted().forEach(tags::add);
        c.channel().ifPresent(ch -> n.set("channel", channelRef(ch)));
        ArrayNode channels = n.putArray("channels");
        messages.stream().map(Message::channel).distinct().forEach(ch -> channels.add(channelRef(ch)));
        // the person's channels, also those of conversations folded away when their identities were merged
        ArrayNode customerChannels = n.putArray("customerChannels");
        customer.accounts().stream().map(a -> a.key().channel()).distinct()
                .forEach(ch -> customerChannels.add(channelRef(ch)));
        n.put("createdAt", c.createdAt().toString());
        n.put("updatedAt", c.updatedAt().toString());
        c.lastInboundAt().ifPresent(v -> n.put("lastInboundAt", v.toString()));
        c.firstResponseAt().ifPresent(v -> n.put("firstResponseAt", v.toString()));
        c.resolvedAt().ifPresent(v -> n.put("resolvedAt", v.toString()));
        waitingSince(messages).ifPresent(v -> n.put("waitingSince", v.toString()));
        if (!messages.isEmpty()) {
            Message last = messages.get(messages.size() - 1);
            ObjectNode preview = n.putObject("lastMessage");
            preview.put("direction", lower(last.direction()));
            preview.put("text", abbreviate(plainText(last), 140));
            preview.set("channel", channelRef(last.channel()));
            preview.put("at", last.sentAt().toString());
        }
        return n;
    }

    /**
     * When the oldest inbound message without a later reply from a person arrived; empty when nothing waits. Replies
     * from agents named {@code *-bot} (the demo's Telegram bot asking for a phone) do not answer the customer.
     */
    static Optional<Instant> waitingSince(List<Message> messages) {
        Instant since = null;
        for (Message m : messages) {
            if (m.direction() == Direction.INBOUND) {
                if (since == null) {
                    since = m.sentAt();
                }
            } else if (m.agent().isPresent() && !m.agent().get().endsWith("-bot")) {
                since = null;
            }
        }
        return Optional.ofNullable(since);
    }

    ObjectNode message(Message m) {
        ObjectNode n = JSON.objectNode();
        n.put("id", m.id().value());
        n.put("conversationId", m.conversation().value());
        n.put("customerId", m.customer().value());
        n.put("direction", lower(m.direction()));
        n.set("channel", channelRef(m.channel()));
        n.putObject("account").put("platformUserId", m.account().platformUserId());
        m.agent().ifPresent(v -> n.put("agent", v));
        n.put("text", plainText(m));
        ArrayNode parts = n.putArray("parts");
        List<Part> all = m.content().parts();
        for (int i = 0; i < all.size(); i++) {
            ObjectNode pn = part(all.get(i));
            if (all.get(i) instanceof Media media && !(media.source() instanceof MediaSource.Url)) {
                // the console shows it through the API's safe media route, never from the platform directly
                pn.put("url", ContactCenterApi.PREFIX + "/messages/" + java.net.URLEncoder.encode(m.id().value(),
                        java.nio.charset.StandardCharsets.UTF_8) + "/media/" + i);
            }
            parts.add(pn);
        }
        n.put("status", lower(m.status()));
        m.failureReason().ifPresent(v -> n.put("failureReason", v));
        m.platformMessageId().ifPresent(v -> n.put("platformMessageId", v));
        n.put("sentAt", m.sentAt().toString());
        n.put("storedAt", m.storedAt().toString());
        return n;
    }

    static String plainText(Message m) {
        return m.content().plainText().strip();
    }

    private static ObjectNode part(Part p) {
        ObjectNode n = JSON.objectNode();
        if (p instanceof Text t) {
            n.put("type", "text");
            n.put("text", t.plainText());
        } else if (p instanceof Media media) {
            n.put("type", "media");
            n.put("kind", lower(media.kind()));
            n.put("mimeType", media.mimeType());
            media.fileName().ifPresent(v -> n.put("fileName", v));
            media.sizeBytes().ifPresent(v -> n.put("sizeBytes", v));
            n.put("text", media.plainText());
        } else if (p instanceof Location l) {
            n.put("type", "location");
            n.put("latitude", l.latitude());
            n.put("longitude", l.longitude());
            l.name().ifPresent(v -> n.put("name", v));
            n.put("text", l.plainText());
        } else if (p instanceof ContactCard c) {
            n.put("type", "contact");
            n.put("name", c.name());
            c.phone().ifPresent(v -> n.put("phone", v));
            c.email().ifPresent(v -> n.put("email", v));
            n.put("text", c.plainText());
        } else if (p instanceof Choices c) {
            n.put("type", "choices");
            c.prompt().ifPresent(t -> n.put("text", t.plainText()));
            choices(n.putArray("choices"), c.choices());
        } else if (p instanceof Cards c) {
            n.put("type", "cards");
            n.put("text", c.plainText());
            ArrayNode list = n.putArray("cards");
            for (Card card : c.cards()) {
                ObjectNode cn = list.addObject().put("title", card.title());
                card.description().ifPresent(v -> cn.put("description", v));
                card.defaultLink().ifPresent(v -> cn.put("link", v.toString()));
                card.image().flatMap(Media::fileName).ifPresent(v -> cn.put("imageName", v));
                choices(cn.putArray("choices"), card.buttons());
            }
        }
        return n;
    }

    private static void choices(ArrayNode list, List<Choice> choices) {
        for (Choice choice : choices) {
            ObjectNode ch = list.addObject();
            ch.put("label", choice.label());
            if (choice.action() instanceof Choice.Postback pb) {
                ch.put("action", "postback");
                ch.put("value", pb.payload());
            } else if (choice.action() instanceof Choice.OpenLink link) {
                ch.put("action", "open_link");
                ch.put("value", link.uri().toString());
            } else {
                ch.put("action", "share_phone");
            }
        }
    }

    /** An account with whether its customer blocked us there (a platform update, or a send refused as unreachable). */
    ObjectNode account(LinkedAccount a, Customer owner) {
        ObjectNode n = account(a);
        Optional<String> blockedUs = BlockedUs.of(owner, a.key());
        n.put("blockedUs", blockedUs.isPresent());
        blockedUs.ifPresent(reason -> n.put("blockedUsReason", reason));
        return n;
    }

    ObjectNode account(LinkedAccount a) {
        ObjectNode n = JSON.objectNode();
        n.set("channel", channelRef(a.key().channel()));
        n.put("platformUserId", a.key().platformUserId());
        a.account().profile().displayName().ifPresent(v -> n.put("displayName", v));
        a.account().profile().username().ifPresent(v -> n.put("username", v));
        n.put("source", a.source());
        n.put("linkedAt", a.linkedAt().toString());
        n.put("blocked", a.blocked());
        return n;
    }

    static ObjectNode contact(CustomerContact c) {
        ObjectNode n = JSON.objectNode();
        n.put("kind", lower(c.point().kind()));
        n.put("value", c.point().value());
        n.put("verified", c.verified());
        n.put("source", c.source());
        n.put("observedAt", c.observedAt().toString());
        c.via().ifPresent(v -> n.put("via", v.toString()));
        return n;
    }

    static ObjectNode merge(MergeRecord r) {
        ObjectNode n = JSON.objectNode();
        n.put("id", r.id().value());
        n.put("survivor", r.survivor().value());
        n.put("absorbed", r.absorbed().value());
        ArrayNode ev = n.putArray("evidence");
        for (Evidence e : r.evidence()) {
            ObjectNode en = ev.addObject();
            en.put("kind", lower(e.point().kind()));
            en.put("value", e.point().value());
            en.put("verified", e.verified());
            en.put("source", e.source());
        }
        n.put("reason", r.reason());
        n.put("actor", r.actor());
        n.put("at", r.at().toString());
        n.put("undone", r.isUndone());
        return n;
    }

    static ObjectNode suggestion(MergeSuggestion s, Function<dev.switchboard.model.CustomerId, ObjectNode> refs) {
        ObjectNode n = JSON.objectNode();
        n.put("id", s.id().value());
        n.set("first", refs.apply(s.first()));
        n.set("second", refs.apply(s.second()));
        n.put("score", Math.round(s.score() * 1000) / 1000.0);
        ArrayNode reasons = n.putArray("reasons");
        s.reasons().forEach(reasons::add);
        n.put("status", lower(s.status()));
        n.put("createdAt", s.createdAt().toString());
        s.decidedAt().ifPresent(v -> n.put("decidedAt", v.toString()));
        s.decidedBy().ifPresent(v -> n.put("decidedBy", v));
        return n;
    }

    static ObjectNode event(InboxEvent e) {
        ObjectNode n = JSON.objectNode();
        n.put("seq", e.seq());
        n.put("type", lower(e.type()));
        e.conversation().ifPresent(v -> n.put("conversationId", v.value()));
        e.message().ifPresent(v -> n.put("messageId", v.value()));
        e.customer().ifPresent(v -> n.put("customerId", v.value()));
        ObjectNode attrs = n.putObject("attributes");
        e.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(a -> attrs.put(a.getKey(), a.getValue()));
        n.put("at", e.at().toString());
        return n;
    }

    static ObjectNode channel(Channel c, String mode, String label) {
        ObjectNode n = JSON.objectNode();
        n.put("id", c.id().value());
        n.put("type", c.type().value());
        n.put("label", label);
        n.put("mode", mode);
        Capabilities caps = c.capabilities();
        n.put("receiveMode", lower(caps.receiveMode()));
        ObjectNode cn = n.putObject("capabilities");
        cn.put("maxTextLength", caps.maxTextLength());
        cn.put("markup", lower(caps.markup()));
        cn.put("maxButtons", caps.maxButtons());
        ArrayNode media = cn.putArray("media");
        caps.mediaKinds().stream().map(JsonViews::lower).sorted().forEach(media::add);
        cn.put("sharePhoneButton", caps.sharePhoneButton());
        cn.put("edits", caps.edits());
        cn.put("readReceipts", caps.readReceipts());
        return n;
    }

    static ArrayNode array(Collection<ObjectNode> nodes) {
        ArrayNode a = JSON.arrayNode();
        nodes.forEach(a::add);
        return a;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s, int max) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
