package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** VK events in the 5.199 wire format, as VK documents them, mapped to inbound events. */
class VkInboundMapperTest {
    private static final long GROUP = 229000001L;
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final VkInboundMapper mapper = new VkInboundMapper(TestChannels.ID, TestChannels.TENANT, GROUP, json,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private VkInboundMapper.Outcome map(String type, String object) throws Exception {
        return mapper.map(json.readTree("{\"type\":\"" + type + "\",\"group_id\":" + GROUP
                + ",\"event_id\":\"ev-" + type + "\",\"v\":\"5.199\",\"object\":" + object + "}"));
    }

    private static <T> T mapped(VkInboundMapper.Outcome outcome, Class<T> type) {
        assertThat(outcome).isInstanceOf(VkInboundMapper.Mapped.class);
        InboundEvent event = ((VkInboundMapper.Mapped) outcome).event();
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }

    private static final String CLIENT_INFO = "\"client_info\":{\"button_actions\":[\"text\",\"open_link\"],"
            + "\"keyboard\":true,\"inline_keyboard\":false,\"carousel\":false,\"lang_id\":3}";

    @Test
    void messageNewWithTextAttachmentsAndGeo() throws Exception {
        String message = "{\"message\":{\"id\":901,\"date\":1765000000,\"peer_id\":1001,\"from_id\":1001,"
                + "\"text\":\"Привет 👍\",\"out\":0,\"conversation_message_id\":12,\"version\":3,"
                + "\"attachments\":["
                + "{\"type\":\"photo\",\"photo\":{\"id\":5,\"owner_id\":1001,\"access_key\":\"k5\",\"sizes\":["
                + "{\"type\":\"s\",\"url\":\"https://sun.userapi.com/s.jpg\",\"width\":75,\"height\":50},"
                + "{\"type\":\"x\",\"url\":\"https://sun.userapi.com/x.jpg\",\"width\":604,\"height\":402}]}},"
                + "{\"type\":\"doc\",\"doc\":{\"id\":6,\"owner_id\":1001,\"title\":\"invoice.pdf\",\"ext\":\"pdf\","
                + "\"size\":2048,\"url\":\"https://vk.com/doc1001_6\"}},"
                + "{\"type\":\"audio_message\",\"audio_message\":{\"id\":7,\"owner_id\":1001,\"duration\":3,"
                + "\"link_ogg\":\"https://psv4.userapi.com/v.ogg\",\"link_mp3\":\"https://psv4.userapi.com/v.mp3\"}},"
                + "{\"type\":\"sticker\",\"sticker\":{\"sticker_id\":9012,\"product_id\":1,\"images\":["
                + "{\"url\":\"https://vk.com/sticker/1-9012-128\",\"width\":128,\"height\":128}]}},"
                + "{\"type\":\"wall\",\"wall\":{\"id\":1}}],"
                + "\"geo\":{\"type\":\"point\",\"coordinates\":{\"latitude\":55.75,\"longitude\":37.61},"
                + "\"place\":{\"title\":\"Moscow\",\"city\":\"Moscow\"}},"
                + "\"ref\":\"promo-42\",\"ref_source\":\"site\"}," + CLIENT_INFO + "}";
        VkInboundMapper.Outcome outcome = map("message_new", message);
        InboundEvent.MessageReceived m = mapped(outcome, InboundEvent.MessageReceived.class);

        assertThat(m.eventId()).isEqualTo("ev-message_new");
        assertThat(m.platformMessageId()).isEqualTo("901");
        assertThat(m.account().platformUserId()).isEqualTo("1001");
        assertThat(m.account().profile().language()).contains("en");
        assertThat(m.occurredAt()).isEqualTo(Instant.ofEpochSecond(1765000000));
        List<Part> parts = m.content().parts();
        assertThat(((Text) parts.get(0)).plainText()).isEqualTo("Привет 👍");
        Media photo = (Media) parts.get(1);
        assertThat(photo.kind()).isEqualTo(MediaKind.IMAGE);
        assertThat(((MediaSource.PlatformFile) photo.source()).fileId())
                .isEqualTo("photo1001_5_k5#https://sun.userapi.com/x.jpg");
        Media doc = (Media) parts.get(2);
        assertThat(doc.kind()).isEqualTo(MediaKind.FILE);
        assertThat(doc.mimeType()).isEqualTo("application/pdf");
        assertThat(doc.fileName()).contains("invoice.pdf");
        assertThat(doc.sizeBytes().getAsLong()).isEqualTo(2048);
        assertThat(((Media) parts.get(3)).kind()).isEqualTo(MediaKind.VOICE);
        assertThat(((Media) parts.get(4)).kind()).isEqualTo(MediaKind.STICKER);
        assertThat(((Text) parts.get(5)).plainText()).isEqualTo("[VK wall]");
        Location geo = (Location) parts.get(6);
        assertThat(geo.latitude()).isEqualTo(55.75);
        assertThat(geo.name()).contains("Moscow");

        VkInboundMapper.Mapped result = (VkInboundMapper.Mapped) outcome;
        assertThat(result.attributes()).containsEntry("vk.ref", "promo-42").containsEntry("vk.ref_source", "site");
        assertThat(m.attributes()).containsEntry("vk.ref", "promo-42").containsEntry("vk.ref_source", "site");
        // the ref goes to the identity engine as an unverified signed link; only a valid host signature verifies it
        assertThat(m.evidence()).singleElement().satisfies(e -> {
            assertThat(e.point()).isEqualTo(dev.switchboard.model.ContactPoint.signedLink("promo-42"));
            assertThat(e.verified()).isFalse();
        });
        assertThat(result.clientInfo().orElseThrow().inlineKeyboard()).isFalse();
        assertThat(result.clientInfo().orElseThrow().keyboard()).isTrue();
    }

    @Test
    void forwardedAndRepliedMessagesBecomeContentAndAReplyHint() throws Exception {
        String message = "{\"message\":{\"id\":902,\"date\":1765000000,\"peer_id\":1001,\"from_id\":1001,"
                + "\"text\":\"see this\",\"out\":0,\"conversation_message_id\":13,"
                + "\"reply_message\":{\"id\":880,\"from_id\":-229000001,\"text\":\"Your order shipped\","
                + "\"peer_id\":1001,\"conversation_message_id\":10},"
                + "\"fwd_messages\":[{\"from_id\":2002,\"text\":\"forwarded words\",\"date\":1764000000}]}}";
        InboundEvent.MessageReceived m = mapped(map("message_new", message), InboundEvent.MessageReceived.class);
        assertThat(m.thread().referencedPlatformMessageIds()).containsExactly("880");
        assertThat(m.content().plainText()).contains("> Your order shipped", "see this",
                "Forwarded message from id2002:", "forwarded words");
    }

    @Test
    void ourOwnAndChatMessagesAndTypingAreIgnored() throws Exception {
        assertThat(map("message_new", "{\"message\":{\"id\":1,\"peer_id\":1001,\"from_id\":-229000001,"
                + "\"out\":1,\"text\":\"ours\"}}")).isInstanceOf(VkInboundMapper.Ignored.class);
        assertThat(map("message_new", "{\"message\":{\"id\":0,\"peer_id\":2000000001,\"from_id\":1001,"
                + "\"text\":\"in a chat\"}}")).isInstanceOf(VkInboundMapper.Ignored.class);
        assertThat(map("message_typing_state", "{\"state\":\"typing\",\"from_id\":1001,\"to_id\":-229000001}"))
                .isInstanceOf(VkInboundMapper.Ignored.class);
        assertThat(map("wall_post_new", "{}")).isInstanceOf(VkInboundMapper.Ignored.class);
    }

    @Test
    void aMessageWithoutSenderIsRejectedWithItsEventId() throws Exception {
        VkInboundMapper.Outcome outcome = map("message_new", "{\"message\":{\"id\":1,\"text\":\"x\"}}");
        assertThat(outcome).isInstanceOf(VkInboundMapper.Rejected.class);
        assertThat(((VkInboundMapper.Rejected) outcome).eventId()).contains("ev-message_new");
        assertThat(((VkInboundMapper.Rejected) outcome).reason()).contains("from_id");
    }

    @Test
    void messageEditIsAnEditOfTheSameMessage() throws Exception {
        InboundEvent.MessageEdited e = mapped(map("message_edit", "{\"id\":901,\"date\":1765000000,"
                + "\"update_time\":1765000100,\"peer_id\":1001,\"from_id\":1001,\"text\":\"fixed typo\",\"out\":0,"
                + "\"conversation_message_id\":12}"), InboundEvent.MessageEdited.class);
        assertThat(e.platformMessageId()).isEqualTo("901");
        assertThat(e.content().plainText()).isEqualTo("fixed typo");
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1765000100));
    }

    @Test
    void messageEventPayloadAsObjectOrStringIsAPostbackToAcknowledge() throws Exception {
        String asObject = "{\"user_id\":1001,\"peer_id\":1001,\"event_id\":\"a1b2c3\","
                + "\"payload\":{\"sb\":\"order:42:cancel\"},\"conversation_message_id\":12}";
        InboundEvent.Postback p = mapped(map("message_event", asObject), InboundEvent.Postback.class);
        assertThat(p.payload()).isEqualTo("order:42:cancel");
        assertThat(p.callbackId()).contains("a1b2c3:1001:1001");
        assertThat(p.occurredAt()).isEqualTo(NOW);
        assertThat(p.platformMessageId()).as("VK names it by conversation_message_id, not our receipt's id").isEmpty();

        String asString = asObject.replace("{\"sb\":\"order:42:cancel\"}", "\"{\\\"sb\\\":\\\"order:42:cancel\\\"}\"");
        assertThat(mapped(map("message_event", asString), InboundEvent.Postback.class).payload())
                .isEqualTo("order:42:cancel");
        String foreign = asObject.replace("{\"sb\":\"order:42:cancel\"}", "{\"button\":\"1\"}");
        assertThat(mapped(map("message_event", foreign), InboundEvent.Postback.class).payload())
                .isEqualTo("{\"button\":\"1\"}");
        String plain = asObject.replace("{\"sb\":\"order:42:cancel\"}", "\"just-a-string\"");
        assertThat(mapped(map("message_event", plain), InboundEvent.Postback.class).payload())
                .isEqualTo("just-a-string");
    }

    @Test
    void aStandardKeyboardButtonIsAPostbackWithoutAcknowledgement() throws Exception {
        InboundEvent.Postback p = mapped(map("message_new", "{\"message\":{\"id\":903,\"date\":1765000000,"
                + "\"peer_id\":1001,\"from_id\":1001,\"text\":\"Yes\",\"payload\":\"{\\\"sb\\\":\\\"kit:yes\\\"}\"}}"),
                InboundEvent.Postback.class);
        assertThat(p.payload()).isEqualTo("kit:yes");
        assertThat(p.callbackId()).isEmpty();
        assertThat(p.platformMessageId()).contains("903");
    }

    @Test
    void allowAndDenyAreThePermissionToMessage() throws Exception {
        VkInboundMapper.Outcome allow = map("message_allow", "{\"user_id\":1001,\"key\":\"promo\"}");
        assertThat(mapped(allow, InboundEvent.AccountUpdate.class).kind())
                .isEqualTo(InboundEvent.AccountUpdate.Kind.SUBSCRIBED);
        assertThat(((VkInboundMapper.Mapped) allow).permission()).contains(true);
        VkInboundMapper.Outcome deny = map("message_deny", "{\"user_id\":1001}");
        assertThat(mapped(deny, InboundEvent.AccountUpdate.class).kind())
                .isEqualTo(InboundEvent.AccountUpdate.Kind.UNSUBSCRIBED);
        assertThat(((VkInboundMapper.Mapped) deny).permission()).contains(false);
    }

    @Test
    void anEventOfAnotherCommunityIsRejected() throws Exception {
        JsonNode other = json.readTree("{\"type\":\"message_new\",\"group_id\":1,\"event_id\":\"x\",\"object\":{}}");
        assertThat(mapper.map(other)).isInstanceOf(VkInboundMapper.Rejected.class);
    }

    @Test
    void anEventWithoutEventIdGetsAStableDigest() throws Exception {
        JsonNode event = json.readTree("{\"type\":\"message_allow\",\"group_id\":" + GROUP
                + ",\"object\":{\"user_id\":5}}");
        String first = mapped(mapper.map(event), InboundEvent.AccountUpdate.class).eventId();
        assertThat(first).startsWith("sha256:");
        assertThat(mapped(mapper.map(json.readTree(event.toString())), InboundEvent.AccountUpdate.class).eventId())
                .isEqualTo(first);
        assertThat(Optional.of(first)).isPresent();
    }
}
