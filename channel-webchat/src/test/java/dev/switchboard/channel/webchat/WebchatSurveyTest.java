package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.content.Text;
import dev.switchboard.model.MessageId;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A satisfaction survey (five postbacks {@code survey:<id>:1..5}, as the inbox sends it) reaches the widget as one
 * agent frame with five payload buttons, the widget draws them as stars from DOM nodes, and the visitor's star press
 * comes back as a postback carrying the rating's payload.
 */
class WebchatSurveyTest {
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private WebchatChannel channel;

    @BeforeEach
    void start() {
        channel = WebchatChannel.builder().tokenSecret(WebchatEndpointTest.TOKEN_SECRET)
                .identitySecret(WebchatEndpointTest.IDENTITY_SECRET).log(new InMemoryWebchatLog()).agentsOnline(true)
                .build();
        channel.start(sink).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
    }

    @Test
    void theSurveyIsFiveStarButtonsAndAStarPressIsThePostback() {
        WebhookResponse r = channel.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(),
                Map.of(), "{\"lang\":\"en\"}".getBytes(StandardCharsets.UTF_8), Optional.empty()))
                .toCompletableFuture().join();
        JsonNode s = WebchatEndpointTest.parse(r.bodyAsUtf8());
        RecordingConnection c = new RecordingConnection();
        var session = channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", c);
        List<Choice> ratings = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ratings.add(Choice.postback("label " + i, "survey:sv-1:" + i));
        }
        RenderedMessage rendered = Renderer.standard().render(Content.of(new Choices(
                Optional.of(Text.plain("How would you rate our help?")), ratings)), channel.capabilities(),
                channel.id());
        assertThat(rendered.bubbles()).singleElement().isInstanceOf(Bubble.TextBubble.class);
        channel.send(new OutboundMessage(channel.id(), KitAccounts.account(channel, s.path("sessionId").asText()),
                MessageId.random(), 0, rendered.bubbles().get(0), "survey:0", Optional.empty(), ThreadHints.NONE,
                Optional.empty(), true)).toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messagesFrom("agent").size() == 1);
        JsonNode frame = c.messagesFrom("agent").get(0);
        assertThat(frame.path("text").asText()).isEqualTo("How would you rate our help?");
        assertThat(frame.path("buttons")).hasSize(5);
        assertThat(frame.path("buttons").path(4).path("payload").asText()).isEqualTo("survey:sv-1:5");

        session.onFrame(RecordingConnection.JSON.createObjectNode().put("type", "postback").put("clientId", "p1")
                .put("payload", "survey:sv-1:4").put("label", "label 4").toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events().stream()
                .anyMatch(e -> e instanceof InboundEvent.Postback));
        InboundEvent.Postback press = (InboundEvent.Postback) sink.events().stream()
                .filter(e -> e instanceof InboundEvent.Postback).findFirst().orElseThrow();
        assertThat(press.payload()).isEqualTo("survey:sv-1:4");
    }

    @Test
    void theWidgetDrawsSurveyStarsFromElementsOnly() throws Exception {
        String js;
        try (var in = WebchatChannel.class.getResourceAsStream("widget.js")) {
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String stars = js.substring(js.indexOf("function isSurvey"), js.indexOf("function render("));
        assertThat(stars).contains("/^survey:[^:]+:[1-5]$/", "el('button', 'sbc-star'", "choose(btn)")
                .doesNotContain("innerHTML");
        assertThat(js).contains("if (isSurvey(m.buttons)) stars(m.buttons);");
    }
}
