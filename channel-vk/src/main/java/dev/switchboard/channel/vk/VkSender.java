package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.DepartureSpacing;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Card;
import dev.switchboard.content.Choice;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.render.Bubble;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * Turns one rendered {@link Bubble} into one {@code messages.send} (after the upload flow for photos and documents),
 * with a {@code random_id} derived from the outbox row's idempotency key so that VK shows a retried send once, a
 * keyboard fitted to the customer's client ({@code client_info}: inline, else standard, else the choices as a numbered
 * list in the text), carousels as a {@code template} (see {@link VkCarousel}), and {@code reply_to}. Customers who denied messages (message_deny, errors 901 and 902) are refused
 * without calling VK until they allow messages again. The receipt's id is VK's message id.
 */
final class VkSender {
    static final int MAX_TEXT = 9000;
    static final int MAX_INLINE_BUTTONS = 10;
    static final int MAX_STANDARD_BUTTONS = 40;
    static final int MAX_LABEL = VkButtons.MAX_LABEL;

    private final VkApi api;
    private final VkConfig config;
    private final ChannelHealthTracker health;
    private final Clock clock;
    private final Function<Long, VkClientInfo> clients;
    private final VkAccounts accounts;

    VkSender(VkApi api, VkConfig config, ChannelHealthTracker health, Clock clock,
             Function<Long, VkClientInfo> clients, VkAccounts accounts) {
        this.api = api;
        this.config = config;
        this.health = health;
        this.clock = clock;
        this.clients = clients;
        this.accounts = accounts;
    }

    CompletableFuture<SendReceipt> send(OutboundMessage message) {
        long peer;
        try {
            peer = Long.parseLong(message.recipient().platformUserId());
        } catch (NumberFormatException e) {
            return CompletableFuture.failedFuture(VkApiError.invalid("recipient '"
                    + message.recipient().platformUserId() + "' is not a VK user id"));
        }
        try {
            if (accounts.denied(peer)) {
                return CompletableFuture.failedFuture(VkApiError.denied(Long.toString(peer)));
            }
        } catch (VkApiError e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("peer_id", Long.toString(peer));
        params.put("random_id", Integer.toString(RandomIds.of(config.groupId(), message.idempotencyKey())));
        message.replyToPlatformMessageId().filter(id -> id.chars().allMatch(Character::isDigit))
                .ifPresent(id -> params.put("reply_to", id));
        CompletableFuture<Map<String, String>> prepared;
        try {
            prepared = prepare(message.bubble(), peer, params);
        } catch (VkApiError e) {
            return CompletableFuture.failedFuture(e);
        }
        // a campaign's marketing message departs in the bulk lane; a reply does not wait behind it
        DepartureSpacing.Lane lane = message.marketing().isPresent() ? DepartureSpacing.Lane.BULK
                : DepartureSpacing.Lane.URGENT;
        return prepared.thenCompose(p -> api.call("messages.send", p, lane))
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw observe(peer, unwrap(failure));
                    }
                    if (!response.canConvertToLong()) {
                        throw VkApiError.malformed("messages.send", 200, "response is not a message id");
                    }
                    health.sent();
                    return new SendReceipt(Long.toString(response.asLong()), clock.instant());
                });
    }

    private RuntimeException observe(long peer, Throwable failure) {
        if (failure instanceof VkApiError e) {
            if (e.errorCode() == VkApiError.NO_PERMISSION || e.errorCode() == VkApiError.PRIVACY) {
                accounts.permission(peer, false);
            } else if (e.failure().kind() == dev.switchboard.channel.FailureKind.RATE_LIMITED) {
                health.degraded(ChannelHealth.Problem.RATE_LIMITED, e.failure().description(),
                        e.failure().retryAfter().map(d -> clock.instant().plus(d)));
            } else if (e.isAuthFailure()) {
                health.down(ChannelHealth.Problem.BAD_CREDENTIALS, "VK refused the community access token "
                        + "(error 5)");
            }
            return e;
        }
        return failure instanceof RuntimeException r ? r : new CompletionException(failure);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private CompletableFuture<Map<String, String>> prepare(Bubble bubble, long peer, Map<String, String> params) {
        if (bubble instanceof Bubble.TextBubble text) {
            return CompletableFuture.completedFuture(text(text, peer, params));
        }
        if (bubble instanceof Bubble.MediaBubble media) {
            media.formattedCaption().filter(c -> !c.isBlank()).ifPresent(c -> params.put("message", checked(c)));
            return attachment(media.media(), peer).thenApply(a -> {
                params.put("attachment", a);
                return params;
            });
        }
        if (bubble instanceof Bubble.CardsBubble cards) {
            return carousel(cards, peer, params);
        }
        if (bubble instanceof Bubble.LocationBubble location) {
            Location l = location.location();
            params.put("lat", Double.toString(l.latitude()));
            params.put("long", Double.toString(l.longitude()));
            l.name().ifPresent(n -> params.put("message", checked(n + l.address().map(a -> "\n" + a).orElse(""))));
            return CompletableFuture.completedFuture(params);
        }
        ContactCard card = ((Bubble.ContactBubble) bubble).card();
        params.put("message", checked(card.plainText()));
        return CompletableFuture.completedFuture(params);
    }

    /**
     * A carousel ({@code template}): each card's image goes through the photo upload flow first, one after another
     * in card order, then one {@code messages.send} carries the template and the prompt as {@code message}.
     */
    private CompletableFuture<Map<String, String>> carousel(Bubble.CardsBubble bubble, long peer,
                                                            Map<String, String> params) {
        bubble.formattedPrompt().filter(p -> !p.isBlank()).ifPresent(p -> params.put("message", checked(p)));
        CompletableFuture<List<Optional<String>>> photos = CompletableFuture.completedFuture(new ArrayList<>());
        for (Card card : bubble.cards().cards()) {
            photos = photos.thenCompose(ids -> card.image()
                    .map(image -> attachment(image, peer).thenApply(VkCarousel::photoId).thenApply(Optional::of))
                    .orElse(CompletableFuture.completedFuture(Optional.empty()))
                    .thenApply(id -> {
                        ids.add(id);
                        return ids;
                    }));
        }
        return photos.thenApply(ids -> {
            params.put("template", VkCarousel.template(api.json(), bubble.cards(), ids, clients.apply(peer))
                    .toString());
            return params;
        });
    }

    private Map<String, String> text(Bubble.TextBubble bubble, long peer, Map<String, String> params) {
        String text = bubble.formatted();
        List<Choice> buttons = bubble.buttons();
        if (!buttons.isEmpty()) {
            VkClientInfo client = clients.apply(peer);
            Optional<ObjectNode> keyboard = keyboard(buttons, client);
            if (keyboard.isPresent()) {
                params.put("keyboard", keyboard.get().toString());
            } else {
                // the customer's client shows no keyboards: the choices go into the text
                StringBuilder sb = new StringBuilder(text);
                for (int i = 0; i < buttons.size(); i++) {
                    sb.append(i == 0 ? "\n\n" : "\n").append(i + 1).append(". ").append(buttons.get(i).label());
                }
                text = sb.toString();
            }
        }
        if (text.isBlank()) {
            throw VkApiError.invalid("messages.send: text is empty; VK rejects messages without text or attachment");
        }
        params.put("message", checked(text));
        return params;
    }

    private static String checked(String text) {
        if (text.length() > MAX_TEXT) {
            throw VkApiError.invalid("messages.send: text is " + text.length() + " characters, over VK's "
                    + MAX_TEXT + " (error 914); render it with the channel's capabilities() to split it");
        }
        return text;
    }

    /**
     * The keyboard for {@code client}: inline with callback buttons when it has inline keyboards (10 buttons at
     * most, the renderer never produces more), else a one-time standard keyboard of text buttons carrying the
     * payload (40 at most); empty when it shows no keyboards at all.
     */
    Optional<ObjectNode> keyboard(List<Choice> choices, VkClientInfo client) {
        boolean inline = client.inlineKeyboard() && choices.size() <= MAX_INLINE_BUTTONS;
        if (!inline && !(client.keyboard() && choices.size() <= MAX_STANDARD_BUTTONS)) {
            return Optional.empty();
        }
        boolean callback = inline && client.supports("callback");
        ObjectNode keyboard = api.json().createObjectNode();
        if (inline) {
            keyboard.put("inline", true);
        } else {
            keyboard.put("one_time", true);
        }
        ArrayNode rows = keyboard.putArray("buttons");
        int perRow = inline ? (choices.size() <= 6 ? 1 : 2) : (choices.size() <= 10 ? 1 : 4);
        ArrayNode row = null;
        for (int i = 0; i < choices.size(); i++) {
            if (i % perRow == 0) {
                row = rows.addArray();
            }
            VkButtons.fill(api.json(), row.addObject(), choices.get(i), client, callback, i == 0);
        }
        return Optional.of(keyboard);
    }

    private CompletableFuture<String> attachment(Media media, long peer) {
        MediaSource source = media.source();
        if (source instanceof MediaSource.PlatformFile file) {
            if (!ChannelFiles.isOwn(config.channelId(), file)) {
                throw VkApiError.invalid("messages.send: file " + file.fileId() + " belongs to channel "
                        + file.channel() + ", not " + config.channelId());
            }
            String id = file.fileId();
            int hash = id.indexOf('#');
            return CompletableFuture.completedFuture(hash < 0 ? id : id.substring(0, hash));
        }
        CompletableFuture<byte[]> bytes;
        if (source instanceof MediaSource.Inline inline) {
            bytes = CompletableFuture.completedFuture(inline.bytes());
        } else {
            HttpUrl url = HttpUrl.parse(((MediaSource.Url) source).uri().toString());
            if (url == null) {
                throw VkApiError.invalid("messages.send: media URL " + ((MediaSource.Url) source).uri()
                        + " is not http(s); VK attaches only uploaded files");
            }
            bytes = api.download(url).thenApply(VkApi.Downloaded::bytes);
        }
        String name = media.fileName().orElse(media.kind() == MediaKind.IMAGE ? "photo.jpg" : "file");
        if (media.kind() == MediaKind.IMAGE) {
            return bytes.thenCompose(b -> uploadPhoto(peer, name, media.mimeType(), b));
        }
        String docType = media.kind() == MediaKind.VOICE ? "audio_message" : "doc";
        return bytes.thenCompose(b -> uploadDoc(peer, docType, name, media.mimeType(), b));
    }

    /** photos.getMessagesUploadServer, upload as {@code photo}, photos.saveMessagesPhoto. */
    private CompletableFuture<String> uploadPhoto(long peer, String name, String mime, byte[] bytes) {
        return api.call("photos.getMessagesUploadServer", Map.of("peer_id", Long.toString(peer)))
                .thenCompose(server -> api.upload("photo upload", uploadUrl(server), "photo", name, mime, bytes))
                .thenCompose(uploaded -> api.call("photos.saveMessagesPhoto", Map.of(
                        "server", uploaded.path("server").asText(),
                        "photo", uploaded.path("photo").asText(),
                        "hash", uploaded.path("hash").asText())))
                .thenApply(saved -> {
                    JsonNode photo = saved.path(0);
                    if (!photo.path("id").canConvertToLong()) {
                        throw VkApiError.malformed("photos.saveMessagesPhoto", 200, "no photo in the answer");
                    }
                    String key = photo.path("access_key").asText("");
                    return "photo" + photo.path("owner_id").asLong() + "_" + photo.path("id").asLong()
                            + (key.isEmpty() ? "" : "_" + key);
                });
    }

    /** docs.getMessagesUploadServer, upload as {@code file}, docs.save. */
    private CompletableFuture<String> uploadDoc(long peer, String type, String name, String mime, byte[] bytes) {
        return api.call("docs.getMessagesUploadServer", Map.of("peer_id", Long.toString(peer), "type", type))
                .thenCompose(server -> api.upload("document upload", uploadUrl(server), "file", name, mime, bytes))
                .thenCompose(uploaded -> {
                    if (!uploaded.path("file").isTextual()) {
                        throw VkApiError.malformed("document upload", 200, "no file in the answer: "
                                + uploaded.path("error").asText(""));
                    }
                    return api.call("docs.save", Map.of("file", uploaded.path("file").asText(), "title", name));
                })
                .thenApply(saved -> {
                    String kind = saved.path("type").asText("doc");
                    JsonNode doc = saved.path(kind);
                    if (!doc.path("id").canConvertToLong()) {
                        throw VkApiError.malformed("docs.save", 200, "no document in the answer");
                    }
                    return "doc" + doc.path("owner_id").asLong() + "_" + doc.path("id").asLong();
                });
    }

    private static HttpUrl uploadUrl(JsonNode server) {
        HttpUrl url = HttpUrl.parse(server.path("upload_url").asText(""));
        if (url == null) {
            throw VkApiError.malformed("getMessagesUploadServer", 200, "no upload_url in the answer");
        }
        return url;
    }
}
