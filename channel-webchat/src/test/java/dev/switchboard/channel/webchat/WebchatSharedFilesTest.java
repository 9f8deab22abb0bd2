package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatHardeningTest.PNG;
import static dev.switchboard.channel.webchat.WebchatHardeningTest.download;
import static dev.switchboard.channel.webchat.WebchatHardeningTest.json;
import static dev.switchboard.channel.webchat.WebchatHardeningTest.session;
import static dev.switchboard.channel.webchat.WebchatHardeningTest.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two website-chat nodes bound to one channel state and sharing one file store: a file a visitor uploaded through
 * one node is served by the other, and the per-session and per-address upload quotas count uploads through both.
 */
class WebchatSharedFilesTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final RecordingInboundSink sink = new RecordingInboundSink();
    private final ChannelState shared = ChannelState.inMemory(clock);
    private final List<WebchatChannel> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(n -> n.stop().toCompletableFuture().join());
    }

    private WebchatChannel node(WebchatFileStore files, UploadLimits limits) {
        WebchatChannel c = WebchatChannel.builder().tokenSecret(WebchatHardeningTest.TOKEN_SECRET).clock(clock)
                .agentsOnline(true).fileStore(files).uploadLimits(limits).build();
        c.bindState(shared);
        c.start(sink).toCompletableFuture().join();
        nodes.add(c);
        return c;
    }

    @Test
    void aFileUploadedThroughOneNodeIsServedByTheOtherFromTheSharedMetadata() {
        InMemoryWebchatFileStore bytes = new InMemoryWebchatFileStore();
        // each node's store keeps only bytes (as an object store keyed by file id would): the metadata must come
        // from the shared channel state
        WebchatChannel a = node(new BytesOnly(bytes), UploadLimits.DEFAULT);
        WebchatChannel b = node(new BytesOnly(bytes), UploadLimits.DEFAULT);
        String token = session(a, "{}", "1.1.1.1").path("token").asText();
        JsonNode up = json(upload(a, token, "photo.png", "image/png", PNG, "1.1.1.1"));

        var served = download(b, token, up.path("url").asText());
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(PNG);
        assertThat(b.endpoint().file(up.path("id").asText())).hasValueSatisfying(m -> {
            assertThat(m.mimeType()).isEqualTo("image/png");
            assertThat(m.fileName()).contains("photo.png");
        });
        String other = session(b, "{}", "2.2.2.2").path("token").asText();
        assertThat(download(b, other, up.path("url").asText()).status()).as("only the uploader's session")
                .isEqualTo(404);
    }

    @Test
    void uploadQuotasCountUploadsThroughEveryNode() {
        InMemoryWebchatFileStore files = new InMemoryWebchatFileStore();
        UploadLimits limits = UploadLimits.DEFAULT.perSession(2, 1 << 20).perAddress(3, 1 << 20)
                .withRetention(Duration.ofHours(1));
        WebchatChannel a = node(files, limits);
        WebchatChannel b = node(files, limits);
        String first = session(a, "{}", "1.1.1.1").path("token").asText();

        assertThat(upload(a, first, "1.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
        assertThat(upload(b, first, "2.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
        assertThat(json(upload(a, first, "3.png", "image/png", PNG, "1.1.1.1")).path("code").asText())
                .as("the session's quota spans both nodes").isEqualTo("upload_quota_exceeded");

        String second = session(b, "{}", "1.1.1.1").path("token").asText();
        assertThat(upload(b, second, "4.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
        assertThat(upload(a, second, "5.png", "image/png", PNG, "1.1.1.1").status())
                .as("the address's quota spans both nodes").isEqualTo(429);

        clock.advance(Duration.ofMinutes(61));
        assertThat(upload(b, first, "6.png", "image/png", PNG, "1.1.1.1").status())
                .as("expired uploads free the quota on every node").isEqualTo(200);
    }

    /** A store that shares bytes but knows no metadata, as a host's object store keyed by file id. */
    private record BytesOnly(InMemoryWebchatFileStore bytes) implements WebchatFileStore {
        @Override
        public void put(WebchatFile file, byte[] content) {
            bytes.put(file, content);
        }

        @Override
        public Optional<WebchatFile> describe(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> read(String id) {
            return bytes.read(id);
        }

        @Override
        public List<WebchatFile> purgeCreatedBefore(Instant cutoff) {
            return bytes.purgeCreatedBefore(cutoff);
        }

        @Override
        public long totalBytes() {
            return bytes.totalBytes();
        }
    }
}
