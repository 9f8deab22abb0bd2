package dev.switchboard.examples;

import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.ViberWelcome;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's Viber bot: a real bot when {@code VIBER_TOKEN} and {@code VIBER_WEBHOOK_URL} (the public HTTPS URL of
 * {@code /webhooks/viber/viber} on this server) are set, registered with {@code set_webhook} at start; otherwise the
 * published {@link ViberFake} pushing signed callbacks to the demo's own webhook over HTTP, as Viber would. Either way
 * the bot greets a customer who opens the chat with a welcome message offering two choices.
 */
final class DemoViber {
    static final ChannelId VIBER = ChannelId.of("viber");
    /** The simulated customer who opens the chat with the demo's bot and writes once. */
    static final String DEMO_CUSTOMER = "ivanDemoViberUser0001==";

    private DemoViber() {
    }

    /** The real bot's settings, when both variables are set; one without the other is a configuration error. */
    static Optional<Settings> fromEnvironment(Map<String, String> env) {
        String token = env.getOrDefault("VIBER_TOKEN", "").strip();
        String url = env.getOrDefault("VIBER_WEBHOOK_URL", "").strip();
        if (token.isEmpty() && url.isEmpty()) {
            return Optional.empty();
        }
        if (token.isEmpty() || url.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: a real Viber bot needs VIBER_TOKEN and "
                    + "VIBER_WEBHOOK_URL");
        }
        return Optional.of(new Settings(token, url));
    }

    /** A real bot's token and the public HTTPS URL of the demo's Viber webhook. */
    record Settings(String token, String webhookUrl) {
        @Override
        public String toString() {
            return "Settings[token=***, webhookUrl=" + webhookUrl + "]";
        }
    }

    static ViberChannel.Builder bot(TenantId tenant) {
        return ViberChannel.builder().id(VIBER).tenant(tenant).senderName("Самовар")
                .welcome(ViberWelcome.always(Content.of(Choices.of("Здравствуйте! Это магазин «Самовар». Чем помочь?",
                        Choice.postback("Где мой заказ?", "order-status"), Choice.sharePhone("Поделиться номером")))));
    }
}
