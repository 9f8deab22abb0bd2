package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.ContactCard;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns one Bot API {@code Update} into an {@link InboundEvent}, or says why it cannot (to be quarantined) or why it
 * is deliberately ignored. Pure and thread-safe apart from the callback-data map it reads.
 *
 * <p>Account: in a private chat the account is the sender ({@code from.id}); in groups it is the group chat
 * ({@code chat.id}, negative), because that is where replies must go. Platform message ids are
 * {@code <chat_id>:<message_id>} since Telegram numbers messages per chat.
 */
final class TelegramInboundMapper {
    /** Update types the channel asks for with allowed_updates and understands. */
    static final List<String> ALLOWED_UPDATES = List.of("message", "edited_message", "callback_query",
            "my_chat_member");

    static final String SOURCE_CONTACT = "telegram.contact";
    static final String SOURCE_FORWARDED_CONTACT = "telegram.contact.forwarded";
    /** A deep link's start parameter ({@code t.me/<bot>?start=<token>} arrives as {@code /start <token>}). */
    static final String SOURCE_START_LINK = "telegram.start";
    /** What Telegram allows in a start parameter: 1-64 of A-Z, a-z, 0-9, _ and -. */
    private static final java.util.regex.Pattern START_PARAMETER =
            java.util.regex.Pattern.compile("/start(?:@\\w+)? ([A-Za-z0-9_-]{1,64})\\s*");

    private static final List<String> UNSUPPORTED_CONTENT = List.of("poll", "dice", "game", "story", "invoice",
            "successful_payment", "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
            "pinned_message", "migrate_to_chat_id", "migrate_from_chat_id", "group_chat_created", "giveaway");

    private final ChannelId channel;
    private final TenantId tenant;
    private final CallbackData callbackData;
    private final Clock clock;

    TelegramInboundMapper(ChannelId channel, TenantId tenant, CallbackData callbackData, Clock clock) {
        this.channel = channel;
        this.tenant = tenant;
        this.callbackData = callbackData;
        this.clock = clock;
    }

    /** What became of one update. */
    sealed interface Outcome permits Mapped, Rejected, Ignored {
    }

    record Mapped(InboundEvent event) implements Outcome {
    }

    record Rejected(Optional<String> eventId, String reason) implements Outcome {
    }

    record Ignored(String eventId, String why) implements Outcome {
    }

    /** Thrown while mapping when a required field is missing or has the wrong type. */
    static final class BadUpdate extends RuntimeException {
        BadUpdate(String message) {
            super(message, null, false, false);
        }
    }

    /** The update_id of an update, when it has a usable one. */
    static OptionalLong updateId(JsonNode update) {
        JsonNode id = update == null ? null : update.get("update_id");
        return id != null && id.isIntegralNumber() && id.canConvertToLong() ? OptionalLong.of(id.asLong())
                : OptionalLong.empty();
    }

    Outcome map(JsonNode update) {
        if (update == null || !update.isObject()) {
            return new Rejected(Optional.empty(), "update is not a JSON object");
        }
        OptionalLong id = updateId(update);
        if (id.isEmpty()) {
            return new Rejected(Optional.empty(), "update has no integer update_id");
        }
        String eventId = Long.toString(id.getAsLong());
        try {
            if (update.has("message")) {
                return new Mapped(message(eventId, update.get("message")));
            }
            if (update.has("edited_message")) {
                return new Mapped(edited(eventId, update.get("edited_message")));
            }
            if (update.has("callback_query")) {
                return new Mapped(callback(eventId, update.get("callback_query")));
            }
            if (update.has("my_chat_member")) {
                return myChatMember(eventId, update.get("my_chat_member"));
            }
            return new Rejected(Optional.of(eventId), "unsupported update type " + typeOf(update)
                    + " (the channel asks only for " + ALLOWED_UPDATES + ")");
        } catch (BadUpdate e) {
            return new Rejected(Optional.of(eventId), "malformed update: " + e.getMessage());
        } catch (RuntimeException e) {
            // any other mapping error (a value our model refuses) must quarantine this update, never stall the ones
            // behind it: the poller would fetch the same batch forever, the webhook would answer 500 forever
            return new Rejected(Optional.of(eventId), "unmappable update: " + e);
        }
    }

    private static String typeOf(JsonNode update) {
        for (Iterator<String> it = update.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("update_id")) {
                return "'" + name + "'";
            }
        }
        return "(none)";
    }

    private InboundEvent message(String eventId, JsonNode message) {
        JsonNode chat = object(message, "chat");
        JsonNode from = message.path("from");
        ChannelAccount account = account(chat, from);
        Instant at = date(message, "date");
        String platformMessageId = messageId(chat, message);
        ThreadHints thread = ThreadHints.NONE;
        JsonNode reply = message.path("reply_to_message");
        if (reply.isObject() && reply.path("message_id").isIntegralNumber()) {
            thread = ThreadHints.replyTo(id(chat, "id") + ":" + reply.get("message_id").asText());
        }
        List<Evidence> evidence = new ArrayList<>();
        JsonNode contact = message.path("contact");
        if (contact.isObject() && isPrivate(chat) && contact.path("phone_number").isTextual()) {
            String phone = phone(contact.get("phone_number").asText());
            boolean own = contact.path("user_id").isIntegralNumber() && from.path("id").isIntegralNumber()
                    && contact.get("user_id").asLong() == from.get("id").asLong();
            ContactPoint point = new ContactPoint(ContactPoint.Kind.PHONE, phone);
            evidence.add(own ? Evidence.verified(point, SOURCE_CONTACT, at)
                    : Evidence.unverified(point, SOURCE_FORWARDED_CONTACT, at));
        }
        JsonNode text = message.path("text");
        if (isPrivate(chat) && text.isTextual()) {
            // a host-signed deep link: passed on as it came; the identity engine verifies it (signature, expiry,
            // tenant) and turns it into the host user id, or drops it
            java.util.regex.Matcher start = START_PARAMETER.matcher(text.asText());
            if (start.matches()) {
                evidence.add(Evidence.unverified(ContactPoint.signedLink(start.group(1)), SOURCE_START_LINK, at));
            }
        }
        return new InboundEvent.MessageReceived(eventId, account, at, platformMessageId, content(message), thread,
                evidence, from.path("is_bot").asBoolean(false));
    }

    private InboundEvent edited(String eventId, JsonNode message) {
        JsonNode chat = object(message, "chat");
        ChannelAccount account = account(chat, message.path("from"));
        Instant at = message.has("edit_date") ? date(message, "edit_date") : date(message, "date");
        return new InboundEvent.MessageEdited(eventId, account, at, messageId(chat, message), content(message));
    }

    private InboundEvent callback(String eventId, JsonNode query) {
        String queryId = text(query, "id");
        JsonNode from = object(query, "from");
        JsonNode message = query.path("message");
        // The message may be an InaccessibleMessage (date 0): chat and message_id are still there.
        JsonNode chat = message.path("chat");
        ChannelAccount account = account(chat.isObject() ? chat : null, from);
        Optional<String> platformMessageId = chat.isObject() && message.path("message_id").isIntegralNumber()
                ? Optional.of(messageId(chat, message)) : Optional.empty();
        String payload = query.path("data").isTextual() ? callbackData.decode(query.get("data").asText()) : "";
        return new InboundEvent.Postback(eventId, account, clock.instant(), payload, platformMessageId,
                Optional.of(queryId));
    }

    private Outcome myChatMember(String eventId, JsonNode update) {
        JsonNode chat = object(update, "chat");
        JsonNode from = object(update, "from");
        String status = object(update, "new_chat_member").path("status").asText("");
        ChannelAccount account = account(chat, from);
        Instant at = date(update, "date");
        InboundEvent.AccountUpdate.Kind kind;
        switch (status) {
            case "kicked":
            case "left":
                kind = InboundEvent.AccountUpdate.Kind.BLOCKED_US;
                break;
            case "member":
            case "administrator":
            case "creator":
                kind = InboundEvent.AccountUpdate.Kind.UNBLOCKED_US;
                break;
            default:
                return new Ignored(eventId, "my_chat_member status '" + status + "' changes nothing we track");
        }
        return new Mapped(new InboundEvent.AccountUpdate(eventId, account, at, kind, List.of()));
    }

    private ChannelAccount account(JsonNode chat, JsonNode from) {
        if (chat != null && chat.isObject() && !isPrivate(chat)) {
            String title = chat.path("title").asText("");
            Profile profile = new Profile(title.isBlank() ? Optional.empty() : Optional.of(title),
                    optionalText(chat, "username"), Optional.empty(), Optional.empty());
            return ChannelAccount.of(tenant, channel, id(chat, "id"), profile);
        }
        JsonNode user = from != null && from.isObject() ? from : chat;
        if (user == null || !user.isObject()) {
            throw new BadUpdate("no sender (from) and no chat");
        }
        String name = (user.path("first_name").asText("") + " " + user.path("last_name").asText("")).strip();
        Profile profile = new Profile(name.isEmpty() ? Optional.empty() : Optional.of(name),
                optionalText(user, "username"), optionalText(user, "language_code"), Optional.empty());
        return ChannelAccount.of(tenant, channel, id(user, "id"), profile);
    }

    private Content content(JsonNode message) {
        List<Part> parts = new ArrayList<>();
        if (message.path("text").isTextual()) {
            parts.add(Text.plain(message.get("text").asText()));
        }
        Optional<Text> caption = message.path("caption").isTextual()
                ? Optional.of(Text.plain(message.get("caption").asText())) : Optional.empty();
        media(message).ifPresent(m -> parts.add(caption.map(m::withCaption).orElse(m)));
        JsonNode contact = message.path("contact");
        if (contact.isObject()) {
            String name = (contact.path("first_name").asText("") + " " + contact.path("last_name").asText(""))
                    .strip();
            Optional<String> phone = contact.path("phone_number").isTextual()
                    ? Optional.of(phone(contact.get("phone_number").asText())) : Optional.empty();
            parts.add(new ContactCard(name, phone, Optional.empty()));
        }
        JsonNode venue = message.path("venue");
        JsonNode location = venue.isObject() ? venue.path("location") : message.path("location");
        if (location.isObject()) {
            double lat = location.path("latitude").asDouble(Double.NaN);
            double lon = location.path("longitude").asDouble(Double.NaN);
            if (Double.isNaN(lat) || Double.isNaN(lon)) {
                throw new BadUpdate("location without latitude/longitude");
            }
            try {
                parts.add(new Location(lat, lon, optionalText(venue, "title"), optionalText(venue, "address")));
            } catch (IllegalArgumentException e) {
                throw new BadUpdate(e.getMessage());
            }
        }
        if (parts.isEmpty()) {
            String kind = UNSUPPORTED_CONTENT.stream().filter(message::has).findFirst().orElse("unknown content");
            parts.add(Text.plain("[unsupported Telegram message: " + kind + "]"));
        }
        return new Content(parts);
    }

    private Optional<Media> media(JsonNode m) {
        JsonNode photo = m.path("photo");
        if (photo.isArray() && photo.size() > 0) {
            return Optional.of(media(MediaKind.IMAGE, photo.get(photo.size() - 1), "image/jpeg"));
        }
        if (m.path("animation").isObject()) {
            return Optional.of(media(MediaKind.VIDEO, m.get("animation"), "video/mp4"));
        }
        if (m.path("document").isObject()) {
            return Optional.of(media(MediaKind.FILE, m.get("document"), "application/octet-stream"));
        }
        if (m.path("voice").isObject()) {
            return Optional.of(media(MediaKind.VOICE, m.get("voice"), "audio/ogg"));
        }
        if (m.path("audio").isObject()) {
            return Optional.of(media(MediaKind.AUDIO, m.get("audio"), "audio/mpeg"));
        }
        if (m.path("video").isObject()) {
            return Optional.of(media(MediaKind.VIDEO, m.get("video"), "video/mp4"));
        }
        if (m.path("video_note").isObject()) {
            return Optional.of(media(MediaKind.VIDEO, m.get("video_note"), "video/mp4"));
        }
        if (m.path("sticker").isObject()) {
            JsonNode s = m.get("sticker");
            String mime = s.path("is_video").asBoolean(false) ? "video/webm"
                    : s.path("is_animated").asBoolean(false) ? "application/x-tgsticker" : "image/webp";
            return Optional.of(media(MediaKind.STICKER, s, mime));
        }
        return Optional.empty();
    }

    private Media media(MediaKind kind, JsonNode file, String defaultMime) {
        String fileId = text(file, "file_id");
        String mime = file.path("mime_type").isTextual() ? file.get("mime_type").asText() : defaultMime;
        OptionalLong size = file.path("file_size").canConvertToLong() && file.path("file_size").isIntegralNumber()
                ? OptionalLong.of(file.get("file_size").asLong()) : OptionalLong.empty();
        return new Media(kind, mime, optionalText(file, "file_name"), size,
                new MediaSource.PlatformFile(channel, fileId), Optional.empty());
    }

    /** Telegram may send phone numbers without the leading '+'; they are always international. */
    static String phone(String raw) {
        String s = raw.strip();
        return s.startsWith("+") ? s : "+" + s;
    }

    private static boolean isPrivate(JsonNode chat) {
        return chat == null || !chat.isObject() || chat.path("type").asText("private").equals("private");
    }

    private static String messageId(JsonNode chat, JsonNode message) {
        JsonNode mid = message.path("message_id");
        if (!mid.isIntegralNumber()) {
            throw new BadUpdate("message without integer message_id");
        }
        return id(chat, "id") + ":" + mid.asText();
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isObject()) {
            throw new BadUpdate("'" + field + "' missing or not an object");
        }
        return node;
    }

    private static String id(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new BadUpdate("'" + field + "' missing or not a 64-bit integer");
        }
        return Long.toString(node.asLong());
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new BadUpdate("'" + field + "' missing or not a string");
        }
        return node.asText();
    }

    private static Optional<String> optionalText(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static Instant date(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new BadUpdate("'" + field + "' missing or not a unix time");
        }
        long seconds = node.asLong();
        if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw new BadUpdate("'" + field + "' " + seconds + " is out of range for a unix time");
        }
        return Instant.ofEpochSecond(seconds);
    }
}
