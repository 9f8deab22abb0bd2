package dev.switchboard.channel.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An erasure deletes a visitor's uploads through {@code Channel.deleteMedia}, in memory and on disk. */
class WebchatFileErasureTest {
    @TempDir
    java.nio.file.Path dir;

    private static String uploadedId(WebchatChannel c) {
        String token = WebchatHardeningTest.session(c, "{}", "1.1.1.1").path("token").asText();
        JsonNode up = WebchatHardeningTest.json(WebchatHardeningTest.upload(c, token, "passport.png", "image/png",
                "PNG-BYTES".getBytes(StandardCharsets.UTF_8), "1.1.1.1"));
        String url = up.path("url").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static void deletesTheUpload(WebchatFileStore store) {
        WebchatChannel c = WebchatChannel.builder().tokenSecret(WebchatEndpointTest.TOKEN_SECRET).fileStore(store)
                .agentsOnline(true).build();
        c.start(new RecordingInboundSink()).toCompletableFuture().join();
        MediaSource.PlatformFile file = new MediaSource.PlatformFile(c.id(), uploadedId(c));
        assertThat(c.fetchMedia(file).toCompletableFuture().join().bytes()).asString(StandardCharsets.UTF_8)
                .isEqualTo("PNG-BYTES");

        assertThat(c.deleteMedia(file).toCompletableFuture().join()).isTrue();

        assertThat(c.fetchMedia(file).toCompletableFuture()).isCompletedExceptionally();
        assertThat(store.totalBytes()).isZero();
        assertThat(c.deleteMedia(file).toCompletableFuture().join()).as("already gone").isTrue();
        assertThat(c.deleteMedia(new MediaSource.PlatformFile(ChannelId.of("other"), "x12345678")).toCompletableFuture())
                .as("another channel's file").isCompletedExceptionally();
        c.stop().toCompletableFuture().join();
    }

    @Test
    void anUploadIsDeletedFromTheInMemoryStore() {
        deletesTheUpload(new InMemoryWebchatFileStore());
    }

    @Test
    void anUploadIsDeletedFromTheDirectoryStore() {
        deletesTheUpload(new DirectoryWebchatFileStore(dir));
    }
}
