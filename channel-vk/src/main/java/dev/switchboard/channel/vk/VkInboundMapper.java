package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns one VK event (the same JSON in a Callback API request and in a long poll update:
 * {@code {"type","object","group_id","event_id","v"}}) into an {@link InboundEvent}: {@code message_new} into a
 * received message (text, photos, documents, audio messages, stickers, videos, geo, forwarded and replied messages as
 * content; a standard-keyboard button's payload into a postback), {@code message_edit} into an edit,
 * {@code message_event} (a callback button) into a postback, {@code message_allow}/{@code message_deny} into the
 * customer's permission to be messaged. Typing, reads, our own outgoing messages and events of other kinds are
 * ignored. The event id is VK's {@code event_id}, the same on every retry. Pure: no I/O.
 */
final class VkInboundMapper {
    /** The key under which our button payloads carry the postback payload: {@code {"sb":"..."}}. */
    static final String PAYLOAD_KEY = "sb";
    /** The evidence source of a deep link's {@code ref}. */
    static final String SOURCE_REF = "vk.ref";
    static final long CHAT_PEER_BASE = 2_000_000_000L;

    private final ChannelId channel;
    private final TenantId tenant;
    private final long groupId;
    private final ObjectMapper json;
    private final Clock clock;

    VkInboundMapper(ChannelId channel, TenantId tenant, long groupId, ObjectMapper json, Clock clock) {
        this.channel = channel;
        this.tenant = tenant;
        this.groupId = groupId;
        this.json = json;
        this.clock = clock;
    }

    /** What became of one event. */
    sealed interface Outcome permits Mapped, Ignored, Rejected {
    }

    /**
     * An event for the inbox, with what the channel itself learns from it.
     *
     * @param clientInfo the sender's client abilities, from {@code client_info}
     * @param permission true/false for {@code message_allow}/{@code message_deny}
     * @param attributes deep-link data ({@code ref}, {@code ref_source}) the inbox may use
     */
    record Mapped(InboundEvent event, Optional<VkClientInfo> clientInfo, Optional<Boolean> permission,
                  Map<String, String> attributes) implements Outcome {
    }

    /** An event with nothing for the inbox (typing, our own message, an event type we do not handle). */
    record Ignored(String eventId, String why) implements Outcome {
    }

    /** An event that can never become an inbound event (no sender, no message): quarantine it. */
    record Rejected(Optional<String> eventId, String reason) implements Outcome {
    }

    Outcome map(JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return new Rejected(Optional.empty(), "event is not a JSON object");
        }
        String type = envelope.path("type").asText("");
        JsonNode object = envelope.path("object");
        String eventId = eventId(envelope);
        if (type.isEmpty()) {
            return new Rejected(Optional.of(eventId), "event has no type");
        }
        OptionalLong group = longValue(envelope.path("group_id"));
        if (group.isPresent() && group.getAsLong() != groupId) {
            return new Rejected(Optional.of(eventId), "event for group " + group.getAsLong() + ", this channel "
                    + "serves group " + groupId);
        }
        try {
            return switch (type) {
                case "message_new" -> messageNew(eventId, object);
                case "message_edit" -> messageEdit(eventId, object);
                case "message_event" -> messageEvent(eventId, object);
                case "message_allow" -> permission(eventId, object, true);
                case "message_deny" -> permission(eventId, object, false);
                case "message_typing_state", "message_read", "message_reply" ->
                        new Ignored(eventId, type + " needs no action");
                default -> new Ignored(eventId, "event type " + type + " is not handled by the channel");
            };
        } catch (MalformedEvent e) {
            return new Rejected(Optional.of(eventId), type + ": " + e.getMessage());
        }
    }

    /** VK's {@code event_id}; for an event without one (old API versions), a digest of the event's body. */
    String eventId(JsonNode envelope) {
        JsonNode id = envelope.path("event_id");
        if (id.isTextual() && !id.asText().isBlank()) {
            return id.asText();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(envelope).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome messageNew(String eventId, JsonNode object) {
        // 5.199 wraps the message with client_info; very old versions sent the message itself
        JsonNode message = object.has("message") ? object.get("message") : object;
        if (message.path("out").asInt(0) == 1) {
            return new Ignored(eventId, "our own outgoing message");
        }
        long from = requireLong(message, "from_id");
        long peer = longValue(message.path("peer_id")).orElse(from);
        if (peer >= CHAT_PEER_BASE) {
            return new Ignored(eventId, "message in a group chat (peer " + peer + "): only direct messages to the "
                    + "community are handled");
        }
        if (from <= 0) {
            return new Ignored(eventId, "message from a community (from_id " + from + ")");
        }
        Optional<VkClientInfo> clientInfo = VkClientInfo.parse(object.get("client_info"));
        ChannelAccount account = account(from, clientInfo.flatMap(VkClientInfo::language));
        Instant at = date(message.path("date"));
        String messageId = messageId(message);
        Map<String, String> attributes = new LinkedHashMap<>();
        text(message, "ref").ifPresent(v -> attributes.put("vk.ref", v));
        text(message, "ref_source").ifPresent(v -> attributes.put("vk.ref_source", v));
        Optional<String> payload = payload(message.get("payload"));
        if (payload.isPresent()) {
            // a standard-keyboard text button: the label arrives as text, our payload beside it
            InboundEvent.Postback postback = new InboundEvent.Postback(eventId, account, at, payload.get(),
                    Optional.of(messageId), Optional.empty());
            return new Mapped(postback, clientInfo, Optional.empty(), attributes);
        }
        ThreadHints thread = ThreadHints.NONE;
        List<Part> parts = new ArrayList<>();
        JsonNode reply = message.get("reply_message");
        if (reply != null && reply.isObject()) {
            thread = ThreadHints.replyTo(messageId(reply));
            String quoted = reply.path("text").asText("");
            if (!quoted.isEmpty()) {
                parts.add(Text.plain("> " + quoted.replace("\n", "\n> ")));
            }
        }
        parts.addAll(content(message));
        JsonNode forwarded = message.path("fwd_messages");
        for (JsonNode fwd : forwarded) {
            parts.add(Text.plain("Forwarded message from id" + fwd.path("from_id").asLong() + ":"));
            parts.addAll(content(fwd));
        }
        // a vk.me/<group>?ref=... deep link: passed on as it came; the identity engine verifies a host-signed ref
        // (signature, expiry, tenant) and turns it into the host user id, or drops it
        List<Evidence> evidence = text(message, "ref")
                .map(ref -> List.of(Evidence.unverified(ContactPoint.signedLink(ref), SOURCE_REF, at)))
                .orElse(List.of());
        InboundEvent.MessageReceived received = new InboundEvent.MessageReceived(eventId, account, at, messageId,
                new Content(parts), thread, evidence, false, attributes);
        return new Mapped(received, clientInfo, Optional.empty(), attributes);
    }

    private Outcome messageEdit(String eventId, JsonNode message) {
        if (message.path("out").asInt(0) == 1) {
            return new Ignored(eventId, "edit of our own message");
        }
        long from = requireLong(message, "from_id");
        long peer = longValue(message.path("peer_id")).orElse(from);
        if (peer >= CHAT_PEER_BASE || from <= 0) {
            return new Ignored(eventId, "edit outside a direct dialog");
        }
        Instant at = longValue(message.path("update_time")).isPresent()
                ? date(message.path("update_time")) : date(message.path("date"));
        return new Mapped(new InboundEvent.MessageEdited(eventId, account(from, Optional.empty()), at,
                messageId(message), new Content(content(message))), Optional.empty(), Optional.empty(), Map.of());
    }

    private Outcome messageEvent(String eventId, JsonNode object) {
        long user = requireLong(object, "user_id");
        long peer = longValue(object.path("peer_id")).orElse(user);
        String callbackEventId = object.path("event_id").asText("");
        if (callbackEventId.isEmpty()) {
            throw new MalformedEvent("no event_id to answer the button press with");
        }
        String payload = payload(object.get("payload")).orElse("");
        // message_event names the message by conversation_message_id only, while our receipts hold VK's message id:
        // no platform message id rather than one that matches nothing
        // what messages.sendMessageEventAnswer needs: event_id, user_id and peer_id
        String callbackId = callbackEventId + ":" + user + ":" + peer;
        return new Mapped(new InboundEvent.Postback(eventId, account(user, Optional.empty()), clock.instant(),
                payload, Optional.empty(), Optional.of(callbackId)), Optional.empty(), Optional.empty(), Map.of());
    }

    private Outcome permission(String eventId, JsonNode object, boolean allowed) {
        long user = requireLong(object, "user_id");
        InboundEvent.AccountUpdate update = new InboundEvent.AccountUpdate(eventId, account(user, Optional.empty()),
                clock.instant(), allowed ? InboundEvent.AccountUpdate.Kind.SUBSCRIBED
                : InboundEvent.AccountUpdate.Kind.UNSUBSCRIBED, List.of());
        Map<String, String> attributes = new LinkedHashMap<>();
        text(object, "key").ifPresent(k -> attributes.put("vk.key", k));
        return new Mapped(update, Optional.empty(), Optional.of(allowed), attributes);
    }

    /**
     * A button payload, which VK sends as a JSON string or (in practice, for callback buttons) as an object: our own
     * {@code {"sb":"..."}} yields the payload we set; any other payload is kept as its JSON text.
     */
    Optional<String> payload(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode value = node;
        if (node.isTextual()) {
            String s = node.asText();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            try {
                value = json.readTree(s);
            } catch (java.io.IOException e) {
                return Optional.of(s);
            }
            if (value == null || !value.isObject()) {
                return Optional.of(s);
            }
        }
        if (value.isObject() && value.path(PAYLOAD_KEY).isTextual()) {
            return Optional.of(value.path(PAYLOAD_KEY).asText());
        }
        return Optional.of(value.isTextual() ? value.asText() : value.toString());
    }

    private List<Part> content(JsonNode message) {
        List<Part> parts = new ArrayList<>();
        String text = message.path("text").asText("");
        if (!text.isEmpty()) {
            parts.add(Text.plain(text));
        }
        for (JsonNode attachment : message.path("attachments")) {
            parts.add(attachment(attachment));
        }
        JsonNode geo = message.get("geo");
        if (geo != null && geo.path("coordinates").isObject()) {
            JsonNode c = geo.get("coordinates");
            double lat = c.path("latitude").asDouble(Double.NaN);
            double lon = c.path("longitude").asDouble(Double.NaN);
            if (!Double.isNaN(lat) && !Double.isNaN(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
                Optional<String> title = text(geo.path("place"), "title");
                parts.add(new Location(lat, lon, title, text(geo.path("place"), "city")));
            }
        }
        return parts;
    }

    private Part attachment(JsonNode attachment) {
        String type = attachment.path("type").asText("");
        JsonNode body = attachment.path(type);
        switch (type) {
            case "photo": {
                String url = largestPhoto(body);
                return media(MediaKind.IMAGE, "image/jpeg", fileId(type, body, url), Optional.empty(), body);
            }
            case "doc": {
                String ext = body.path("ext").asText("");
                String title = body.path("title").asText("");
                return media(MediaKind.FILE, mimeForExtension(ext), fileId(type, body, body.path("url").asText("")),
                        title.isEmpty() ? Optional.empty() : Optional.of(title), body);
            }
            case "audio_message":
                return media(MediaKind.VOICE, "audio/ogg",
                        fileId("doc", body, body.path("link_ogg").asText(body.path("link_mp3").asText(""))),
                        Optional.empty(), body);
            case "audio":
                return media(MediaKind.AUDIO, "audio/mpeg", fileId(type, body, body.path("url").asText("")),
                        Optional.empty(), body);
            case "video":
                return media(MediaKind.VIDEO, "video/mp4", fileId(type, body, ""), Optional.empty(), body);
            case "sticker": {
                String url = "";
                for (JsonNode image : body.path("images")) {
                    url = image.path("url").asText(url);
                }
                return media(MediaKind.STICKER, "image/png",
                        "sticker" + body.path("sticker_id").asLong() + "#" + url, Optional.empty(), body);
            }
            default:
                return Text.plain("[VK " + (type.isEmpty() ? "attachment" : type.replace('_', ' ')) + "]");
        }
    }

    private Media media(MediaKind kind, String mime, String fileId, Optional<String> name, JsonNode body) {
        OptionalLong size = body.path("size").canConvertToLong() && body.path("size").isIntegralNumber()
                ? OptionalLong.of(body.path("size").asLong()) : OptionalLong.empty();
        return new Media(kind, mime, name, size, new MediaSource.PlatformFile(channel, fileId), Optional.empty());
    }

    /**
     * A received file's id: VK's attachment string ({@code photo<owner>_<id>[_<access_key>]}, which the channel can
     * send again as it is) and, after {@code #}, the URL to fetch its bytes from.
     */
    static String fileId(String type, JsonNode body, String url) {
        StringBuilder sb = new StringBuilder(type).append(body.path("owner_id").asLong()).append('_')
                .append(body.path("id").asLong());
        String key = body.path("access_key").asText("");
        if (!key.isEmpty()) {
            sb.append('_').append(key);
        }
        return sb.append('#').append(url).toString();
    }

    private static String largestPhoto(JsonNode photo) {
        String url = photo.path("orig_photo").path("url").asText("");
        if (!url.isEmpty()) {
            return url;
        }
        long best = -1;
        for (JsonNode size : photo.path("sizes")) {
            long area = size.path("width").asLong(0) * size.path("height").asLong(0);
            if (area >= best && size.path("url").isTextual()) {
                best = area;
                url = size.path("url").asText();
            }
        }
        return url;
    }

    static String mimeForExtension(String ext) {
        return switch (ext.toLowerCase(Locale.ROOT)) {
            case "pdf" -> "application/pdf";
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            case "txt" -> "text/plain";
            case "zip" -> "application/zip";
            case "doc" -> "application/msword";
            case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            case "ogg" -> "audio/ogg";
            case "mp3" -> "audio/mpeg";
            case "mp4" -> "video/mp4";
            default -> "application/octet-stream";
        };
    }

    private ChannelAccount account(long userId, Optional<String> language) {
        return ChannelAccount.of(tenant, channel, Long.toString(userId),
                new Profile(Optional.empty(), Optional.empty(), language, Optional.empty()));
    }

    /** The message's {@code id}, or {@code <peer>:<conversation_message_id>} where VK gives no id (chats). */
    static String messageId(JsonNode message) {
        long id = message.path("id").asLong(0);
        if (id > 0) {
            return Long.toString(id);
        }
        return message.path("peer_id").asLong() + ":" + message.path("conversation_message_id").asLong();
    }

    private Instant date(JsonNode seconds) {
        return seconds.canConvertToLong() && seconds.asLong() > 0 ? Instant.ofEpochSecond(seconds.asLong())
                : clock.instant();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.asText("").isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static long requireLong(JsonNode node, String field) {
        OptionalLong v = longValue(node.path(field));
        if (v.isEmpty()) {
            throw new MalformedEvent("no " + field);
        }
        return v.getAsLong();
    }

    private static OptionalLong longValue(JsonNode node) {
        if (node.isIntegralNumber()) {
            return OptionalLong.of(node.asLong());
        }
        if (node.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(node.asText().trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** An event that lacks what its type requires. */
    private static final class MalformedEvent extends RuntimeException {
        MalformedEvent(String message) {
            super(message, null, false, false);
        }
    }
}
