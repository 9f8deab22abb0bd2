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
