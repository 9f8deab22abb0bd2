package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Realistic updates (fixtures written from the Bot API docs) arrive through getUpdates as the right events. */
class TelegramInboundMappingTest {
    private TelegramFake fake;
    private TelegramChannel channel;
    private RecordingInboundSink sink;

    @BeforeEach
    void start() {
        fake = new TelegramFake();
        channel = TestChannels.polling(fake).build();
        sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
        fake.close();
    }

    private InboundEvent receive(String fixture) {
        String id = Long.toString(Fixtures.push(fake, fixture));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.eventsWithId(id).isEmpty());
        return sink.eventsWithId(id).get(0);
    }

    @Test
    void textMessageBecomesMessageReceivedWithTheSendersInt64AccountAndProfile() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) receive("text");
        assertThat(m.account().platformUserId()).isEqualTo("5551234567"); // over 2^31: needs int64
        assertThat(m.account().channel()).isEqualTo(TestChannels.ID);
        assertThat(m.account().tenant()).isEqualTo(TestChannels.TENANT);
        assertThat(m.account().profile().displayName()).contains("Анна Иванова");
        assertThat(m.account().profile().username()).contains("anna_iv");
        assertThat(m.account().profile().language()).contains("ru");
        assertThat(m.platformMessageId()).isEqualTo("5551234567:4711");
        assertThat(m.occurredAt()).isEqualTo(Instant.ofEpochSecond(1763900000));
        assertThat(m.content().plainText()).isEqualTo("Здравствуйте! Where is my order #42? 👍🏽");
        assertThat(m.evidence()).isEmpty();
        assertThat(m.thread().referencedPlatformMessageIds()).isEmpty();
    }

    @Test
    void replyCarriesTheRepliedMessageAsThreadHint() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) receive("reply");
        assertThat(m.thread().referencedPlatformMessageIds()).containsExactly("5551234567:17");
    }

    @Test
    void ownContactSharedIsVerifiedPhoneEvidenceWithPlusAdded() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) receive("contact_own");
        assertThat(m.content().parts()).containsExactly(
                new ContactCard("Анна Иванова", Optional.of("+79161234567"), Optional.empty()));
        assertThat(m.evidence()).hasSize(1);
        Evidence e = m.evidence().get(0);
        assertThat(e.verified()).isTrue();
        assertThat(e.point()).isEqualTo(new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"));
        assertThat(e.source()).isEqualTo("telegram.contact");
    }

    @Test
    void someoneElsesContactIsOnlyUnverifiedEvidence() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) receive("contact_other");
        assertThat(m.evidence()).singleElement().satisfies(e -> {
            assertThat(e.verified()).isFalse();
            assertThat(e.point().value()).isEqualTo("+79035550011");
        });
    }

    @Test
    void photoIsALazyPlatformFileReferenceToTheLargestSizeWithCaption() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) receive("photo");
        Media media = (Media) m.content().parts().get(0);
        assertThat(media.kind()).isEqualTo(MediaKind.IMAGE);
        assertThat(media.source()).isEqualTo(new MediaSource.PlatformFile(TestChannels.ID, "AgACAgIAAxkBAAIBZ2Vlarge"));
        assertThat(media.sizeBytes()).isEqualTo(OptionalLong.of(98211));
        assertThat(media.caption()).contains(Text.plain("The parcel arrived damaged"));
        assertThat(fake.calls("getFile")).as("media must not be downloaded eagerly").isEmpty();
    }

    @Test
    void documentVoiceVideoAndStickerKeepTheirKindsNamesAndMimeTypes() {
        Media doc = (Media) ((InboundEvent.MessageReceived) receive("document")).content().parts().get(0);
        assertThat(doc.kind()).isEqualTo(MediaKind.FILE);
        assertThat(doc.mimeType()).isEqualTo("application/pdf");
        assertThat(doc.fileName()).contains("invoice-2026-11.pdf");
        assertThat(doc.sizeBytes()).isEqualTo(OptionalLong.of(48213));

        Media voice = (Media) ((InboundEvent.MessageReceived) receive("voice")).content().parts().get(0);
        assertThat(voice.kind()).isEqualTo(MediaKind.VOICE);
        assertThat(voice.mimeType()).isEqualTo("audio/ogg");

        Media video = (Media) ((InboundEvent.MessageReceived) receive("video")).content().parts().get(0);
        assertThat(video.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(video.fileName()).contains("unboxing.mp4");

        Media sticker = (Media) ((InboundEvent.MessageReceived) receive("sticker")).content().parts().get(0);
        assertThat(sticker.kind()).isEqualTo(MediaKind.STICKER);
        assertThat(sticker.mimeType()).isEqualTo("image/webp");
        assertThat(sticker.source()).isEqualTo(new MediaSource.PlatformFile(TestChannels.ID,
                "CAACAgIAAxkBAAIBa2Vsticker"));
    }

    @Test
    void editedMessageBecomesMessageEditedOfTheSameMessage() {
        InboundEvent.MessageEdited e = (InboundEvent.MessageEdited) receive("edited_message");
        assertThat(e.platformMessageId()).isEqualTo("5551234567:4711");
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1763900500));
        assertThat(e.content().plainText()).contains("#43");
    }

    @Test
    void callbackQueryBecomesPostbackWithCallbackIdAndIsAnsweredOnAcknowledge() {
        InboundEvent.Postback p = (InboundEvent.Postback) receive("callback_query");
        assertThat(p.payload()).isEqualTo("csat:yes");
        assertThat(p.callbackId()).contains("4382bfdwdsb323b2d9");
        assertThat(p.platformMessageId()).contains("5551234567:18");
        assertThat(p.account().platformUserId()).isEqualTo("5551234567");

        channel.acknowledgePostback(p, Optional.of("Thanks!")).toCompletableFuture().join();
        List<TelegramFake.ApiCall> answers = fake.calls("answerCallbackQuery");
        assertThat(answers).singleElement().satisfies(c -> {
            assertThat(c.params().path("callback_query_id").asText()).isEqualTo("4382bfdwdsb323b2d9");
            assertThat(c.params().path("text").asText()).isEqualTo("Thanks!");
        });
    }

    @Test
    void callbackOnAnInaccessibleMessageStillBecomesAPostback() {
        InboundEvent.Postback p = (InboundEvent.Postback) receive("callback_query_inaccessible");
        assertThat(p.payload()).isEqualTo("csat:no");
        assertThat(p.platformMessageId()).contains("5551234567:3");
    }

    @Test
    void blockAndUnblockBecomeAccountUpdates() {
        InboundEvent.AccountUpdate blocked = (InboundEvent.AccountUpdate) receive("my_chat_member_kicked");
        assertThat(blocked.kind()).isEqualTo(InboundEvent.AccountUpdate.Kind.BLOCKED_US);
        assertThat(blocked.account().platformUserId()).isEqualTo("5551234567");
        InboundEvent.AccountUpdate unblocked = (InboundEvent.AccountUpdate) receive("my_chat_member_member");
        assertThat(unblocked.kind()).isEqualTo(InboundEvent.AccountUpdate.Kind.UNBLOCKED_US);
    }

    @Test
    void groupMessageBelongsToTheGroupChatAccount() {
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) receive("group_text");
        assertThat(m.account().platformUserId()).isEqualTo("-1001987654321");
        assertThat(m.account().profile().displayName()).contains("Shop customers");
        assertThat(m.platformMessageId()).isEqualTo("-1001987654321:91");
    }

    @Test
    void getUpdatesAsksForExactlyTheUpdateTypesTheChannelUnderstands() {
        receive("text");
        TelegramFake.ApiCall poll = fake.calls("getUpdates").get(0);
        assertThat(poll.params().path("allowed_updates")).extracting(n -> n.asText())
                .containsExactly("message", "edited_message", "callback_query", "my_chat_member");
        assertThat(poll.params().path("timeout").asInt()).isEqualTo(1);
    }
}
