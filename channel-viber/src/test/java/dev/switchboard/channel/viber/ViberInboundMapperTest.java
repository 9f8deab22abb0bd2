package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Callbacks to inbound events, one event type and message type at a time. */
class ViberInboundMapperTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ViberAccounts accounts = new ViberAccounts(json,
            dev.switchboard.channel.state.ChannelState.inMemory(), Duration.ofHours(24), true);
    private final ViberInboundMapper mapper = new ViberInboundMapper(TestChannels.ID, TestChannels.TENANT,
            new ManualClock(Instant.parse("2026-12-06T10:00:00Z")), accounts::get);

    private ViberInboundMapper.Outcome map(String callback) throws Exception {
        return mapper.map(json.readTree(callback));
    }

    private static String message(String messageJson) {
        return "{\"event\":\"message\",\"timestamp\":1457764197627,\"message_token\":9007199254740993123,"
                + "\"sender\":{\"id\":\"u1==\",\"name\":\"John McClane\",\"language\":\"en-GB\",\"api_version\":3},"
                + "\"message\":" + messageJson + "}";
    }

    private InboundEvent.MessageReceived received(String messageJson) throws Exception {
        ViberInboundMapper.Mapped mapped = (ViberInboundMapper.Mapped) map(message(messageJson));
        return (InboundEvent.MessageReceived) mapped.event();
    }

    @Test
    void aTextKeepsItsTokenExactlyAndItsTrackingData() throws Exception {
        ViberInboundMapper.Mapped mapped = (ViberInboundMapper.Mapped) map(message(
                "{\"type\":\"text\",\"text\":\"Привет 👍\",\"tracking_data\":\"order-42\"}"));
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) mapped.event();
        assertThat(m.eventId()).as("tokens exceed 2^53: never read as doubles").isEqualTo("9007199254740993123");
        assertThat(m.platformMessageId()).isEqualTo("9007199254740993123");
        assertThat(m.content().plainText()).isEqualTo("Привет 👍");
        assertThat(m.attributes()).containsEntry(ViberInboundMapper.TRACKING_DATA, "order-42");
        assertThat(m.account().platformUserId()).isEqualTo("u1==");
        assertThat(m.account().profile().displayName()).contains("John McClane");
        assertThat(m.account().profile().language()).contains("en");
        assertThat(m.occurredAt()).isEqualTo(Instant.ofEpochMilli(1457764197627L));
        assertThat(mapped.wrote()).isTrue();
        assertThat(mapped.apiVersion()).isEqualTo(3);
    }

    @Test
    void mediaMessagesBecomePlatformFilesOfThisChannel() throws Exception {
        Media picture = (Media) received("{\"type\":\"picture\",\"media\":\"https://dl-media.viber.com/p.jpg\","
                + "\"text\":\"look\"}").content().parts().get(0);
        assertThat(picture.kind()).isEqualTo(MediaKind.IMAGE);
        assertThat(picture.source()).isEqualTo(new MediaSource.PlatformFile(TestChannels.ID,
                "https://dl-media.viber.com/p.jpg"));
        Media file = (Media) received("{\"type\":\"file\",\"media\":\"https://dl-media.viber.com/f\","
                + "\"size\":10000,\"file_name\":\"invoice.pdf\"}").content().parts().get(0);
        assertThat(file.kind()).isEqualTo(MediaKind.FILE);
        assertThat(file.mimeType()).isEqualTo("application/pdf");
        assertThat(file.fileName()).contains("invoice.pdf");
        assertThat(((Media) received("{\"type\":\"video\",\"media\":\"https://v\",\"size\":5}").content().parts()
                .get(0)).kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(((Media) received("{\"type\":\"sticker\",\"sticker_id\":46105,\"media\":\"https://s\"}")
                .content().parts().get(0)).kind()).isEqualTo(MediaKind.STICKER);
        assertThat(received("{\"type\":\"url\",\"media\":\"https://example.com/a\"}").content().plainText())
                .isEqualTo("https://example.com/a");
        Location l = (Location) received("{\"type\":\"location\",\"location\":{\"lat\":55.75,\"lon\":37.61}}")
                .content().parts().get(0);
        assertThat(l.latitude()).isEqualTo(55.75);
    }

    @Test
    void aContactIsTheSendersOwnPhoneOnlyWhenItAnswersOurSharePhoneButton() throws Exception {
        String contact = "{\"type\":\"contact\",\"contact\":{\"name\":\"John McClane\","
                + "\"phone_number\":\"+44 7700 900123\"}}";
        InboundEvent.MessageReceived card = received(contact);
        assertThat(card.content().parts().get(0)).isInstanceOf(ContactCard.class);
        assertThat(card.evidence()).singleElement().satisfies(e -> {
            assertThat(e.point()).isEqualTo(new ContactPoint(ContactPoint.Kind.PHONE, "+447700900123"));
            assertThat(e.verified()).as("no share-phone button was offered").isFalse();
        });
        accounts.offered("u1==", Map.of(), true);
        assertThat(received(contact).evidence()).singleElement()
                .satisfies(e -> assertThat(e.verified()).isTrue());
        String someoneElse = "{\"type\":\"contact\",\"contact\":{\"name\":\"Holly Gennaro\","
                + "\"phone_number\":\"+44 7700 900999\"}}";
        assertThat(received(someoneElse).evidence()).singleElement()
                .satisfies(e -> assertThat(e.verified()).as("another person's card").isFalse());
    }

    @Test
    void aTextThatIsAnOfferedChoiceIsAPostback() throws Exception {
        accounts.offered("u1==", Map.of("Order status", "order", "2", "call"), false);
        assertThat(((ViberInboundMapper.Mapped) map(message("{\"type\":\"text\",\"text\":\"Order status\"}")))
                .event()).isInstanceOfSatisfying(InboundEvent.Postback.class,
                        p -> assertThat(p.payload()).isEqualTo("order"));
        assertThat(((ViberInboundMapper.Mapped) map(message("{\"type\":\"text\",\"text\":\" 2 \"}"))).event())
                .isInstanceOfSatisfying(InboundEvent.Postback.class, p -> assertThat(p.payload()).isEqualTo("call"));
        assertThat(((ViberInboundMapper.Mapped) map(message("{\"type\":\"text\",\"text\":\"3\"}"))).event())
                .isInstanceOf(InboundEvent.MessageReceived.class);
    }

    @Test
    void subscriptionsAndDeliveryReceipts() throws Exception {
        ViberInboundMapper.Mapped sub = (ViberInboundMapper.Mapped) map("{\"event\":\"subscribed\","
                + "\"timestamp\":1,\"message_token\":11,\"user\":{\"id\":\"u2==\",\"name\":\"A\",\"api_version\":2}}");
        assertThat(sub.subscription()).contains(true);
        assertThat(((InboundEvent.AccountUpdate) sub.event()).kind())
                .isEqualTo(InboundEvent.AccountUpdate.Kind.SUBSCRIBED);
        ViberInboundMapper.Mapped unsub = (ViberInboundMapper.Mapped) map("{\"event\":\"unsubscribed\","
                + "\"timestamp\":2,\"message_token\":12,\"user_id\":\"u2==\"}");
        assertThat(unsub.subscription()).contains(false);
        for (Map.Entry<String, DeliveryStatus> e : Map.of("delivered", DeliveryStatus.DELIVERED, "seen",
                DeliveryStatus.READ, "failed", DeliveryStatus.FAILED).entrySet()) {
            ViberInboundMapper.Mapped d = (ViberInboundMapper.Mapped) map("{\"event\":\"" + e.getKey()
                    + "\",\"timestamp\":3,\"message_token\":4912661846655238145,\"user_id\":\"u2==\"}");
            InboundEvent.DeliveryUpdate update = (InboundEvent.DeliveryUpdate) d.event();
            assertThat(update.platformMessageId()).isEqualTo("4912661846655238145");
            assertThat(update.status()).isEqualTo(e.getValue());
            assertThat(update.eventId()).as("one event id per receipt kind").startsWith(e.getKey());
        }
    }

    @Test
    void clientStatusAndActionAreIgnoredAndBrokenCallbacksRejected() throws Exception {
        assertThat(map("{\"event\":\"client_status\",\"timestamp\":1}"))
                .isInstanceOf(ViberInboundMapper.Ignored.class);
        assertThat(map("{\"event\":\"action\",\"timestamp\":1}")).isInstanceOf(ViberInboundMapper.Ignored.class);
        assertThat(map("{\"event\":\"message\",\"timestamp\":1,\"message_token\":5,\"message\":{}}"))
                .isInstanceOf(ViberInboundMapper.Rejected.class);
        JsonNode array = json.readTree("[1]");
        assertThat(mapper.map(array)).isInstanceOf(ViberInboundMapper.Rejected.class);
    }
}
