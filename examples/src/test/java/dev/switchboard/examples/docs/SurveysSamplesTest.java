package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.canned.CannedResponse;
import dev.switchboard.inbox.canned.MissingVariableException;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.survey.Complaint;
import dev.switchboard.inbox.survey.ComplaintRules;
import dev.switchboard.inbox.survey.SurveyPolicy;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samples of docs/surveys.md, verbatim between the markers (see {@link DocSamplesTest}). */
class SurveysSamplesTest {
    private final List<String> shown = new ArrayList<>();

    private void showToAgent(String message) {
        shown.add(message);
    }

    private void record(String agent, String rating) {
        shown.add(agent + "=" + rating);
    }

    @Test
    void policyRulesAndEvents() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            // ---- doc snippet begins
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            shop.surveys().configure(SurveyPolicy.builder()
                    .channelTypes(ChannelType.TELEGRAM, ChannelType.VK, ChannelType.VIBER, ChannelType.EMAIL,
                            ChannelType.WEBCHAT)
                    .oncePer(Duration.ofDays(7))                 // per customer, across conversations
                    .answerWindow(Duration.ofDays(3))
                    .commentWindow(Duration.ofMinutes(30))
                    .template("en", "How did we do, {customer_name|there}?")
                    .template("ru", "Как мы справились?", "Очень плохо", "Плохо", "Нормально", "Хорошо", "Отлично")
                    .build());
            shop.complaints().configure(ComplaintRules.builder()
                    .labels("complaint")                         // an agent or a rule tags the conversation
                    .ratingAtOrBelow(2)                          // ratings 1 and 2 mark a complaint
                    .build());

            shop.addListener(event -> {
                if (event.type() == InboxEvent.Type.SATISFACTION_RATED) {
                    record(event.attribute(InboxEvent.Attribute.AGENT).orElse("nobody"),
                            event.attribute(InboxEvent.Attribute.RATING).orElseThrow());
                }
            });
            // ---- doc snippet ends
            assertThat(shop.surveys().policy().enabled()).isTrue();
            assertThat(shop.complaints().rules().marksRating(2)).isTrue();
        }
    }

    @Test
    void complaintsAndCannedResponses() throws Exception {
        try (TelegramFake api = TelegramFake.builder().token("123456:TEST-token-for-the-local-fake-api").build();
             Inbox inbox = Inbox.builder().store(new InMemoryInboxStore())
                     .channel(dev.switchboard.channel.telegram.TelegramChannel.builder().tenant(TenantId.of("shop"))
                             .id(dev.switchboard.model.ChannelId.of("tg")).botToken("123456:TEST-token-for-the-local-fake-api").apiBaseUrl(api.url())
                             .build()).build()) {
            inbox.start();
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            api.pushText(7, "Ada", "my refund?");
            ConversationId conversation = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> shop.conversations(10).items(), l -> !l.isEmpty()).get(0).id();
            // ---- doc snippet begins
            Complaint marked = shop.complaints().mark(conversation, "lead-olga");  // who clicked: the event's actor
            marked.agent();                            // who handled it then: the assignee, else the last replier
            shop.complaints().clear(conversation, "lead-olga");
            // ---- doc snippet ends
            // ---- doc snippet begins
            shop.cannedResponses().save(CannedResponse.builder("refund")
                    .title("Refund started")
                    .body("Hi {{customer.name}}, {{agent.name}} here: {{prompt.amount}} for order {{order}}"
                            + " is on its way.")
                    .channelType(ChannelType.TELEGRAM)          // offered for Telegram conversations only
                    .attachment(URI.create("https://shop.example/refunds.pdf"), "application/pdf", "refunds.pdf")
                    .build());

            List<CannedResponse> offered = shop.cannedResponses().forConversation(conversation);
            try {
                shop.cannedResponses().reply("refund", conversation, "anna",
                        Map.of("order", "A-17"));             // the agent has not typed the amount yet
            } catch (MissingVariableException e) {
                showToAgent(e.getMessage());  // canned response refund cannot be sent: no value for {{prompt.amount}}
            }
            shop.cannedResponses().reply("refund", conversation, "anna",
                    Map.of("order", "A-17", "prompt.amount", "12.50 EUR"));
            // ---- doc snippet ends
            assertThat(offered).extracting(CannedResponse::code).containsExactly("refund");
            assertThat(shown).containsExactly(
                    "canned response refund cannot be sent: no value for {{prompt.amount}}");
            assertThat(shop.messages(conversation).get(1).content().plainText())
                    .startsWith("Hi Ada, anna here: 12.50 EUR for order A-17 is on its way.");
        }
    }
}
