package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.JSON;
import static dev.switchboard.channel.webchat.WebchatJson.event;
import static dev.switchboard.channel.webchat.WebchatJson.failed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Card;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.render.Bubble;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of a visitor's conversation: replies (stored once per idempotency key, with buttons, links and files
 * the widget shows), the agent's typing indicator and read receipts.
 */
final class AgentMessages {
    private static final Logger log = LoggerFactory.getLogger(AgentMessages.class);

    private final WebchatChannel channel;
    private final VisitorSessions sessions;
    private final WebchatFiles files;

    AgentMessages(WebchatChannel channel, VisitorSessions sessions, WebchatFiles files) {
        this.channel = channel;
        this.sessions = sessions;
        this.files = files;
    }

    CompletionStage<SendReceipt> send(OutboundMessage message, SendPolicy policy) {
        String sessionId = message.recipient().platformUserId();
        Optional<LiveSession> session = sessions.live(sessionId);
        if (session.isEmpty()) {
            return failed(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "unknown_session",
                    "no webchat session " + sessionId));
        }
        Optional<SendFailure> refused = policy.check(message);
        if (refused.isPresent()) {
            return failed(refused.get());
        }
        LiveSession s = session.get();
        String key = "o:" + message.idempotencyKey();
        Instant now = channel.now();
        try {
            WebchatEvent event;
            synchronized (s) {
                Optional<WebchatEvent> existing = sessions.log().find(s.id, key);
                event = existing.isPresent() ? existing.get()
                        : sessions.publish(s, "message", Optional.of(key), seq -> agentMessage(s, seq, message, now));
            }
            return CompletableFuture.completedFuture(new SendReceipt(agentMessageId(s.id, event.seq()), now));
        } catch (RuntimeException e) {
            log.warn("webchat: could not store an agent message for session {}", s.id, e);
            return failed(SendFailure.of(FailureKind.UNAVAILABLE, "log_unavailable",
                    "the webchat log could not store the message"));
        }
    }

    /** The choices as the widget's {@code buttons}: a label with a postback payload or a URL. */
    private static void buttons(ObjectNode n, List<Choice> choices) {
        if (choices.isEmpty()) {
            return;
        }
        ArrayNode arr = n.putArray("buttons");
        for (Choice c : choices) {
            ObjectNode bn = arr.addObject().put("label", c.label());
            if (c.action() instanceof Choice.Postback p) {
                bn.put("payload", p.payload());
            } else if (c.action() instanceof Choice.OpenLink l) {
                bn.put("url", l.uri().toString());
            }
        }
    }

    /** A file as the widget shows it: kind, type, name, and a URL it can fetch (copied into the session's files). */
    private void media(LiveSession s, Media media, ObjectNode mn) {
        mn.put("kind", media.kind().name().toLowerCase(java.util.Locale.ROOT));
        mn.put("mime", media.mimeType());
        media.fileName().ifPresent(f -> mn.put("name", f));
        if (media.source() instanceof MediaSource.Url u) {
            mn.put("url", u.uri().toString());
        } else if (media.source() instanceof MediaSource.Inline in) {
            files.agentFile(s.id, media.fileName().orElse("file"), in.bytes())
                    .ifPresent(f -> mn.put("url", files.url(f)).put("mime", f.mimeType()));
        } else if (media.source() instanceof MediaSource.PlatformFile pf
                && pf.channel().equals(channel.id())) {
            files.copyTo(s.id, pf.fileId()).ifPresent(f -> mn.put("url", files.url(f)).put("mime", f.mimeType()));
        }
    }

    private String agentMessage(LiveSession s, long seq, OutboundMessage m, Instant now) {
        ObjectNode n = event("message", seq);
        n.put("from", "agent");
        n.put("id", agentMessageId(s.id, seq));
        m.senderName().ifPresent(name -> n.put("name", name));
        Bubble b = m.bubble();
        if (b instanceof Bubble.TextBubble t) {
            n.put("text", t.plain());
            buttons(n, t.buttons());
        } else if (b instanceof Bubble.MediaBubble mb) {
            Media media = mb.media();
            media(s, media, n.putObject("media"));
            n.put("text", media.caption().map(Text::plainText).orElse(""));
        } else if (b instanceof Bubble.CardsBubble cb) {
            n.put("text", cb.formattedPrompt().orElse("")); // the widget's markup is plain text
            ArrayNode cards = n.putArray("cards");
            for (Card card : cb.cards().cards()) {
                ObjectNode cn = cards.addObject().put("title", card.title());
                card.description().ifPresent(d -> cn.put("description", d));
                card.defaultLink().ifPresent(l -> cn.put("link", l.toString()));
                card.image().ifPresent(image -> media(s, image, cn.putObject("image")));
                buttons(cn, card.buttons());
            }
        } else {
            n.put("text", b.plain());
        }
        n.put("at", now.toString());
        return n.toString();
    }

    void agentTyping(String sessionId, boolean typing, Optional<String> agentName) {
        sessions.live(sessionId).ifPresent(s -> {
            ObjectNode n = JSON.createObjectNode().put("type", "typing").put("from", "agent").put("on", typing);
            agentName.ifPresent(a -> n.put("name", a));
            sessions.transientFrame(s, n.toString());
        });
    }

    void markReadByAgent(String sessionId) {
        sessions.live(sessionId).ifPresent(s -> {
            synchronized (s) {
                long upTo = sessions.log().lastSeq(s.id);
                if (upTo > s.lastReadByAgent) {
                    s.lastReadByAgent = upTo;
                    sessions.publish(s, "read", Optional.empty(),
                            seq -> event("read", seq).put("by", "agent").put("upTo", upTo).toString());
                }
            }
        });
    }

    static String agentMessageId(String sessionId, long seq) {
        return sessionId + ":" + seq;
    }
}
