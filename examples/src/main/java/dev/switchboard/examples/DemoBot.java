package dev.switchboard.examples;

import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxListener;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shop's little Telegram bot: when someone writes in Telegram and the shop has no verified phone for them yet,
 * it asks them to share their number with Telegram's own contact button (a reply keyboard with
 * {@code request_contact}). A number shared that way is the sender's own, so it is verified evidence the identity
 * engine may merge on. Asks once per account per run.
 */
final class DemoBot implements InboxListener {

    private static final Logger log = LoggerFactory.getLogger(DemoBot.class);
    static final String AGENT = "shop-bot";

    private final Inbox inbox;
    private final TenantId tenant;
    private final ChannelId telegram;
    private final Set<AccountKey> asked = ConcurrentHashMap.newKeySet();

    DemoBot(Inbox inbox, TenantId tenant, ChannelId telegram) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.tenant = tenant;
        this.telegram = telegram;
    }

    @Override
    public void onEvent(InboxEvent event) {
        if (event.type() != InboxEvent.Type.MESSAGE_RECEIVED || event.message().isEmpty()
                || !event.tenant().equals(tenant)) {
            return;
        }
        Message m = inbox.message(tenant, event.message().get()).orElse(null);
        if (m == null || !m.channel().equals(telegram)) {
            return;
        }
        Customer c = inbox.customer(tenant, m.customer()).orElse(null);
        if (c == null || c.contacts().stream().anyMatch(k -> k.verified() && k.point().kind() == ContactPoint.Kind.PHONE)
                || !asked.add(m.account())) {
            return;
        }
        String name = c.displayName().map(n -> n.split(" ")[0]).orElse("");
        Content ask = Content.of(Choices.of(
                "Здравствуйте" + (name.isEmpty() ? "" : ", " + name) + "! Это бот магазина «Самовар». "
                        + "Чтобы мы нашли ваши заказы, поделитесь, пожалуйста, номером телефона — кнопкой ниже.",
                Choice.sharePhone("Поделиться номером")));
        try {
            // automated: a bot's question answers nobody (the SLA clock and routing still see the customer waiting)
            inbox.reply(tenant, m.conversation(), ask, ReplyOptions.defaults().channel(telegram).agent(AGENT)
                    .senderName("Самовар").automated(true));
        } catch (RuntimeException e) {
            log.warn("the bot could not ask for a phone: {}", e.toString());
        }
    }
}
