package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's safe defaults: loopback only, an owner-only secrets file with a generated admin secret. */
class DemoSecurityTest {

    @Test
    void theDemoListensOnLoopbackUnlessToldOtherwise() {
        assertThat(DemoConfig.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(DemoConfig.fromEnvironment(Map.of()).host()).isEqualTo("127.0.0.1");
        DemoConfig exposed = DemoConfig.fromEnvironment(Map.of("HOST", "0.0.0.0",
                "ALLOWED_HOSTS", "support.example.com, 192.168.1.20"));
        assertThat(exposed.host()).isEqualTo("0.0.0.0");
        assertThat(exposed.allowedHosts()).containsExactlyInAnyOrder("support.example.com", "192.168.1.20");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoConfig.fromEnvironment(
                Map.of("ALLOWED_HOSTS", "https://support.example.com"))).hasMessageContaining("ALLOWED_HOSTS");
    }

    @Test
    void theConsoleAndShopPagesCarryAContentSecurityPolicyThatForbidsFraming() throws Exception {
        byte[] secret = "identity-secret-for-the-page-test".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.switchboard.examples.web.WebUi web = new dev.switchboard.examples.web.WebUi(secret,
                new dev.switchboard.examples.web.WebUi.SignedInUser("u-1", "Анна Петрова", "anna@example.ru"));
        dev.switchboard.channel.WebhookResponse shop = get(web, "/");
        String csp = shop.headers().get("Content-Security-Policy").get(0);
        assertThat(csp).contains("frame-ancestors 'none'", "object-src 'none'").doesNotContainPattern("script-src[^;]*unsafe")
                .containsPattern("script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'");
        String nonce = csp.replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertThat(shop.bodyAsUtf8()).contains("<script nonce=\"" + nonce + "\">")
                .contains("token: 'v2.").doesNotContain("hash:");
        assertThat(get(web, "/").headers().get("Content-Security-Policy").get(0)).as("a fresh nonce per page")
                .doesNotContain(nonce);

        dev.switchboard.channel.WebhookResponse console = get(web, "/console/");
        assertThat(console.headers().get("Content-Security-Policy").get(0)).contains("frame-ancestors 'none'",
                "script-src 'self';", "style-src 'self';");
        assertThat(console.headers().get("X-Frame-Options")).containsExactly("DENY");
        dev.switchboard.channel.WebhookResponse options = web.handle(new dev.switchboard.channel.WebhookRequest(
                "OPTIONS", "/console/", Map.of(), Map.of(), new byte[0], java.util.Optional.empty()))
                .toCompletableFuture().join();
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.headers().get("Allow")).containsExactly("GET, HEAD, OPTIONS");
    }

    private static dev.switchboard.channel.WebhookResponse get(dev.switchboard.examples.web.WebUi web, String path) {
        return web.handle(new dev.switchboard.channel.WebhookRequest("GET", path, Map.of(),
                Map.of("Host", java.util.List.of("localhost:8080")), new byte[0], java.util.Optional.empty()))
                .toCompletableFuture().join();
    }

    @Test
    void theSecretsFileIsCreatedOwnerOnlyWithAnAdminSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo-secrets.properties");
        DemoContactCenter.DemoSecrets first = DemoContactCenter.DemoSecrets.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.created()).isTrue();
        assertThat(first.adminSecret()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(first.toString()).doesNotContain(first.adminSecret());

        DemoContactCenter.DemoSecrets again = DemoContactCenter.DemoSecrets.loadOrCreate(file);
        assertThat(again.created()).as("shown once: not generated again").isFalse();
        assertThat(again.adminSecret()).isEqualTo(first.adminSecret());
        assertThat(dir.toFile().list()).containsExactly("demo-secrets.properties");
    }

    @Test
    void aSecretsFileLeftWorldReadableIsTightened(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo-secrets.properties");
        Files.writeString(file, "webchat.token=abc\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        DemoContactCenter.DemoSecrets.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
