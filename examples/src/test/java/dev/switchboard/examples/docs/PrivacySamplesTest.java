package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.CallbackRequest;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.privacy.ExportSummary;
import dev.switchboard.inbox.routing.RoutingSettings;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples of docs/privacy.md, verbatim between the markers (see {@link DocSamplesTest}). */
class PrivacySamplesTest {
    @TempDir
    Path dir;

    @Test
    void exportThenErase() throws Exception {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantId tenant = TenantId.of("shop");
            ChannelAccount visitor = ChannelAccount.of(tenant, ChannelId.of("webchat"), "v-1", Profile.named("Ann"));
            WebchatChannel chat = WebchatChannel.builder().tenant(tenant)
                    .tokenSecret("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
            inbox.addChannel(chat).toCompletableFuture().join();
            inbox.start();
            inbox.sink(tenant, chat.id()).deliver(InboundEvent.MessageReceived.of("e-1", visitor, Instant.now(), "m-1",
                    Content.text("hello"))).toCompletableFuture().join();
            CustomerId customer = inbox.customerByAccount(visitor.key()).orElseThrow().id();
            Path archive = dir.resolve("export.zip");
            // ---- doc snippet begins
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            try (OutputStream out = Files.newOutputStream(archive)) {
                ExportSummary summary = shop.privacy().export(customer, out);
                System.out.printf("%d messages, %d media files%n", summary.messages(), summary.mediaFiles());
            }
            ErasureRecord record = shop.privacy().erase(customer, "dpo@shop.example");
            // ---- doc snippet ends
            assertThat(Files.size(archive)).isPositive();
            assertThat(record.isComplete()).isTrue();
            assertThat(record.messages()).isEqualTo(1);
        }
    }

    @Test
    void transcriptsAndCallbacks() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
            // ---- doc snippet begins
            WebchatChannel chat = WebchatChannel.builder()
                    .tenant(shop.tenant())
                    .tokenSecret(secret)
                    .transcriptSender(t -> CompletableFuture.runAsync(() -> shop.privacy().sendTranscript(
                            new AccountKey(shop.tenant(), ChannelId.of("webchat"), t.sessionId()), t.email())))
                    .build();
            // ---- doc snippet ends
            // ---- doc snippet begins
            shop.sla().configure(List.of(
                    SlaPolicy.builder("call-backs")
                            .tags(CallbackRequest.TAG)                // the form's conversations
                            .firstResponse(Duration.ofMinutes(15))
                            .build(),
                    SlaPolicy.builder("standard")
                            .firstResponse(Duration.ofHours(1))
                            .build()));
            shop.routing().configure(RoutingSettings.builder()
                    .queue(c -> c.tags().contains(CallbackRequest.TAG) ? "call-backs" : RoutingSettings.DEFAULT_QUEUE)
                    .build());
            // ---- doc snippet ends
            assertThat(chat.tenant()).isEqualTo(shop.tenant());
            assertThat(shop.sla().policies()).extracting(SlaPolicy::name).containsExactly("call-backs", "standard");
        }
    }
}
