package dev.switchboard.channel.email;

import dev.switchboard.channel.Channel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Several mailboxes of one business (support@, feedback@, pr@) as a list of channels, checked to have distinct
 * channel ids and addresses, so a host registers them with the inbox in one line. Each mailbox remains its own
 * {@link EmailChannel} with its own IMAP account, SMTP identity and channel id.
 */
public final class EmailChannels {
    private EmailChannels() {
    }

    public static List<Channel> of(EmailChannel... mailboxes) {
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (EmailChannel m : mailboxes) {
            if (!ids.add(m.tenant() + "/" + m.id())) {
                throw new IllegalArgumentException("two mailboxes share channel id " + m.id());
            }
            if (!addresses.add(m.tenant() + "/" + m.address())) {
                throw new IllegalArgumentException("two mailboxes share address " + m.address());
            }
        }
        return List.of(mailboxes);
    }
}
