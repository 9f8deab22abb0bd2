package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process stopped (SIGTERM) while a reply is in flight closes in order: the send completes and is recorded, and
 * only then does the database close — H2 must not close itself first from its own shutdown hook ("Database is
 * already closed").
 */
class ShutdownOrderTest {

    @Test
    void aStopWithASendInFlightRecordsItBeforeTheDatabaseCloses(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("child.log");
        Path logback = dir.resolve("logback-child.xml");
        Files.writeString(logback, "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<encoder><pattern>%-5level %logger{20} - %msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"F\"/></root></configuration>");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                ShutdownChild.class.getName(), dir.resolve("db").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> read(log).contains("SENDING"));
            child.destroy(); // SIGTERM: shutdown hooks run
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        String output = read(log);
        assertThat(output).contains("CLOSED").doesNotContain("already closed").doesNotContain("ERROR");

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").resolve("switchboard")
                + ";MODE=PostgreSQL", "sa", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT status, attempts FROM sb_outbox")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the reply in flight at shutdown\n%s", output).isEqualTo("SENT");
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
        }
    }

    private static String read(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
