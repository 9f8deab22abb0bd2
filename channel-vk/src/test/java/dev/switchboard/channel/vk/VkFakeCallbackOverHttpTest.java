package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.vk.testing.VkFake;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The fake pushes Callback API events over HTTP like VK: JSON with the secret, retried with X-Retry-Counter. */
class VkFakeCallbackOverHttpTest {

    @Test
    void eventsArePostedToAUrlAndRetriedUntilAnsweredOk() throws Exception {
        try (VkFake fake = new VkFake(); MockWebServer host = new MockWebServer()) {
            host.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "5"));
            host.enqueue(new MockResponse().setBody("ok"));
            host.start();
            fake.pushTo(host.url("/webhooks/vk/vk-test").toString());
            String eventId = fake.deliverText("1001", "", "over HTTP");

            RecordedRequest first = host.takeRequest(30, TimeUnit.SECONDS);
            RecordedRequest retry = host.takeRequest(30, TimeUnit.SECONDS);
            JsonNode body = new ObjectMapper().readTree(first.getBody().readUtf8());
            assertThat(body.path("event_id").asText()).isEqualTo(eventId);
            assertThat(body.path("secret").asText()).isEqualTo(VkFake.SECRET);
            assertThat(body.path("object").path("message").path("text").asText()).isEqualTo("over HTTP");
            assertThat(first.getHeader("X-Retry-Counter")).isNull();
            assertThat(retry.getHeader("X-Retry-Counter")).isEqualTo("1");
            assertThat(new ObjectMapper().readTree(retry.getBody().readUtf8()).path("event_id").asText())
                    .isEqualTo(eventId);
        }
    }
}
