package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.TelegramMode;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code telegram} channels from {@link SwitchboardProperties.Telegram}: a bot token (required), polling or a
 * webhook with its public URL and secret. Messages name the property, never the token. Stateless and thread-safe.
 */
public final class TelegramChannelFactory implements ChannelFactory {

    /** Creates the factory. */
    public TelegramChannelFactory() {
    }

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public Channel create(TenantId tenant, ChannelId id, SwitchboardProperties.ChannelProperties properties,
                         String property) {
        SwitchboardProperties.Telegram t = properties.getTelegram();
        String p = property + ".telegram.";
        List<String> problems = new ArrayList<>();
        if (isBlank(t.getBotToken())) {
            problems.add(p + "bot-token: is required for a telegram channel (the token BotFather gave the bot)");
        }
        TelegramMode mode = TelegramMode.polling();
        if (t.getMode() == SwitchboardProperties.TelegramReceive.WEBHOOK) {
            if (isBlank(t.getWebhookUrl())) {
                problems.add(p + "webhook-url: is required in WEBHOOK mode (the public URL Telegram calls)");
            }
            if (isBlank(t.getWebhookSecret())) {
                problems.add(p + "webhook-secret: is required in WEBHOOK mode (1-256 characters of A-Z a-z 0-9 _ -)");
            }
            if (problems.isEmpty()) {
                try {
                    mode = TelegramMode.webhook(t.getWebhookUrl(), t.getWebhookSecret());
                } catch (IllegalArgumentException e) {
                    problems.add(p + "webhook-url/webhook-secret: " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        try {
            return TelegramChannel.builder().id(id).tenant(tenant).botToken(t.getBotToken().strip()).mode(mode)
                    .apiBaseUrl(t.getApiBaseUrl()).pollTimeout(t.getPollTimeout()).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the builder's messages never contain the token
            throw new SwitchboardConfigurationException(p + "*", e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
