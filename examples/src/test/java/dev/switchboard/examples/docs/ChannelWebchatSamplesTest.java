package dev.switchboard.examples.docs;

import dev.switchboard.channel.webchat.AddressLimits;
import dev.switchboard.channel.webchat.DirectoryWebchatFileStore;
import dev.switchboard.channel.webchat.IdentityClaims;
import dev.switchboard.channel.webchat.UploadLimits;
import dev.switchboard.channel.webchat.VisitorActivityListener;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.channel.webchat.WebchatIdentity;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.server.jetty.SwitchboardServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/channel-webchat.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ChannelWebchatSamplesTest {

    /** The host's mail sender that delivers transcripts. */
    interface Mailer {
        CompletionStage<Void> send(String to, String subject, String body);
    }

    /** The host's agent console, shown when a visitor types. */
    interface Console {
        void typing(String sessionId, boolean typing);
    }

    /** The host's opening hours. */
    static boolean isWorkingHour(Instant at) {
        return true;
    }

    /** Compiled, not run: it binds port 8080 and writes under ./data. */
    @SuppressWarnings("unused")
    static void usingIt(byte[] secretBytes32, byte[] hostSecret, Mailer mailer, Console console, InboxStore store,
                        IdentityEngine identity, String sessionId) {
        // ---- doc snippet begins
        WebchatChannel webchat = WebchatChannel.builder()
            .id(ChannelId.of("webchat"))           // default "webchat"; one id per site when a server hosts several
            .tenant(TenantId.of("shop"))
            .basePath("/webchat")                  // default; "/webchat/shop" for one of many sites on one server
            .tokenSecret(secretBytes32)            // signs visitor tokens; keep stable across restarts
            .identitySecret(hostSecret)            // optional: verified logged-in users (WebchatIdentity tokens)
            .identityTokenLifetime(Duration.ofMinutes(30))
            .fileStore(new DirectoryWebchatFileStore(Path.of("data/webchat-files")))   // default: 64 MiB in memory
            .uploadLimits(UploadLimits.DEFAULT)    // per session, per address, total, retention
            .addressLimits(AddressLimits.DEFAULT)  // sessions per hour and messages per minute per IP address
            .fileOrigin("https://files.example.com")  // optional: file links on a second host name
            .transcriptSender(t -> mailer.send(t.email(), "Your chat", t.plainText()))
            .businessHours(at -> isWorkingHour(at))
            .listener(new VisitorActivityListener() { public void typing(String s, boolean on) { console.typing(s, on); } })
            .build();                              // checks every option: IllegalArgumentException naming it
        Inbox inbox = Inbox.builder().store(store).identity(identity)
            .channel(webchat)                       // the inbox calls start(sink) and send(...)
            .build();
        SwitchboardServer.builder().port(8080).channel(webchat).build().start();   // mounts webchat.endpoints()

        webchat.setAgentsOnline(true);              // presence shown by every widget
        webchat.agentTyping(sessionId, true, Optional.of("Anna"));
        webchat.markRead(sessionId);                // the visitor sees "read"
        // ---- doc snippet ends
    }

    @Test
    void theHostSignsALoggedInVisitor() {
        String token = identityToken("host-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8), "page-view-1");
        assertThat(token).isNotBlank().doesNotContain("host-secret");
    }

    static String identityToken(byte[] identitySecret, String pageViewId) {
        // ---- doc snippet begins
        String token = WebchatIdentity.sign(identitySecret, IdentityClaims.of("42", Instant.now())
                .withNonce(pageViewId)             // optional: accepted once
                .withName("Анна Петрова")          // a profile hint
                .withEmail("anna@example.ru")      // verified by the host (confirmation link): verified evidence
                .withPhone("+79161234567"));       // verified by the host (SMS): verified evidence
        // ---- doc snippet ends
        return token;
    }
}
