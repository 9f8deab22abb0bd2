package dev.switchboard.examples.docs;

import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.vk.VkChannel;
import dev.switchboard.channel.vk.VkLongPollCursor;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import dev.switchboard.testkit.RecordingInboundSink;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/channel-vk.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ChannelVkSamplesTest {

    /** Compiled, not run: it reads the community token from the environment. */
    @SuppressWarnings("unused")
    static void configuration(VkLongPollCursor myDurableCursor, OkHttpClient sharedOkHttpClient) {
        // ---- doc snippet begins
        VkChannel vk = VkChannel.builder()
            .id(ChannelId.of("vk-main"))                       // required
            .tenant(TenantId.of("acme"))                       // default TenantId.DEFAULT
            .groupId(229_000_000L)                             // required: the community's id
            .accessToken(System.getenv("VK_TOKEN"))            // required: the community token
            .apiBaseUrl("https://api.vk.ru/method")            // default; api.vk.com/method also answers
            .longPoll()                                        // default receive mode
            // .callback(System.getenv("VK_SECRET"), System.getenv("VK_CONFIRMATION"))   // Callback API instead
            .longPollWait(Duration.ofSeconds(25))              // a_check wait, 1-90 s (VK recommends 25)
            .longPollSessionMaxAge(Duration.ofHours(1))        // the key is renewed this often, before VK expires it
            .longPollCursor(myDurableCursor)                   // default VkLongPollCursor.inMemory()
            .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
            .requestsPerSecond(20)                             // the community token's API limit
            .maxWebhookBodyBytes(1024 * 1024)                  // Callback API bodies over this get 413
            .httpClient(sharedOkHttpClient)                    // optional
            .clock(Clock.systemUTC())
            .build();
        // ---- doc snippet ends
    }

    /** The sample's channel starts against the fake and stops; whether the message arrived first is not its point. */
    @Test
    void theFakeSampleStartsAndStops() {
        RecordingInboundSink recording = new RecordingInboundSink();
        testingYourIntegration(recording);
        assertThat(recording.rejected()).as("nothing the fake sent was quarantined").isEmpty();
    }

    static void testingYourIntegration(InboundSink sink) {
        // ---- doc snippet begins
        try (VkFake fake = new VkFake()) {
            VkChannel vk = VkChannel.builder().id(ChannelId.of("vk-test")).groupId(VkFake.GROUP_ID)
                .accessToken(VkFake.TOKEN).apiBaseUrl(fake.apiBaseUrl()).build();
            vk.start(sink).toCompletableFuture().join();
            fake.deliverText("1001", "", "Hello");
            // ... your code answers through the channel; fake.messagesTo("1001") is what the customer sees ...
            vk.stop().toCompletableFuture().join();
        }
        // ---- doc snippet ends
    }
}
