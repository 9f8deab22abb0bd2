package dev.switchboard.examples.docs;

import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.ViberConversationStart;
import dev.switchboard.channel.viber.ViberWelcome;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/channel-viber.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ViberSamplesTest {

    @Test
    void configuration() {
        // ---- doc snippet begins
        ViberChannel viber = ViberChannel.builder()
            .id(ChannelId.of("viber-main"))                          // required
            .tenant(TenantId.of("acme"))                             // default TenantId.DEFAULT
            .authToken(System.getenv("VIBER_TOKEN"))                 // required
            .senderName("Acme Support")                              // required, at most 28 characters
            .senderAvatar("https://example.com/avatar.jpg")          // optional
            .webhookUrl("https://example.com/webhooks/viber/viber-main")   // optional: set_webhook at every start
            .welcome(ViberWelcome.always(Content.text("Hello! How can we help?")))   // optional
            .commercial(true)                                        // default: bots created since 5 Feb 2024
            .sessionWindow(Duration.ofHours(24))                     // default
            .requestsPerSecond(20)                                   // the send rate declared to the outbox
            .maxWebhookBodyBytes(1024 * 1024)                        // callbacks over this get 413
            .apiBaseUrl("https://chatapi.viber.com/pa")              // default
            .build();
        // ---- doc snippet ends
    }

    /** The sample reads the token from the environment; here it is the fake's. */
    private static final class System {
        static String getenv(String name) {
            return ViberFake.TOKEN;
        }
    }

    @Test
    void welcome() {
        // ---- doc snippet begins
        ViberWelcome welcome = start -> Optional.of(Content.of(Choices.of(
                "Hello " + start.account().profile().displayName().orElse("") + "! How can we help?",
                Choice.postback("Order status", "order"), Choice.sharePhone("Share my phone"))));
        // ---- doc snippet ends
        ChannelAccount ann = ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("viber"), "u1==",
                Profile.named("Ann"));
        assertThat(welcome.welcome(new ViberConversationStart(ann, Optional.empty(), false, 7)).orElseThrow()
                .plainText()).startsWith("Hello Ann! How can we help?");
    }

    @Test
    void testing() {
        // ---- doc snippet begins
        try (ViberFake fake = new ViberFake()) {
            ViberChannel viber = ViberChannel.builder().id(ChannelId.of("viber-test")).authToken(ViberFake.TOKEN)
                    .senderName("Test bot").apiBaseUrl(fake.apiBaseUrl()).build();
            fake.pushTo(viber.webhook().orElseThrow());
            // start an inbox with the channel, then:
            fake.deliverText("customer01==", "Ann", "Hello");
        }
        // ---- doc snippet ends
    }
}
