package dev.switchboard.channel.webchat;

import dev.switchboard.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security and resource bounds of the website chat: uploads never run as pages and are bounded and expired, the
 * host-signed identity expires and its nonce is single-use, signed attributes are verified evidence while pre-chat
 * fields are not, sessions and messages are limited per address, and the shared channel lifecycle.
 */
class WebchatHardeningTest {
    static final byte[] TOKEN_SECRET = "hardening-test-token-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final byte[] IDENTITY_SECRET = "host-identity-secret-hardening".getBytes(StandardCharsets.UTF_8);
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    final RecordingInboundSink sink = new RecordingInboundSink();

    WebchatChannel start(WebchatChannel.Builder b) {
        WebchatChannel c = b.build();
        c.start(sink).toCompletableFuture().join();
        return c;
    }

    WebchatChannel.Builder builder() {
        return WebchatChannel.builder().tokenSecret(TOKEN_SECRET).identitySecret(IDENTITY_SECRET).clock(clock)
                .agentsOnline(true);
    }

    static WebhookResponse call(WebchatChannel c, String method, String path, Map<String, List<String>> query,
                                Map<String, List<String>> headers, byte[] body, String address) {
        return c.endpoint().handle(new WebhookRequest(method, path, query, headers, body, Optional.of(address)))
                .toCompletableFuture().join();
    }

    static JsonNode json(WebhookResponse r) {
        return WebchatEndpointTest.parse(r.bodyAsUtf8());
    }

    static JsonNode session(WebchatChannel c, String body, String address) {
        WebhookResponse r = call(c, "POST", "/webchat/session", Map.of(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), address);
        JsonNode n = json(r);
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_status", r.status());
        return n;
    }

    static WebhookResponse upload(WebchatChannel c, String token, String name, String claimedType, byte[] bytes,
                                  String address) {
        return call(c, "POST", "/webchat/upload", Map.of("token", List.of(token), "name", List.of(name)),
                Map.of("Content-Type", List.of(claimedType)), bytes, address);
    }

    static WebhookResponse download(WebchatChannel c, String token, String url) {
        return call(c, "GET", url, Map.of("token", List.of(token)), Map.of(), new byte[0], "1.1.1.1");
    }

    // ------------------------------------------------------------------ item 1: files never run as pages

    @Test
    void anUploadedHtmlPageIsServedAsAnOpaqueAttachmentWithNosniffAndASandbox() {
        WebchatChannel c = start(builder());
        String token = session(c, "{}", "1.1.1.1").path("token").asText();
        byte[] page = "<html><script>fetch('/api/v1/customers')</script></html>".getBytes(StandardCharsets.UTF_8);
        JsonNode up = json(upload(c, token, "invoice.html", "text/html", page, "1.1.1.1"));
        assertThat(up.path("mime").asText()).isEqualTo("application/octet-stream");

        WebhookResponse file = download(c, token, up.path("url").asText());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.headers().get("Content-Type")).containsExactly("application/octet-stream");
        assertThat(file.headers().get("Content-Disposition").get(0)).startsWith("attachment;");
        assertThat(file.headers().get("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(file.headers().get("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");
    }

    @Test
    void anSvgWithAScriptClaimingToBeAnImageIsNotServedAsAnImage() {
        WebchatChannel c = start(builder());
        String token = session(c, "{}", "1.1.1.1").path("token").asText();
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        JsonNode up = json(upload(c, token, "cat.png", "image/png", svg, "1.1.1.1"));
        WebhookResponse file = download(c, token, up.path("url").asText());
        assertThat(file.headers().get("Content-Type")).containsExactly("application/octet-stream");
        assertThat(file.headers().get("Content-Disposition").get(0)).startsWith("attachment;");
    }

    @Test
    void aRealImageIsDetectedByItsBytesAndShownInlineStillSandboxed() {
        WebchatChannel c = start(builder());
        String token = session(c, "{}", "1.1.1.1").path("token").asText();
        JsonNode up = json(upload(c, token, "photo", "text/html", PNG, "1.1.1.1"));
        assertThat(up.path("mime").asText()).isEqualTo("image/png");
        WebhookResponse file = download(c, token, up.path("url").asText());
        assertThat(file.headers().get("Content-Type")).containsExactly("image/png");
        assertThat(file.headers().get("Content-Disposition").get(0)).startsWith("inline;");
        assertThat(file.headers().get("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");
        assertThat(file.body()).isEqualTo(PNG);
    }

    @Test
    void fileLinksCanPointToASeparateOrigin() {
        WebchatChannel c = start(builder().fileOrigin("https://files.example.net"));
        String token = session(c, "{}", "1.1.1.1").path("token").asText();
        JsonNode up = json(upload(c, token, "photo.png", "image/png", PNG, "1.1.1.1"));
        assertThat(up.path("url").asText()).startsWith("https://files.example.net/webchat/files/");
        assertThatThrownBy(() -> builder().fileOrigin("https://files.example.net/path").build())
                .hasMessageContaining("fileOrigin");
    }

    // ------------------------------------------------------------------ item 6: bounded, outside the heap, expired

    @Test
    void uploadsAreBoundedPerSessionPerAddressAndInTotal() {
        WebchatChannel c = start(builder().uploadLimits(UploadLimits.DEFAULT.perSession(2, 1 << 20)
                .perAddress(3, 1 << 20).withTotalBytes(1 << 20)));
        String a = session(c, "{}", "1.1.1.1").path("token").asText();
        String b = session(c, "{}", "1.1.1.1").path("token").asText();
        assertThat(upload(c, a, "1.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
        assertThat(upload(c, a, "2.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
        WebhookResponse third = upload(c, a, "3.png", "image/png", PNG, "1.1.1.1");
        assertThat(third.status()).isEqualTo(429);
        assertThat(json(third).path("code").asText()).isEqualTo("upload_quota_exceeded");
        assertThat(upload(c, b, "4.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
        assertThat(upload(c, b, "5.png", "image/png", PNG, "1.1.1.1").status())
                .as("the address's third file is its limit").isEqualTo(429);
        String other = session(c, "{}", "2.2.2.2").path("token").asText();
        assertThat(upload(c, other, "6.png", "image/png", PNG, "2.2.2.2").status()).isEqualTo(200);
    }

    @Test
    void aFullStoreRefusesTheUploadWithAClearCode() {
        WebchatChannel c = start(builder().fileStore(new InMemoryWebchatFileStore(PNG.length * 2L)));
        String a = session(c, "{}", "1.1.1.1").path("token").asText();
        upload(c, a, "1.png", "image/png", PNG, "1.1.1.1");
        upload(c, a, "2.png", "image/png", PNG, "1.1.1.1");
        WebhookResponse full = upload(c, a, "3.png", "image/png", PNG, "1.1.1.1");
        assertThat(full.status()).isEqualTo(507);
        assertThat(json(full).path("code").asText()).isEqualTo("storage_full");
    }

    @Test
    void filesExpireAfterTheRetentionAndFreeTheirQuota(@TempDir Path dir) {
        DirectoryWebchatFileStore store = new DirectoryWebchatFileStore(dir);
        WebchatChannel c = start(builder().fileStore(store)
                .uploadLimits(UploadLimits.DEFAULT.perSession(1, 1 << 20).withRetention(Duration.ofHours(1))));
        String a = session(c, "{}", "1.1.1.1").path("token").asText();
        String url = json(upload(c, a, "1.png", "image/png", PNG, "1.1.1.1")).path("url").asText();
        assertThat(store.totalBytes()).isEqualTo(PNG.length);
        assertThat(dir.toFile().list()).hasSize(2);
        assertThat(upload(c, a, "2.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(429);

        clock.advance(Duration.ofMinutes(61));
        assertThat(download(c, a, url).status()).as("an expired file is gone").isEqualTo(404);
        assertThat(c.purgeExpiredFiles()).isEqualTo(1);
        assertThat(store.totalBytes()).isZero();
        assertThat(dir.toFile().list()).isEmpty();
        assertThat(upload(c, a, "2.png", "image/png", PNG, "1.1.1.1").status()).isEqualTo(200);
    }

    @Test
    void theDirectoryStoreKeepsFilesAcrossRestartsOwnerOnly(@TempDir Path dir) throws Exception {
        WebchatChannel c = start(builder().fileStore(new DirectoryWebchatFileStore(dir)));
        String a = session(c, "{}", "1.1.1.1").path("token").asText();
        String id = json(upload(c, a, "1.png", "image/png", PNG, "1.1.1.1")).path("id").asText();
        DirectoryWebchatFileStore reopened = new DirectoryWebchatFileStore(dir);
        assertThat(reopened.read(id)).hasValueSatisfying(b -> assertThat(b).isEqualTo(PNG));
        assertThat(reopened.describe(id).orElseThrow().mimeType()).isEqualTo("image/png");
        assertThat(reopened.totalBytes()).isEqualTo(PNG.length);
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve(id + ".bin")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(reopened.read("../../etc/passwd")).isEmpty();
    }

    // ------------------------------------------------------------------ item 4: identity that expires

    String signed(IdentityClaims claims) {
        return "{\"user\":{\"id\":\"" + claims.userId() + "\",\"token\":\"" + WebchatIdentity.sign(IDENTITY_SECRET,
                claims) + "\"}}";
    }

    @Test
    void aSignedIdentityIsAcceptedWithinItsLifetimeOnly() {
        WebchatChannel c = start(builder().identityTokenLifetime(Duration.ofMinutes(10)));
        String body = signed(IdentityClaims.of("user-7", clock.instant()));
        assertThat(session(c, body, "1.1.1.1").path("verified").asBoolean()).isTrue();
        clock.advance(Duration.ofMinutes(12));
        JsonNode late = session(c, body, "1.1.1.1");
        assertThat(late.path("verified").asBoolean()).isFalse();
        assertThat(late.path("identity").asText()).isEqualTo("rejected");
        assertThat(late.path("error").path("code").asText()).isEqualTo("identity_expired");
        JsonNode future = session(c, signed(IdentityClaims.of("user-7", clock.instant().plus(Duration.ofHours(1)))),
                "1.1.1.1");
        assertThat(future.path("error").path("code").asText()).isEqualTo("identity_expired");
    }

    @Test
    void aNonceIsAcceptedOnce() {
        WebchatChannel c = start(builder());
        String body = signed(IdentityClaims.of("user-7", clock.instant()).withNonce("page-view-1"));
        assertThat(session(c, body, "1.1.1.1").path("verified").asBoolean()).isTrue();
        JsonNode replay = session(c, body, "1.1.1.1");
        assertThat(replay.path("verified").asBoolean()).isFalse();
        assertThat(replay.path("error").path("code").asText()).isEqualTo("identity_replayed");
    }

    @Test
    void theUnexpiringUserHashIsRefusedUnlessExplicitlyAllowed() {
        String legacy = "{\"user\":{\"id\":\"user-7\",\"hash\":\"" + HmacSigner.userHash(IDENTITY_SECRET, "user-7")
                + "\"}}";
        WebchatChannel strict = start(builder());
        JsonNode refused = session(strict, legacy, "1.1.1.1");
        assertThat(refused.path("verified").asBoolean()).isFalse();
        assertThat(refused.path("error").path("code").asText()).isEqualTo("identity_legacy_disabled");

        WebchatChannel migrating = start(builder().acceptLegacyUserHash(true));
        assertThat(session(migrating, legacy, "1.1.1.1").path("verified").asBoolean()).isTrue();
    }

    @Test
    void signedAttributesArriveVerifiedAndPrechatFieldsUnverified() {
        WebchatChannel c = start(builder());
        String body = "{\"email\":\"typed@example.org\",\"phone\":\"+7 916 000-11-22\",\"name\":\"Typed\","
                + "\"user\":{\"id\":\"user-9\",\"token\":\"" + WebchatIdentity.sign(IDENTITY_SECRET,
                IdentityClaims.of("user-9", clock.instant()).withEmail("Anna@Example.com").withPhone("+79161234567")
                        .withName("Анна Петрова")) + "\"}}";
        JsonNode s = session(c, body, "1.1.1.1");
        RecordingConnection conn = new RecordingConnection();
        c.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", conn)
                .onFrame(WebchatEndpointTest.message("m1", "hello"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.events().size() == 1);
        InboundEvent e = sink.events().get(0);
        Instant at = e.occurredAt();
        assertThat(e.evidence()).containsExactlyInAnyOrder(
                Evidence.verified(ContactPoint.externalId("user-9"), "webchat.hmac", at),
                Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"), "webchat.signed", at),
                Evidence.verified(new ContactPoint(ContactPoint.Kind.EMAIL, "anna@example.com"), "webchat.signed", at),
                Evidence.unverified(new ContactPoint(ContactPoint.Kind.EMAIL, "typed@example.org"), "webchat.prechat",
                        at),
                Evidence.unverified(new ContactPoint(ContactPoint.Kind.PHONE, "+79160001122"), "webchat.prechat", at));
        assertThat(e.account().profile().displayName()).contains("Анна Петрова");
    }

    @Test
    void anAnonymousVisitorsPrechatFieldsAreNeverVerified() {
        WebchatChannel c = start(builder());
        JsonNode s = session(c, "{\"email\":\"someone@example.org\",\"name\":\"Someone\"}", "1.1.1.1");
        RecordingConnection conn = new RecordingConnection();
        c.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", conn)
                .onFrame(WebchatEndpointTest.message("m1", "hello"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.events().size() == 1);
        assertThat(sink.events().get(0).evidence()).allSatisfy(ev -> assertThat(ev.verified()).isFalse())
                .hasSize(1);
    }

    // ------------------------------------------------------------------ item 7: per-address limits

    @Test
    void sessionCreationIsLimitedPerAddress() {
        WebchatChannel c = start(builder().addressLimits(new AddressLimits(3, 100)));
        for (int i = 0; i < 3; i++) {
            assertThat(session(c, "{}", "6.6.6.6").path("_status").asInt()).isEqualTo(200);
        }
        JsonNode refused = session(c, "{}", "6.6.6.6");
        assertThat(refused.path("_status").asInt()).isEqualTo(429);
        assertThat(refused.path("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.path("retryAfterMs").asLong()).isPositive();
        assertThat(session(c, "{}", "7.7.7.7").path("_status").asInt()).as("another address").isEqualTo(200);
        clock.advance(Duration.ofMinutes(61));
        assertThat(session(c, "{}", "6.6.6.6").path("_status").asInt()).isEqualTo(200);
    }

    @Test
    void theMessageLimitAppliesPerAddressAcrossSessions() {
        WebchatChannel c = start(builder().addressLimits(new AddressLimits(100, 3)));
        int accepted = 0;
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            String token = session(c, "{}", "6.6.6.6").path("token").asText();
            WebhookResponse r = call(c, "POST", "/webchat/messages", Map.of("token", List.of(token)), Map.of(),
                    WebchatEndpointTest.message("m" + i, "hi").getBytes(StandardCharsets.UTF_8), "6.6.6.6");
            if (r.status() == 200) {
                accepted++;
            } else if (r.status() == 429) {
                limited++;
            }
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(limited).isEqualTo(2);
    }

    @Test
    void aCorsPreflightIsAnEmpty204WithoutABodyType() {
        WebchatChannel c = start(builder());
        WebhookResponse r = call(c, "OPTIONS", "/webchat/", Map.of(), Map.of("Origin", List.of("https://shop.example")),
                new byte[0], "1.1.1.1");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers()).doesNotContainKey("Content-Type");
        assertThat(r.headers().get("Access-Control-Allow-Methods")).containsExactly("GET, POST, OPTIONS");
    }

    // ------------------------------------------------------------------ lifecycle and health

    @Test
    void sharedLifecycleDoubleStartIsAnErrorStopIsIdempotentAndARestartWorks() {
        WebchatChannel c = start(builder());
        assertThat(c.health().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThatThrownBy(() -> c.start(sink)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
        c.stop().toCompletableFuture().join();
        c.stop().toCompletableFuture().join();
        assertThat(c.health().status()).isEqualTo(ChannelHealth.Status.STOPPED);
        JsonNode s = session(c, "{}", "1.1.1.1");

        c.start(sink).toCompletableFuture().join();
        RecordingConnection conn = new RecordingConnection();
        c.endpoint().open(s.path("token").asText(), OptionalLong.of(0), "1.1.1.1", conn)
                .onFrame(WebchatEndpointTest.message("after-restart", "still here"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.events().size() == 1);
        assertThat(c.health().lastReceived()).isPresent();
        var receipt = c.send(dev.switchboard.channel.OutboundMessage.simple(c.id(),
                sink.events().get(0).account(), dev.switchboard.render.Bubble.TextBubble.plain("hello again")))
                .toCompletableFuture().join();
        assertThat(receipt.platformMessageId()).startsWith(s.path("sessionId").asText());
        assertThat(c.health().lastSent()).isPresent();
    }

    @Test
    void anAttachmentBecomesMediaTheInboxCanFetchWithItsDetectedType() {
        WebchatChannel c = start(builder());
        JsonNode s = session(c, "{}", "1.1.1.1");
        String token = s.path("token").asText();
        String id = json(upload(c, token, "scan.png", "application/x-evil", PNG, "1.1.1.1")).path("id").asText();
        RecordingConnection conn = new RecordingConnection();
        c.endpoint().open(token, OptionalLong.of(0), "1.1.1.1", conn).onFrame("{\"type\":\"message\",\"clientId\":"
                + "\"m1\",\"text\":\"\",\"attachments\":[{\"id\":\"" + id + "\"}]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.events().size() == 1);
        Media media = (Media) ((InboundEvent.MessageReceived) sink.events().get(0)).content().parts().get(0);
        assertThat(media.mimeType()).isEqualTo("image/png");
        var fetched = c.fetchMedia((MediaSource.PlatformFile) media.source()).toCompletableFuture().join();
        assertThat(fetched.bytes()).isEqualTo(PNG);
    }
}
