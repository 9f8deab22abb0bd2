package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.email.EmailChannel;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in channel factories turn properties into channels and name what is missing. */
class ChannelFactoryTest {
    private static final String P = "switchboard.tenants[0].channels[0]";

    @Test
    void emailPropertiesMakeAMailboxPacedToTheProvidersLimit() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        SwitchboardProperties.Email e = c.getEmail();
        e.setAddress("Support@Shop.Example");
        e.setDisplayName("Shop Support");
        e.setThreadTokenSecret("0123456789abcdef-secret");
        e.setSendRatePerMinute(20);
        e.getImap().setHost("imap.shop.example");
        e.getImap().setPort(993);
        e.getImap().setUsername("support");
        e.getImap().setPassword("imap-password");
        e.getSmtp().setHost("smtp.shop.example");
        e.getSmtp().setPort(587);
        e.getSmtp().setTls("starttls");
        Channel channel = new EmailChannelFactory().create(TenantId.of("acme"), ChannelId.of("mail"), c, P);
        assertThat(channel).isInstanceOf(EmailChannel.class);
        assertThat(((EmailChannel) channel).address()).isEqualTo("support@shop.example");
        assertThat(channel.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(channel.capabilities().receiveMode()).isEqualTo(ReceiveMode.POLLING);
        assertThat(channel.capabilities().globalRateLimit()).contains(dev.switchboard.channel.RateLimit.perMinute(20));
        assertThat(channel.toString()).doesNotContain("imap-password", "0123456789abcdef-secret");
    }

    @Test
    void emailProblemsAreNamedAllAtOnce() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getEmail().getImap().setTls("ssl");
        assertThatThrownBy(() -> new EmailChannelFactory().create(TenantId.DEFAULT, ChannelId.of("mail"), c, P))
                .isInstanceOfSatisfying(SwitchboardConfigurationException.class, ex -> assertThat(ex.problems())
                        .containsExactly(
                                P + ".email.address: is required (the mailbox address customers write to)",
                                P + ".email.thread-token-secret: is required, at least 16 characters",
                                P + ".email.imap.host: is required (the IMAP server)",
                                P + ".email.imap.port: is required (IMAPS 993)",
                                P + ".email.imap.username: is required (the IMAP login)",
                                P + ".email.imap.tls: must be IMPLICIT, STARTTLS or NONE, got 'ssl'",
                                P + ".email.smtp.host: is required (the SMTP server)",
                                P + ".email.smtp.port: is required (submission 587, SMTPS 465)"));
    }

    @Test
    void telegramWebhookModeNeedsItsUrlAndSecret() {
        SwitchboardProperties.ChannelProperties c = new SwitchboardProperties.ChannelProperties();
        c.getTelegram().setBotToken(SwitchboardConfigurationTest.TOKEN);
        c.getTelegram().setMode(SwitchboardProperties.TelegramReceive.WEBHOOK);
        assertThatThrownBy(() -> new TelegramChannelFactory().create(TenantId.DEFAULT, ChannelId.of("bot"), c, P))
                .isInstanceOfSatisfying(SwitchboardConfigurationException.class, ex -> assertThat(ex.problems())
                        .containsExactly(P + ".telegram.webhook-url: is required in WEBHOOK mode (the public URL"
                                        + " Telegram calls)",
                                P + ".telegram.webhook-secret: is required in WEBHOOK mode (1-256 characters of A-Z"
                                        + " a-z 0-9 _ -)"));
        c.getTelegram().setWebhookUrl("https://shop.example/webhooks/telegram/bot");
        c.getTelegram().setWebhookSecret("s3cret");
        Channel bot = new TelegramChannelFactory().create(TenantId.DEFAULT, ChannelId.of("bot"), c, P);
        assertThat(bot).isInstanceOf(TelegramChannel.class);
        assertThat(bot.webhook()).map(h -> h.path()).contains("/webhooks/telegram/bot");
        assertThat(List.of(bot.toString())).allSatisfy(s -> assertThat(s).doesNotContain("AAHdq", "s3cret"));
    }
}
