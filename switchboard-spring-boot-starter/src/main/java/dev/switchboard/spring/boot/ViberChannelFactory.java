package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.ViberWelcome;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code viber} channels from {@link ViberProperties}: an auth token and a sender name (required), an optional
 * avatar, webhook URL to register at start and plain text welcome message, the commercial terms and session window.
 * The channel receives on the application's server at its webhook path. Messages name the property, never the
 * token. Stateless and thread-safe.
 */
public final class ViberChannelFactory implements ChannelFactory {

    /** Creates the factory. */
    public ViberChannelFactory() {
    }

    @Override
    public String type() {
        return "viber";
    }

    @Override
    public Channel create(TenantId tenant, ChannelId id, SwitchboardProperties.ChannelProperties properties,
                         String property) {
        ViberProperties viber = properties.getViber();
        String p = property + ".viber.";
        List<String> problems = new ArrayList<>();
        if (isBlank(viber.getAuthToken())) {
            problems.add(p + "auth-token: is required for a viber channel (the bot's authentication token)");
        }
        if (isBlank(viber.getSenderName())) {
            problems.add(p + "sender-name: is required for a viber channel (the name shown on every message, at most"
                    + " 28 characters)");
        }
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        ViberChannel.Builder b = ViberChannel.builder().id(id).tenant(tenant)
                .authToken(viber.getAuthToken().strip()).senderName(viber.getSenderName().strip())
                .apiBaseUrl(viber.getApiBaseUrl()).commercial(viber.isCommercial())
                .sessionWindow(viber.getSessionWindow()).requestsPerSecond(viber.getRequestsPerSecond());
        if (!isBlank(viber.getSenderAvatar())) {
            b.senderAvatar(viber.getSenderAvatar().strip());
        }
        if (!isBlank(viber.getWebhookUrl())) {
            b.webhookUrl(viber.getWebhookUrl().strip());
        }
        if (!isBlank(viber.getWelcomeText())) {
            b.welcome(ViberWelcome.always(Content.text(viber.getWelcomeText().strip())));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the builder names the option and never shows the token
            throw new SwitchboardConfigurationException(p + "*", e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
