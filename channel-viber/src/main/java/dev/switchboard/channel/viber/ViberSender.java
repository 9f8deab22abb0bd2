package dev.switchboard.channel.viber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns one rendered {@link Bubble} into one {@code send_message} (a picture whose caption is over Viber's 120
 * characters also sends the caption as a text after it), with {@code sender.name} (and avatar) on every message,
 * {@code tracking_data} carrying the outbox part's idempotency key, and a keyboard whose {@code min_api_version} is
 * what its buttons need (3 for share-phone, else 1); a customer whose client is older gets the choices as the
 * standard renderer's numbered list instead, and a reply "2" maps back to the postback. Bodies over 30 KB and texts
 * over 7,000 characters are refused without calling Viber. Customers who unsubscribed are refused without calling
 * Viber; Viber's status 5/6 marks them so. The receipt's id is Viber's {@code message_token}. The welcome message of
 * {@code conversation_started} is built here too ({@link #welcomeBody}), without a receiver.
 */
final class ViberSender {
    static final int MAX_TEXT = 7000;
    static final int MAX_BODY_BYTES = 30 * 1024;
    static final int MAX_PICTURE_TEXT = 120;
    static final int MAX_BUTTONS = 24;
    static final int MAX_LABEL = 250;
    static final int MAX_TRACKING_DATA = 4096;
    static final int SHARE_PHONE_API_VERSION = 3;

    private final ViberApi api;
    private final ViberConfig config;
    private final ViberAccounts accounts;
    private final ChannelHealthTracker health;
    private final Clock clock;
    private final Capabilities numberedOnly;

    ViberSender(ViberApi api, ViberConfig config, ViberAccounts accounts, ChannelHealthTracker health, Clock clock,
                Capabilities capabilities) {
        this.api = api;
        this.config = config;
        this.accounts = accounts;
        this.health = health;
        this.clock = clock;
        this.numberedOnly = Capabilities.builder().maxTextLength(capabilities.maxTextLength(),
                capabilities.textLengthUnit()).markup(capabilities.markup()).buttons(0, 0).build();
    }

    CompletableFuture<SendReceipt> send(OutboundMessage message) {
        String user = message.recipient().platformUserId();
        Prepared prepared;
        try {
            if (accounts.unsubscribed(user)) {
                return CompletableFuture.failedFuture(ViberApiError.unsubscribed(user));
            }
            prepared = prepare(message.bubble(), user);
        } catch (ViberApiError e) {
            return CompletableFuture.failedFuture(e);
        }
        ObjectNode body = prepared.body();
        body.put("receiver", user);
        String tracking = message.idempotencyKey();
        if (tracking.length() <= MAX_TRACKING_DATA) {
            body.put("tracking_data", tracking);
        }
        byte[] bytes;
        try {
            bytes = checkedSize(body);
        } catch (ViberApiError e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<JsonNode> sent;
        if (prepared.precedingText().isPresent()) {
            // a carousel's prompt: Viber's rich media has no text of its own, so the prompt goes just before it
            ObjectNode prompt = base("text").put("text", prepared.precedingText().get()).put("receiver", user);
            sent = api.call("send_message", prompt).thenCompose(first -> api.call("send_message", bytes));
        } else {
            sent = api.call("send_message", bytes);
        }
        if (prepared.followingText().isPresent()) {
            // the picture's caption did not fit Viber's 120 characters: it follows as a text message
            ObjectNode caption = base("text").put("text", prepared.followingText().get()).put("receiver", user);
            sent = sent.thenCompose(first -> api.call("send_message", caption).thenApply(second -> first));
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                throw observe(user, prepared.minApiVersion(), unwrap(failure));
            }
            Optional<String> token = ViberInboundMapper.token(response.path("message_token"));
            if (token.isEmpty()) {
                throw ViberApiError.malformed("send_message", 200, "no message_token in the answer");
            }
            if (prepared.offered() != null) {
                accounts.offered(user, prepared.offered(), prepared.sharePhone());
            }
            health.sent();
            return new SendReceipt(token.get(), clock.instant());
        });
    }

    /** The welcome message for {@code conversation_started}: a send_message body without receiver, or empty. */
    Optional<byte[]> welcomeBody(RenderedMessage rendered, ViberConversationStart start) {
        if (rendered.bubbles().isEmpty()) {
            return Optional.empty();
        }
        Prepared prepared = prepare(rendered.bubbles().get(0), start.account().platformUserId(), start.apiVersion());
        if (prepared.offered() != null) {
            accounts.offered(start.account().platformUserId(), prepared.offered(), prepared.sharePhone());
        }
        return Optional.of(checkedSize(prepared.body()));
    }

    private byte[] checkedSize(ObjectNode body) {
        byte[] bytes;
        try {
            bytes = api.json().writeValueAsBytes(body);
        } catch (IOException e) {
            throw ViberApiError.invalid("send_message: cannot write JSON: " + e);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ViberApiError.invalid("send_message: the request is " + bytes.length + " bytes, over Viber's "
                    + MAX_BODY_BYTES + " (30 KB)");
        }
        return bytes;
    }

    private RuntimeException observe(String user, int minApiVersion, Throwable failure) {
        if (failure instanceof ViberApiError e) {
            if (e.isRecipientGone()) {
                accounts.subscription(user, false);
            } else if (e.isApiVersionProblem()) {
                accounts.apiVersionTooLow(user, minApiVersion);
            } else if (e.isAccountProblem()) {
                health.down(e.status() == ViberApiError.WEBHOOK_NOT_SET ? ChannelHealth.Problem.WEBHOOK_NOT_SET
                        : e.status() == ViberApiError.INVALID_AUTH_TOKEN ? ChannelHealth.Problem.BAD_CREDENTIALS
                        : ChannelHealth.Problem.MISCONFIGURED, e.failure().description());
            } else if (e.failure().kind() == FailureKind.RATE_LIMITED) {
                health.degraded(ChannelHealth.Problem.RATE_LIMITED, e.failure().description(),
                        clock.instant().plusSeconds(1));
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

    /**
     * A send_message body without receiver, the lowest client API version it needs, the choices it offers (null when
     * it offers none: the customer's earlier choices stay), and a caption to send after it.
     */
    private record Prepared(ObjectNode body, int minApiVersion, Map<String, String> offered, boolean sharePhone,
                            Optional<String> followingText, Optional<String> precedingText) {
        Prepared(ObjectNode body, int minApiVersion, Map<String, String> offered, boolean sharePhone,
                 Optional<String> followingText) {
            this(body, minApiVersion, offered, sharePhone, followingText, Optional.empty());
        }
    }

    private Prepared prepare(Bubble bubble, String user) {
        return prepare(bubble, user, accounts.get(user).apiVersion());
    }

    private Prepared prepare(Bubble bubble, String user, int clientApiVersion) {
        if (bubble instanceof Bubble.TextBubble text) {
            return text(text, clientApiVersion);
        }
        if (bubble instanceof Bubble.MediaBubble media) {
            return media(media);
        }
        if (bubble instanceof Bubble.CardsBubble cards) {
            if (clientApiVersion < ViberRichMedia.API_VERSION) {
                // rendered for this customer's capabilities, cards arrive only for clients that show rich media
                throw ViberApiError.invalid("send_message: the customer's Viber client (API version "
                        + clientApiVersion + ") cannot show rich media; render with capabilities(recipient)");
            }
            ViberRichMedia.Built built = ViberRichMedia.build(cards.cards(), this::url);
            ObjectNode body = base("rich_media");
            body.set("rich_media", built.richMedia(api.json()));
            body.put("min_api_version", ViberRichMedia.API_VERSION);
            return new Prepared(body, ViberRichMedia.API_VERSION, built.offered(), false, Optional.empty(),
                    cards.formattedPrompt().filter(p -> !p.isBlank()).map(ViberSender::checked));
        }
        if (bubble instanceof Bubble.LocationBubble location) {
            Location l = location.location();
            ObjectNode body = base("location");
            body.putObject("location").put("lat", l.latitude()).put("lon", l.longitude());
            return new Prepared(body, 1, null, false, Optional.empty());
        }
        ContactCard card = ((Bubble.ContactBubble) bubble).card();
        if (card.phone().isEmpty()) {
            return new Prepared(base("text").put("text", checked(card.plainText())), 1, null, false,
                    Optional.empty());
        }
        ObjectNode body = base("contact");
        body.putObject("contact").put("name", card.name()).put("phone_number", card.phone().get());
        return new Prepared(body, 1, null, false, Optional.empty());
    }

    private Prepared text(Bubble.TextBubble bubble, int clientApiVersion) {
        List<Choice> buttons = bubble.buttons();
        if (buttons.isEmpty()) {
            return new Prepared(base("text").put("text", checked(nonBlank(bubble.formatted()))), 1, null, false,
                    Optional.empty());
        }
        boolean sharePhone = buttons.stream().anyMatch(c -> c.action() instanceof Choice.SharePhone);
        int needed = sharePhone ? SHARE_PHONE_API_VERSION : 1;
        if (clientApiVersion < needed || buttons.size() > MAX_BUTTONS) {
            // the customer's client cannot show this keyboard: the standard renderer's numbered list instead
            RenderedMessage numbered = Renderer.standard().render(Content.of(new Choices(
                    bubble.formatted().isBlank() ? Optional.empty() : Optional.of(Text.plain(bubble.formatted())),
                    buttons)), numberedOnly);
            String text = numbered.bubbles().stream().map(b -> ((Bubble.TextBubble) b).formatted())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
            return new Prepared(base("text").put("text", checked(nonBlank(text))), 1,
                    numbered.choiceMap().payloadByNumber(), false, Optional.empty());
        }
        ObjectNode body = base("text").put("text", checked(nonBlank(bubble.formatted())));
        Map<String, String> offered = new LinkedHashMap<>();
        ObjectNode keyboard = body.putObject("keyboard").put("Type", "keyboard").put("DefaultHeight", false);
        ArrayNode rows = keyboard.putArray("Buttons");
        for (Choice choice : buttons) {
            String label = choice.label().length() > MAX_LABEL ? choice.label().substring(0, MAX_LABEL)
                    : choice.label();
            ObjectNode button = rows.addObject().put("Columns", 6).put("Rows", 1).put("Text", label);
            if (choice.action() instanceof Choice.OpenLink link) {
                button.put("ActionType", "open-url").put("ActionBody", link.uri().toString());
            } else if (choice.action() instanceof Choice.SharePhone) {
                button.put("ActionType", "share-phone").put("ActionBody", "share-phone");
            } else {
                String payload = ((Choice.Postback) choice.action()).payload();
                // the button sends its action body back as the customer's message: the label, which the customer
                // then sees as their own words, and which maps back to the payload
                button.put("ActionType", "reply").put("ActionBody", label);
                offered.putIfAbsent(label, payload);
            }
        }
        body.put("min_api_version", needed);
        return new Prepared(body, needed, offered, sharePhone, Optional.empty());
    }

    private Prepared media(Bubble.MediaBubble bubble) {
        Media media = bubble.media();
        String url = url(media);
        Optional<String> caption = bubble.formattedCaption().filter(c -> !c.isBlank());
        if (media.kind() == MediaKind.IMAGE) {
            ObjectNode body = base("picture").put("media", url);
            boolean fits = caption.isPresent() && caption.get().length() <= MAX_PICTURE_TEXT;
            body.put("text", fits ? caption.get() : "");
            return new Prepared(body, 1, null, false, fits ? Optional.empty() : caption.map(ViberSender::checked));
        }
        if (media.kind() == MediaKind.STICKER && url.startsWith("sticker:")) {
            return new Prepared(base("sticker").put("sticker_id", Long.parseLong(url.substring(8))), 1, null, false,
                    caption.map(ViberSender::checked));
        }
        if (media.sizeBytes().isEmpty()) {
            // Viber requires the size of a video or file: without it, the file goes as a link
            return new Prepared(base("url").put("media", url), 1, null, false, caption.map(ViberSender::checked));
        }
        ObjectNode body = base(media.kind() == MediaKind.VIDEO ? "video" : "file").put("media", url)
                .put("size", media.sizeBytes().getAsLong());
        if (media.kind() != MediaKind.VIDEO) {
            body.put("file_name", media.fileName().orElse("file"));
        }
        return new Prepared(body, 1, null, false, caption.map(ViberSender::checked));
    }

    /** Viber sends media from URLs only: a URL, or a file this channel received (its URL). */
    private String url(Media media) {
        MediaSource source = media.source();
        if (source instanceof MediaSource.Url u) {
            return u.uri().toString();
        }
        if (source instanceof MediaSource.PlatformFile file) {
            if (!ChannelFiles.isOwn(config.channelId(), file)) {
                throw ViberApiError.invalid("send_message: file " + file.fileId() + " belongs to channel "
                        + file.channel() + ", not " + config.channelId());
            }
            return file.fileId();
        }
        throw ViberApiError.invalid("send_message: Viber sends media from a URL only; inline bytes of "
                + media.fileName().orElse(media.mimeType()) + " must be hosted first");
    }

    /** A body with the type and {@code sender} (name and avatar), which Viber requires on every message. */
    ObjectNode base(String type) {
        ObjectNode body = api.json().createObjectNode();
        ObjectNode sender = body.putObject("sender").put("name", config.senderName());
        config.senderAvatar().ifPresent(a -> sender.put("avatar", a));
        body.put("type", type);
        return body;
    }

    private static String nonBlank(String text) {
        if (text.isBlank()) {
            throw ViberApiError.invalid("send_message: text is empty; Viber rejects empty text messages");
        }
        return text;
    }

    private static String checked(String text) {
        if (text.length() > MAX_TEXT) {
            throw ViberApiError.invalid("send_message: text is " + text.length() + " characters, over Viber's "
                    + MAX_TEXT + "; render it with the channel's capabilities() to split it");
        }
        return text;
    }
}
