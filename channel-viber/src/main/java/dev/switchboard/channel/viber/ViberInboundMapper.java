package dev.switchboard.channel.viber;

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
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Turns one Viber callback into an {@link InboundEvent}: {@code message} (text, picture, video, file, sticker, contact,
 * location, url; {@code tracking_data} kept as the attribute {@value #TRACKING_DATA}) into a received message, or into
 * a postback when its text is a choice the channel offered this customer (a keyboard button's action body, a number
 * of a degraded list); {@code conversation_started} into a profile update carrying the deep link's {@code context} as
 * unverified signed-link evidence (the identity engine verifies a host-signed one), not a subscription;
 * {@code subscribed}/{@code unsubscribed} into the account's permission; {@code delivered}/{@code seen}/{@code failed}
 * into delivery updates of our message. {@code client_status}, {@code action} and unknown events are ignored. The
 * event id of a message is its {@code message_token} (kept as text: tokens exceed 2^53), the same on Viber's resends.
 * No I/O; reads the customer's offered choices from {@link ViberAccounts}.
 */
final class ViberInboundMapper {
    /** The attribute holding the {@code tracking_data} that came back with a message. */
    static final String TRACKING_DATA = "viber.tracking_data";
    /** The attribute holding a deep link's {@code context}. */
    static final String CONTEXT = "viber.context";
    static final String SOURCE_CONTEXT = "viber.context";
    static final String SOURCE_SHARED_PHONE = "viber.share_phone";
    static final String SOURCE_CONTACT_CARD = "viber.contact";

    private final ChannelId channel;
    private final TenantId tenant;
    private final Clock clock;
    private final Function<String, ViberAccounts.Account> accounts;

    ViberInboundMapper(ChannelId channel, TenantId tenant, Clock clock,
                       Function<String, ViberAccounts.Account> accounts) {
        this.channel = channel;
        this.tenant = tenant;
        this.clock = clock;
        this.accounts = accounts;
    }

    /** What became of one callback. */
    sealed interface Outcome permits Mapped, Ignored, Rejected {
    }

    /**
     * An event for the inbox, with what the channel learns from it.
     *
     * @param user the customer's Viber id
     * @param wrote whether the customer wrote (opens the session window, shows a subscription)
     * @param apiVersion the customer's client API version, 0 when the callback does not say
     * @param subscription true/false for {@code subscribed}/{@code unsubscribed}
     * @param start present for {@code conversation_started}: the welcome message is answered for it
     */
    record Mapped(InboundEvent event, String user, boolean wrote, int apiVersion, Optional<Boolean> subscription,
                  Optional<ViberConversationStart> start) implements Outcome {
    }

    /** A callback with nothing for the inbox. */
    record Ignored(String why) implements Outcome {
    }

    /** A callback that can never become an event (no sender, no token): quarantine it. */
    record Rejected(Optional<String> eventId, String reason) implements Outcome {
    }

    Outcome map(JsonNode root) {
        if (root == null || !root.isObject()) {
            return new Rejected(Optional.empty(), "callback is not a JSON object");
        }
        String event = root.path("event").asText("");
        Optional<String> token = token(root.path("message_token"));
        Instant at = timestamp(root.path("timestamp"));
        try {
            return switch (event) {
                case "message" -> message(root, token.orElseThrow(() -> new Malformed("no message_token")), at);
                case "conversation_started" -> conversationStarted(root, token, at);
                case "subscribed" -> {
                    JsonNode user = root.path("user");
                    String id = require(user, "id");
                    yield new Mapped(new InboundEvent.AccountUpdate(token.orElse("subscribed:" + id + ":"
                            + at.toEpochMilli()), account(id, user), at, InboundEvent.AccountUpdate.Kind.SUBSCRIBED,
                            List.of()), id, false, user.path("api_version").asInt(0), Optional.of(true),
                            Optional.empty());
                }
                case "unsubscribed" -> {
                    String id = require(root, "user_id");
                    yield new Mapped(new InboundEvent.AccountUpdate(token.orElse("unsubscribed:" + id + ":"
                            + at.toEpochMilli()), account(id, null), at, InboundEvent.AccountUpdate.Kind.UNSUBSCRIBED,
                            List.of()), id, false, 0, Optional.of(false), Optional.empty());
                }
                case "delivered" -> delivery(root, token, at, DeliveryStatus.DELIVERED);
                case "seen" -> delivery(root, token, at, DeliveryStatus.READ);
                case "failed" -> delivery(root, token, at, DeliveryStatus.FAILED);
                case "client_status", "action", "webhook" -> new Ignored(event + " needs no action");
                default -> new Ignored("event " + (event.isEmpty() ? "without a name" : event)
                        + " is not handled by the channel");
            };
        } catch (Malformed e) {
            return new Rejected(token, (event.isEmpty() ? "callback" : event) + ": " + e.getMessage());
        }
    }

    private Outcome message(JsonNode root, String token, Instant at) {
        JsonNode sender = root.path("sender");
        String user = require(sender, "id");
        ChannelAccount account = account(user, sender);
        int apiVersion = sender.path("api_version").asInt(0);
        JsonNode message = root.path("message");
        String type = message.path("type").asText("");
        Map<String, String> attributes = new LinkedHashMap<>();
        text(message, "tracking_data").ifPresent(t -> attributes.put(TRACKING_DATA, t));
        ViberAccounts.Account known = accounts.apply(user);
        if (type.equals("text")) {
            String text = message.path("text").asText("");
            String payload = known.offeredChoices().get(text.strip());
            if (payload != null) {
                return new Mapped(new InboundEvent.Postback(token, account, at, payload, Optional.of(token),
                        Optional.empty()), user, true, apiVersion, Optional.empty(), Optional.empty());
            }
        }
        List<Evidence> evidence = new ArrayList<>();
        List<Part> parts = content(type, message, known, sender, evidence, at);
        InboundEvent.MessageReceived received = new InboundEvent.MessageReceived(token, account, at, token,
                new Content(parts), ThreadHints.NONE, evidence, false, attributes);
        return new Mapped(received, user, true, apiVersion, Optional.empty(), Optional.empty());
    }

    private List<Part> content(String type, JsonNode message, ViberAccounts.Account known, JsonNode sender,
                               List<Evidence> evidence, Instant at) {
        List<Part> parts = new ArrayList<>();
        String text = message.path("text").asText("");
        String media = message.path("media").asText("");
        Optional<String> fileName = text(message, "file_name");
        OptionalLong size = message.path("size").canConvertToLong() ? OptionalLong.of(message.path("size").asLong())
                : OptionalLong.empty();
        switch (type) {
            case "text" -> parts.add(Text.plain(text));
            case "picture" -> {
                parts.add(media(MediaKind.IMAGE, "image/jpeg", media, fileName, size));
                if (!text.isBlank()) {
                    parts.add(Text.plain(text));
                }
            }
            case "video" -> parts.add(media(MediaKind.VIDEO, "video/mp4", media, fileName, size));
            case "file" -> parts.add(media(MediaKind.FILE, mimeFor(fileName.orElse("")), media, fileName, size));
            case "sticker" -> parts.add(media(MediaKind.STICKER, "image/png",
                    media.isEmpty() ? "sticker:" + message.path("sticker_id").asText("") : media,
                    Optional.empty(), OptionalLong.empty()));
            case "url" -> parts.add(Text.plain(media.isEmpty() ? text : media));
            case "location" -> {
                JsonNode l = message.path("location");
                double lat = l.path("lat").asDouble(Double.NaN);
                double lon = l.path("lon").asDouble(Double.NaN);
                if (Double.isNaN(lat) || Double.isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
                    throw new Malformed("location without valid lat/lon");
                }
                parts.add(new Location(lat, lon, Optional.empty(), text(l, "address")));
            }
            case "contact" -> {
                JsonNode c = message.path("contact");
                String phone = phone(c.path("phone_number").asText(""));
                Optional<String> name = text(c, "name");
                parts.add(new ContactCard(name.orElse(phone.isEmpty() ? "contact" : phone),
                        phone.isEmpty() ? Optional.empty() : Optional.of(phone), Optional.empty()));
                if (!phone.isEmpty()) {
                    // Viber's contact message does not say whose number it is: it is the sender's own only when it
                    // answers the share-phone button we offered and carries no other person's name
                    boolean own = known.sharePhoneOffered()
                            && (name.isEmpty() || name.get().equals(sender.path("name").asText("")));
                    ContactPoint point = new ContactPoint(ContactPoint.Kind.PHONE, phone);
                    evidence.add(own ? Evidence.verified(point, SOURCE_SHARED_PHONE, at)
                            : Evidence.unverified(point, SOURCE_CONTACT_CARD, at));
                }
            }
            default -> parts.add(Text.plain("[Viber " + (type.isEmpty() ? "message" : type) + "]"
                    + (text.isBlank() ? "" : " " + text)));
        }
        return parts;
    }

    private Outcome conversationStarted(JsonNode root, Optional<String> token, Instant at) {
        JsonNode user = root.path("user");
        String id = require(user, "id");
        ChannelAccount account = account(id, user);
        Optional<String> context = text(root, "context");
        List<Evidence> evidence = context
                .map(c -> List.of(Evidence.unverified(ContactPoint.signedLink(c), SOURCE_CONTEXT, at)))
                .orElse(List.of());
        boolean subscribed = root.path("subscribed").asBoolean(false);
        int apiVersion = user.path("api_version").asInt(0);
        InboundEvent.AccountUpdate update = new InboundEvent.AccountUpdate(
                token.orElse("conversation_started:" + id + ":" + at.toEpochMilli()), account, at,
                InboundEvent.AccountUpdate.Kind.PROFILE_UPDATED, evidence);
        return new Mapped(update, id, false, apiVersion, subscribed ? Optional.of(true) : Optional.empty(),
                Optional.of(new ViberConversationStart(account, context, subscribed,
                        apiVersion > 0 ? apiVersion : ViberAccounts.ASSUMED_API_VERSION)));
    }

    private Outcome delivery(JsonNode root, Optional<String> token, Instant at, DeliveryStatus status) {
        String user = require(root, "user_id");
        String messageToken = token.orElseThrow(() -> new Malformed("no message_token"));
        InboundEvent.DeliveryUpdate update = new InboundEvent.DeliveryUpdate(
                root.path("event").asText() + ":" + messageToken + ":" + user, account(user, null), at, messageToken,
                status, text(root, "desc"));
        return new Mapped(update, user, false, 0, Optional.empty(), Optional.empty());
    }

    private Media media(MediaKind kind, String mime, String url, Optional<String> name, OptionalLong size) {
        if (url.isEmpty()) {
            throw new Malformed(kind.name().toLowerCase(java.util.Locale.ROOT) + " without media URL");
        }
        return new Media(kind, mime, name, size, new MediaSource.PlatformFile(channel, url), Optional.empty());
    }

    private ChannelAccount account(String id, JsonNode user) {
        if (user == null) {
            return ChannelAccount.of(tenant, channel, id, Profile.EMPTY);
        }
        return ChannelAccount.of(tenant, channel, id, new Profile(text(user, "name"), Optional.empty(),
                text(user, "language").map(l -> l.length() > 2 && l.charAt(2) == '-' ? l.substring(0, 2) : l),
                text(user, "avatar")));
    }

    /** A message token as its exact digits: tokens exceed 2^53, so they are never read as doubles. */
    static Optional<String> token(JsonNode node) {
        if (node.isIntegralNumber() || (node.isTextual() && !node.asText().isBlank())) {
            return Optional.of(node.isBigInteger() ? node.bigIntegerValue().toString() : node.asText());
        }
        return Optional.empty();
    }

    private Instant timestamp(JsonNode millis) {
        return millis.canConvertToLong() && millis.asLong() > 0 ? Instant.ofEpochMilli(millis.asLong())
                : clock.instant();
    }

    /** A phone as E.164-ish digits with a leading {@code +}; empty when it has no digits. */
    static String phone(String raw) {
        String digits = raw.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? "" : "+" + digits;
    }

    static String mimeFor(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return switch (dot < 0 ? "" : lower.substring(dot + 1)) {
            case "pdf" -> "application/pdf";
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "txt" -> "text/plain";
            case "zip" -> "application/zip";
            case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            default -> "application/octet-stream";
        };
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.asText("").isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static String require(JsonNode node, String field) {
        return text(node, field).orElseThrow(() -> new Malformed("no " + field));
    }

    /** A callback that lacks what its event requires. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
