package dev.switchboard.channel.webchat;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.identity.ContactNormalizer;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns what a visitor sent (a checked message or button frame, a read receipt) into the {@link InboundEvent} the
 * inbox stores: the visitor's session as the channel account, their text and uploaded files as content, and what the
 * session knows of them (a verified user id, pre-chat details, an offline-form email) as identity evidence. Event ids
 * are derived from the session and the widget's client id, so a visitor's retry is the same event. Stateless.
 */
final class WebchatInboundMapper {
    private final TenantId tenant;
    private final ChannelId channel;
    private final ContactNormalizer normalizer;

    WebchatInboundMapper(TenantId tenant, ChannelId channel, ContactNormalizer normalizer) {
        this.tenant = tenant;
        this.channel = channel;
        this.normalizer = normalizer;
    }

    /** A visitor's message, or their press of a button when {@code postback}. */
    InboundEvent message(VisitorSession session, String clientId, String text, String payload, boolean postback,
                         List<WebchatFile> attachments, Optional<String> email, Instant now) {
        String eventId = "webchat:" + session.id() + ":" + clientId;
        ChannelAccount account = account(session);
        if (postback) {
            return new InboundEvent.Postback(eventId, account, now, payload, Optional.empty(), Optional.empty());
        }
        List<Part> parts = new ArrayList<>();
        if (!text.isBlank()) {
            parts.add(Text.plain(text));
        }
        for (WebchatFile f : attachments) {
            MediaKind kind = f.mimeType().startsWith("image/") ? MediaKind.IMAGE : MediaKind.FILE;
            parts.add(new Media(kind, f.mimeType(), Optional.of(f.name()), OptionalLong.of(f.size()),
                    new MediaSource.PlatformFile(channel, f.id()), Optional.empty()));
        }
        List<Evidence> evidence = new ArrayList<>();
        session.verifiedUserId().ifPresent(u ->
                evidence.add(Evidence.verified(ContactPoint.externalId(u), "webchat.hmac", now)));
        for (Evidence e : session.evidence()) {
            if (!e.point().equals(ContactPoint.externalId(session.verifiedUserId().orElse("\u0000")))) {
                evidence.add(new Evidence(e.point(), e.verified(), e.source(), now));
            }
        }
        email.flatMap(normalizer::email).or(() -> email.map(e -> new ContactPoint(ContactPoint.Kind.EMAIL, e)))
                .ifPresent(e -> evidence.add(Evidence.unverified(e, "webchat.offline_form", now)));
        return new InboundEvent.MessageReceived(eventId, account, now, visitorMessageId(session.id(), clientId),
                new Content(parts), ThreadHints.NONE, evidence, false);
    }

    /** The visitor has read everything up to the agent message {@code messageId}. */
    InboundEvent read(VisitorSession session, String messageId, Instant now) {
        return new InboundEvent.DeliveryUpdate("webchat:" + session.id() + ":read:" + messageId, account(session),
                now, messageId, DeliveryStatus.READ, Optional.empty());
    }

    ChannelAccount account(VisitorSession session) {
        Profile p = session.displayName().map(Profile::named).orElse(Profile.EMPTY);
        if (session.language().isPresent()) {
            p = p.withLanguage(session.language().get());
        }
        return ChannelAccount.of(tenant, channel, session.id(), p);
    }

    static String visitorMessageId(String sessionId, String clientId) {
        return sessionId + ":c:" + clientId;
    }
}
