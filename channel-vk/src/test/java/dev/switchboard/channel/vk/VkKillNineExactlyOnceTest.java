package dev.switchboard.channel.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.vk.testing.VkFake;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: a child JVM sends an outbox row, VK (the fake) accepts the message and the child is
 * killed with SIGKILL before it could see the answer, let alone commit it. The retry (here by this JVM, as the outbox
 * on another node would after the lease moved) derives the same {@code random_id} from the row's idempotency key, so
 * VK answers with the message it already has and the customer sees it once.
 */
@Tag("slow")
class VkKillNineExactlyOnceTest {

    @Test
    void aSendKilledBetweenVksAcceptanceAndOurCommitIsShownOnceAfterTheRetry(@TempDir Path work) throws Exception {
        try (VkFake fake = new VkFake()) {
            fake.holdNextSendAfterAccept();
            String key = "0f8e2c1a-outbox-row-4711:0";
            Process child = startChild(work, fake.apiBaseUrl(), key, "Your refund was approved");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> fake.messagesTo(VkFake.KNOWN_RECIPIENT).size() == 1);
                assertThat(child.isAlive()).as("the child is still waiting for VK's answer").isTrue();
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            String childOutput = Files.readString(work.resolve("child.log"));
            assertThat(childOutput).as("the child never saw a receipt").doesNotContain("SENT");

            VkChannel retrying = TestChannels.longPoll(fake).build();
            SendReceipt receipt = retrying.send(VkSendChild.row(retrying, key, "Your refund was approved"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);

            List<VkFake.Delivered> seen = fake.messagesTo(VkFake.KNOWN_RECIPIENT);
            assertThat(seen).hasSize(1);
            assertThat(receipt.platformMessageId()).isEqualTo(Long.toString(seen.get(0).messageId()));
            assertThat(fake.calls("messages.send")).hasSize(2)
                    .extracting(c -> c.params().get("random_id")).containsOnly(seen.get(0).randomId() + "");
        }
    }

    private static Process startChild(Path work, String apiBaseUrl, String key, String text) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), VkSendChild.class.getName(), apiBaseUrl, key, text);
        File log = work.resolve("child.log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
