package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.survey.Survey;
import dev.switchboard.inbox.survey.SurveyPolicy;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.PlatformFake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A satisfaction survey through the real channel code against each platform's fake (the demo with its fakes, no
 * scenario): inline buttons on Telegram (answered with a callback query), a keyboard with callback buttons on VK, a
 * reply keyboard on Viber (the pressed label maps back), and a numbered list in email (the reply "4" maps back
 * through the renderer's numbered choices). Each rating lands on the survey and leaves the conversation resolved.
 */
@Tag("slow")
class SurveyChannelsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static DemoContactCenter demo;
    static TenantInbox desk;

    @BeforeAll
    static void start() {
        demo = DemoContactCenter.start(DemoConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir)
                .scenario(DemoConfig.ScenarioMode.NEVER).build());
        desk = demo.inbox().forTenant(DemoContactCenter.TENANT);
        desk.surveys().configure(SurveyPolicy.builder().oncePer(Duration.ZERO).build());
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** Waits for the customer's conversation, resolves it and returns its survey. */
    private static Survey resolveAndSurvey(ChannelId channel, String platformUserId) {
        AccountKey key = new AccountKey(DemoContactCenter.TENANT, channel, platformUserId);
        ConversationId id = await().atMost(WAIT).until(() -> conversationOf(key), Optional::isPresent).get();
        desk.resolve(id);
        List<Survey> surveys = desk.surveys().ofConversation(id);
        assertThat(surveys).hasSize(1);
        // a customer answers what they received: wait until the channel has finished sending (Viber maps a pressed
        // label back through the choices it recorded for the sent keyboard)
        await().atMost(WAIT).until(() -> desk.message(surveys.get(0).message()).map(m -> m.status()),
                st -> st.isPresent() && st.get() != dev.switchboard.model.DeliveryStatus.QUEUED);
        return surveys.get(0);
    }

    private static Optional<ConversationId> conversationOf(AccountKey key) {
        Optional<Customer> customer = demo.inbox().customerByAccount(key);
        return customer.flatMap(c -> demo.inbox().conversations(ConversationQuery.builder(DemoContactCenter.TENANT)
                .limit(1000).build()).items().stream().filter(x -> x.customer().equals(c.id())).findFirst()
                .map(x -> x.id()));
    }

    private static void awaitRating(Survey s, int rating) {
        try {
            await().atMost(WAIT).until(() -> desk.surveys().survey(s.id()).flatMap(Survey::rating),
                    r -> r.equals(Optional.of(rating)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // say what the conversation went through instead of only "timed out"
            throw new AssertionError("survey " + s.id() + " not rated " + rating + "; conversation events: "
                    + desk.events(0, 1000).stream().filter(ev -> ev.conversation().equals(Optional.of(
                            s.conversation()))).map(ev -> ev.type() + ev.attributes().toString()).toList()
                    + "; messages: " + desk.messages(s.conversation()).stream().map(m -> m.direction() + ":"
                            + m.content().plainText()).toList(), e);
        }
        assertThat(desk.conversation(s.conversation()).orElseThrow().status()).isEqualTo(ConversationStatus.RESOLVED);
    }

    @Test
    void telegramGetsInlineButtonsAndTheCallbackRates() throws Exception {
        TelegramFake telegram = demo.fakeTelegram().orElseThrow();
        telegram.pushText(770001, "Survey Tg", "where is my parcel?");
        Survey s = resolveAndSurvey(DemoContactCenter.TELEGRAM, "770001");
        TelegramFake.ApiCall call = await().atMost(WAIT).until(() -> telegram.calls("sendMessage").stream()
                .filter(c -> c.params().path("reply_markup").toString().contains(s.payload(5))).findFirst(),
                Optional::isPresent).get();
        JsonNode keyboard = call.params().path("reply_markup");
        if (keyboard.isTextual()) {
            keyboard = JSON.readTree(keyboard.asText());
        }
        assertThat(keyboard.path("inline_keyboard").toString()).contains(s.payload(1)).contains("Excellent");
        telegram.pushCallback(770001, "Survey Tg", s.payload(5));
        awaitRating(s, 5);
    }

    @Test
    void vkGetsAKeyboardAndTheCallbackButtonRates() {
        var vk = demo.fakeVk().orElseThrow();
        vk.deliverText("880001", "Survey Vk", "where is my parcel?");
        Survey s = resolveAndSurvey(DemoContactCenter.VK, "880001");
        var sent = await().atMost(WAIT).until(() -> vk.sent().stream()
                .filter(m -> m.buttonLabels().contains("Excellent")).findFirst(), Optional::isPresent).get();
        assertThat(sent.buttonLabels()).containsExactlyElementsOf(SurveyPolicy.DEFAULT_LABELS);
        vk.pressCallbackButton("880001", JSON.createObjectNode().put("sb", s.payload(2)));
        awaitRating(s, 2);
    }

    @Test
    void viberGetsAKeyboardAndThePressedLabelRates() {
        var viber = demo.fakeViber().orElseThrow();
        viber.deliverText("viber-survey-1", "Survey Viber", "where is my parcel?");
        Survey s = resolveAndSurvey(dev.switchboard.examples.DemoViber.VIBER, "viber-survey-1");
        PlatformFake.SentMessage sent = await().atMost(WAIT).until(() -> viber.sent().stream()
                .filter(m -> m.buttonLabels().contains("Excellent")).findFirst(), Optional::isPresent).get();
        assertThat(sent.buttonLabels()).containsExactlyElementsOf(SurveyPolicy.DEFAULT_LABELS);
        viber.deliverText("viber-survey-1", "Survey Viber", "Good");
        awaitRating(s, 4);
    }

    @Test
    void emailGetsANumberedListAndTheNumberedReplyRates() {
        var mail = demo.mailServer().orElseThrow();
        mail.deliverText("survey-customer@client.example", "Survey Mail", "where is my parcel?");
        Survey s = resolveAndSurvey(DemoContactCenter.EMAIL, "survey-customer@client.example");
        PlatformFake.SentMessage sent = await().atMost(WAIT).until(() -> mail.sent().stream()
                .filter(m -> m.text().contains("5. Excellent")).findFirst(), Optional::isPresent).get();
        assertThat(sent.text()).contains("1. Very poor").contains("Reply with a number.");
        mail.deliverText("survey-customer@client.example", "Survey Mail", "4");
        awaitRating(s, 4);
    }
}
