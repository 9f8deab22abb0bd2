package dev.switchboard.channel.viber;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.viber.testing.ViberFake;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The fake speaks Viber's wire format over HTTP: signed callbacks resent until 200, set_webhook's check. */
class ViberFakeOverHttpTest {

    @Test
    void callbacksAreSignedOverTheRawBytesAndResentUntilAnswered200() throws Exception {
        try (ViberFake fake = new ViberFake(); MockWebServer host = new MockWebServer()) {
            host.enqueue(new MockResponse().setResponseCode(503));
            host.enqueue(new MockResponse().setResponseCode(200));
            host.start();
            fake.pushTo(host.url("/webhooks/viber/viber-test").toString());
            String token = fake.deliverText("u1==", "Ann", "over HTTP");

            RecordedRequest first = host.takeRequest(30, TimeUnit.SECONDS);
            RecordedRequest resent = host.takeRequest(30, TimeUnit.SECONDS);
            byte[] body = first.getBody().readByteArray();
            assertThat(first.getHeader("X-Viber-Content-Signature"))
                    .isEqualTo(new ViberSignature(ViberFake.TOKEN).sign(body));
            JsonNode callback = new ObjectMapper().readTree(body);
            assertThat(callback.path("event").asText()).isEqualTo("message");
            assertThat(ViberInboundMapper.token(callback.path("message_token"))).contains(token);
            assertThat(callback.path("message").path("text").asText()).isEqualTo("over HTTP");
            assertThat(resent.getBody().readByteArray()).isEqualTo(body);
        }
    }

    @Test
    void setWebhookIsRefusedWithStatusOneWhenTheCheckIsNotAnswered200() throws Exception {
        try (ViberFake fake = new ViberFake(); MockWebServer host = new MockWebServer()) {
            host.enqueue(new MockResponse().setResponseCode(403));
            host.start();
            fake.pushTo(host.url("/hook").toString());
            ViberChannel channel = TestChannels.against(fake).build();
            Throwable failure = channel.registerWebhook("https://example.com/hook").toCompletableFuture()
                    .handle((v, t) -> t).get(30, TimeUnit.SECONDS);
            assertThat(failure).hasRootCauseInstanceOf(ViberApiError.class);
            assertThat(((ViberApiError) failure.getCause()).status()).isEqualTo(ViberApiError.INVALID_URL);
            assertThat(host.takeRequest(30, TimeUnit.SECONDS).getBody().readUtf8()).contains("\"event\":\"webhook\"");
        }
    }
}
