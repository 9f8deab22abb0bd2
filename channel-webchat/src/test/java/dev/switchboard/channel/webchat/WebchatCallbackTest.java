package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.CallbackRequest;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The widget's call-back form: a valid phone becomes a tagged visitor message; bad input is refused, nothing stored. */
class WebchatCallbackTest {
    RecordingInboundSink sink = new RecordingInboundSink();
    WebchatChannel channel;

    @BeforeEach
    void start() {
        channel = WebchatChannel.builder().tokenSecret(WebchatEndpointTest.TOKEN_SECRET)
                .log(new InMemoryWebchatLog()).agentsOnline(false).build();
        channel.start(sink).toCompletableFuture().join();
    }

    private VisitorStream open(RecordingConnection c) {
        WebhookResponse r = channel.endpoint().handle(new WebhookRequest("POST", "/webchat/session", Map.of(),
                Map.of(), "{}".getBytes(StandardCharsets.UTF_8), Optional.empty())).toCompletableFuture().join();
        JsonNode s = WebchatEndpointTest.parse(r.bodyAsUtf8());
        return channel.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", c);
    }

    @Test
    void aValidRequestIsDeliveredAsATaggedMessageWithTheNormalisedPhone() {
        RecordingConnection c = new RecordingConnection();
        open(c).onFrame("{\"type\":\"callback\",\"clientId\":\"cb1\",\"phone\":\"+7 (916) 123-45-67\","
                + "\"preferredTime\":\"after 18:00\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.events().size() == 1);
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) sink.events().get(0);
        assertThat(m.attributes()).containsEntry(CallbackRequest.PHONE_ATTRIBUTE, "+79161234567")
                .containsEntry(CallbackRequest.PREFERRED_TIME_ATTRIBUTE, "after 18:00");
        assertThat(CallbackRequest.of(m)).isPresent();
        assertThat(m.content().plainText()).isEqualTo("Call-back request: please call +79161234567 (preferred time:"
                + " after 18:00)");
        assertThat(m.evidence()).singleElement().satisfies(e -> {
            assertThat(e.verified()).isFalse();
            assertThat(e.point()).isEqualTo(new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> c.messagesFrom("visitor").size() == 1);
    }

    @Test
    void aBadPhoneOrPreferredTimeIsRefusedAndNothingIsStored() {
        RecordingConnection c = new RecordingConnection();
        VisitorStream stream = open(c);
        stream.onFrame("{\"type\":\"callback\",\"clientId\":\"cb1\",\"phone\":\"12\"}");
        stream.onFrame("{\"type\":\"callback\",\"clientId\":\"cb2\",\"phone\":\"<script>\"}");
        stream.onFrame("{\"type\":\"callback\",\"clientId\":\"cb3\",\"phone\":\"+79161234567\",\"preferredTime\":\""
                + "x".repeat(101) + "\"}");
        stream.onFrame("{\"type\":\"callback\",\"clientId\":\"bad id!\",\"phone\":\"+79161234567\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.ofType("error").size() >= 3);
        assertThat(c.ofType("error")).extracting(e -> e.path("code").asText())
                .containsExactly("invalid_phone", "invalid_phone", "bad_request");
        assertThat(sink.events()).isEmpty();
    }
}
