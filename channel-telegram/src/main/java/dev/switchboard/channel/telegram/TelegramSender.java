package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.DepartureSpacing;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Choice;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.render.Bubble;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one rendered {@link Bubble} into exactly one Bot API call (sendMessage, sendPhoto, sendDocument, sendVideo,
 * sendAudio, sendVoice, sendSticker, sendLocation, sendVenue, sendContact), by URL, file_id or multipart upload, and
 * the answer into a {@link SendReceipt} whose id is {@code <chat_id>:<message_id>}. A 400 with
 * {@code migrate_to_chat_id} (a group became a supergroup) is followed once and remembered.
 */
final class TelegramSender {
    static final int MAX_TEXT = 4096;
    static final int MAX_CAPTION = 1024;
    static final long MAX_PHOTO_UPLOAD = 10L * 1024 * 1024;
    static final long MAX_FILE_UPLOAD = 50L * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(TelegramSender.class);

    private final BotApi api;
    private final ChannelId channel;
    private final CallbackData callbackData;
    private final GroupPacer groupPacer;
    private final Clock clock;
    private final Map<Long, Long> migratedChats = new ConcurrentHashMap<>();

    TelegramSender(BotApi api, ChannelId channel, CallbackData callbackData, GroupPacer groupPacer, Clock clock) {
        this.api = api;
        this.channel = channel;
        this.callbackData = callbackData;
        this.groupPacer = groupPacer;
        this.clock = clock;
    }

    /** A prepared call: method, parameters, and the file to upload when there is one. */
    private record Call(String method, ObjectNode params, Optional<Upload> upload) {
    }

    private record Upload(String field, String fileName, String mimeType, byte[] bytes) {
    }

    CompletableFuture<SendReceipt> send(OutboundMessage message) {
        long chatId;
        try {
            chatId = Long.parseLong(message.recipient().platformUserId());
        } catch (NumberFormatException e) {
            return CompletableFuture.failedFuture(BotApiError.invalid("recipient '"
                    + message.recipient().platformUserId() + "' is not a Telegram chat id"));
        }
        long target = migratedChats.getOrDefault(chatId, chatId);
        return attempt(message, target, true);
    }

    private CompletableFuture<SendReceipt> attempt(OutboundMessage message, long chatId, boolean mayMigrate) {
        Call call;
        try {
            call = prepare(message, chatId);
        } catch (BotApiError e) {
            return CompletableFuture.failedFuture(e);
        }
        long delay = groupPacer.reserveDelayNanos(chatId);
        CompletableFuture<JsonNode> result;
        if (delay > 0) {
            Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS);
            result = CompletableFuture.supplyAsync(() -> call, later).thenCompose(c -> execute(c, lane(message)));
        } else {
            result = execute(call, lane(message));
        }
        return result.handle((json, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(receipt(json, chatId));
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (mayMigrate && cause instanceof BotApiError && ((BotApiError) cause).migrateToChatId().isPresent()) {
                long newChat = ((BotApiError) cause).migrateToChatId().getAsLong();
                log.info("Telegram channel {}: chat {} migrated to supergroup {}; resending there", channel,
                        chatId, newChat);
                migratedChats.put(chatId, newChat);
                return attempt(message, newChat, false);
            }
            return CompletableFuture.<SendReceipt>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** A campaign's marketing message departs in the bulk lane; anything else (a reply) does not wait behind it. */
    private static DepartureSpacing.Lane lane(OutboundMessage message) {
        return message.marketing().isPresent() ? DepartureSpacing.Lane.BULK : DepartureSpacing.Lane.URGENT;
    }

    private CompletableFuture<JsonNode> execute(Call call, DepartureSpacing.Lane lane) {
        if (call.upload().isEmpty()) {
            return api.call(call.method(), call.params(), lane).result;
        }
        Upload up = call.upload().get();
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = call.params().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        return api.upload(call.method(), fields, up.field(), up.fileName(), up.mimeType(), up.bytes(), lane).result;
    }

    private SendReceipt receipt(JsonNode result, long chatId) {
        JsonNode chat = result.path("chat").path("id");
        String chatPart = chat.isIntegralNumber() ? chat.asText() : Long.toString(chatId);
        JsonNode messageId = result.path("message_id");
        if (!messageId.isIntegralNumber()) {
            throw BotApiError.malformed("send", 200, "answer has no message_id");
        }
        return new SendReceipt(chatPart + ":" + messageId.asText(), clock.instant());
    }

    private Call prepare(OutboundMessage message, long chatId) {
        Bubble bubble = message.bubble();
        ObjectNode p = api.json().createObjectNode();
        p.put("chat_id", chatId);
        message.replyToPlatformMessageId().ifPresent(reply -> replyParameters(p, reply, chatId));
        if (bubble instanceof Bubble.TextBubble) {
            return text((Bubble.TextBubble) bubble, p);
        }
        if (bubble instanceof Bubble.MediaBubble) {
            return media((Bubble.MediaBubble) bubble, p);
        }
        if (bubble instanceof Bubble.LocationBubble) {
            Location l = ((Bubble.LocationBubble) bubble).location();
            p.put("latitude", l.latitude());
            p.put("longitude", l.longitude());
            if (l.name().isPresent() && l.address().isPresent()) {
                p.put("title", l.name().get());
                p.put("address", l.address().get());
                return new Call("sendVenue", p, Optional.empty());
            }
            return new Call("sendLocation", p, Optional.empty());
        }
        if (bubble instanceof Bubble.CardsBubble) {
            // Telegram declares no cards, so only a direct send() gets here: its text rather than a failure
            p.put("text", bubble.plain());
            return new Call("sendMessage", p, Optional.empty());
        }
        ContactCard card = ((Bubble.ContactBubble) bubble).card();
        if (card.phone().isEmpty()) {
            p.put("text", card.plainText());
            return new Call("sendMessage", p, Optional.empty());
        }
        p.put("phone_number", card.phone().get());
        p.put("first_name", card.name().isBlank() ? card.phone().get() : card.name());
        return new Call("sendContact", p, Optional.empty());
    }

    private Call text(Bubble.TextBubble bubble, ObjectNode p) {
        if (bubble.formatted().isBlank()) {
            throw BotApiError.invalid("sendMessage: text is empty; Telegram rejects empty messages");
        }
        if (bubble.plain().length() > MAX_TEXT) {
            throw BotApiError.invalid("sendMessage: text is " + bubble.plain().length() + " UTF-16 units, over "
                    + "Telegram's " + MAX_TEXT + "; render it with the channel's capabilities() to split it");
        }
        p.put("text", bubble.formatted());
        parseMode(bubble.markup()).ifPresent(mode -> p.put("parse_mode", mode));
        if (!bubble.buttons().isEmpty()) {
            p.set("reply_markup", keyboard(bubble.buttons()));
        }
        return new Call("sendMessage", p, Optional.empty());
    }

    private ObjectNode keyboard(List<Choice> choices) {
        ObjectNode markup = api.json().createObjectNode();
        boolean sharePhone = choices.stream().anyMatch(c -> c.action() instanceof Choice.SharePhone);
        if (sharePhone) {
            // request_contact exists only on reply keyboards, which cannot carry callback data: every choice becomes
            // a keyboard button whose label comes back as text.
            ArrayNode rows = markup.putArray("keyboard");
            for (Choice c : choices) {
                ObjectNode button = rows.addArray().addObject().put("text", c.label());
                if (c.action() instanceof Choice.SharePhone) {
                    button.put("request_contact", true);
                }
            }
            markup.put("one_time_keyboard", true);
            markup.put("resize_keyboard", true);
            return markup;
        }
        ArrayNode rows = markup.putArray("inline_keyboard");
        for (Choice c : choices) {
            ObjectNode button = rows.addArray().addObject().put("text", c.label());
            if (c.action() instanceof Choice.OpenLink) {
                button.put("url", ((Choice.OpenLink) c.action()).uri().toString());
            } else {
                button.put("callback_data", callbackData.encode(((Choice.Postback) c.action()).payload()));
            }
        }
        return markup;
    }

    private Call media(Bubble.MediaBubble bubble, ObjectNode p) {
        Media media = bubble.media();
        String method;
        String field;
        switch (media.kind()) {
            case IMAGE:
                method = "sendPhoto";
                field = "photo";
                break;
            case AUDIO:
                method = "sendAudio";
                field = "audio";
                break;
            case VOICE:
                method = "sendVoice";
                field = "voice";
                break;
            case VIDEO:
                method = "sendVideo";
                field = "video";
                break;
            case STICKER:
                method = "sendSticker";
                field = "sticker";
                break;
            case FILE:
            default:
                method = "sendDocument";
                field = "document";
                break;
        }
        if (media.kind() != MediaKind.STICKER && bubble.formattedCaption().isPresent()
                && !bubble.formattedCaption().get().isBlank()) {
            p.put("caption", bubble.formattedCaption().get());
            parseMode(bubble.markup()).ifPresent(mode -> p.put("parse_mode", mode));
        }
        MediaSource source = media.source();
        if (source instanceof MediaSource.Url) {
            p.put(field, ((MediaSource.Url) source).uri().toString());
            return new Call(method, p, Optional.empty());
        }
        if (source instanceof MediaSource.PlatformFile) {
            MediaSource.PlatformFile file = (MediaSource.PlatformFile) source;
            if (!ChannelFiles.isOwn(channel, file)) {
                throw BotApiError.invalid(method + ": file_id belongs to channel " + file.channel()
                        + "; Telegram file ids are valid only for the bot that received them");
            }
            p.put(field, file.fileId());
            return new Call(method, p, Optional.empty());
        }
        MediaSource.Inline inline = (MediaSource.Inline) source;
        long limit = media.kind() == MediaKind.IMAGE ? MAX_PHOTO_UPLOAD : MAX_FILE_UPLOAD;
        if (inline.size() > limit) {
            throw BotApiError.invalid(method + ": upload of " + inline.size() + " bytes is over Telegram's "
                    + limit + "-byte limit for " + media.kind());
        }
        String name = media.fileName().orElse(field + extension(media.mimeType()));
        return new Call(method, p, Optional.of(new Upload(field, name, media.mimeType(), inline.bytes())));
    }

    private static String extension(String mime) {
        switch (mime) {
            case "image/jpeg":
                return ".jpg";
            case "image/png":
                return ".png";
            case "image/webp":
                return ".webp";
            case "audio/ogg":
                return ".ogg";
            case "audio/mpeg":
                return ".mp3";
            case "video/mp4":
                return ".mp4";
            case "application/pdf":
                return ".pdf";
            default:
                return "";
        }
    }

    private void replyParameters(ObjectNode p, String reply, long chatId) {
        int colon = reply.lastIndexOf(':');
        String chat = colon > 0 ? reply.substring(0, colon) : Long.toString(chatId);
        String mid = colon > 0 ? reply.substring(colon + 1) : reply;
        long messageId;
        long replyChat;
        try {
            messageId = Long.parseLong(mid);
            replyChat = Long.parseLong(chat);
        } catch (NumberFormatException e) {
            throw BotApiError.invalid("replyToPlatformMessageId '" + reply + "' is not <chat_id>:<message_id>");
        }
        ObjectNode rp = p.putObject("reply_parameters");
        rp.put("message_id", messageId);
        if (replyChat != chatId && migratedChats.getOrDefault(replyChat, replyChat) != chatId) {
            rp.put("chat_id", replyChat);
        }
        rp.put("allow_sending_without_reply", true);
    }

    static Optional<String> parseMode(Markup markup) {
        switch (markup) {
            case HTML:
                return Optional.of("HTML");
            case TELEGRAM_MARKDOWN_V2:
                return Optional.of("MarkdownV2");
            default:
                return Optional.empty();
        }
    }
}
