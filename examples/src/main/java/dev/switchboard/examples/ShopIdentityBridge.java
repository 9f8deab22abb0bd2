package dev.switchboard.examples;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.InboxListener;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the shop's backend adds to a signed-in chat visitor: when a website chat message comes from a visitor whose
 * shop user id is verified (the widget's HMAC-signed login), the shop looks the user up in its own database and hands
 * Switchboard the email and phone it has confirmed for that user, as verified evidence ({@code shop.account}) on the
 * visitor's chat account. The identity engine then merges by its ordinary rules: the customer holding the same
 * verified phone (shared through Telegram's contact button) and the one holding the same verified email (the sender of
 * a received email) become one customer, each merge logged with this evidence.
 *
 * <p>The evidence goes in through {@link Inbox#sink}: an {@link InboundEvent.AccountUpdate} with a stable event id,
 * so a repeated message adds nothing twice.
 */
final class ShopIdentityBridge implements InboxListener {

    private static final Logger log = LoggerFactory.getLogger(ShopIdentityBridge.class);
    static final String SOURCE = "shop.account";

    private final Inbox inbox;
    private final TenantId tenant;
    private final ChannelId webchat;
    private final ShopDirectory shop;
    private final Clock clock;

    ShopIdentityBridge(Inbox inbox, TenantId tenant, ChannelId webchat, ShopDirectory shop, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.tenant = tenant;
        this.webchat = webchat;
        this.shop = shop;
        this.clock = clock;
    }

    @Override
    public void onEvent(InboxEvent event) {
        if (event.type() != InboxEvent.Type.MESSAGE_RECEIVED || event.message().isEmpty()
                || !event.tenant().equals(tenant)) {
            return;
        }
        Message m = inbox.message(tenant, event.message().get()).orElse(null);
        if (m == null || !m.channel().equals(webchat)) {
            return;
        }
        Customer customer = inbox.customer(tenant, m.customer()).orElse(null);
        if (customer == null) {
            return;
        }
        for (CustomerContact c : customer.contacts()) {
            if (!c.verified() || c.point().kind() != ContactPoint.Kind.EXTERNAL_ID) {
                continue;
            }
            // Only the account the signed login came through gets the shop's evidence.
            if (c.via().isPresent() && !c.via().get().equals(m.account())) {
                continue;
            }
            shop.byId(c.point().value()).ifPresent(user -> vouch(m, user));
        }
    }

    private void vouch(Message m, ShopDirectory.ShopUser user) {
        Instant now = clock.instant();
        List<Evidence> evidence = List.of(
                Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, user.phone()), SOURCE, now),
                Evidence.verified(new ContactPoint(ContactPoint.Kind.EMAIL, user.email()), SOURCE, now));
        Customer owner = inbox.customerByAccount(m.account()).orElse(null);
        if (owner == null) {
            return;
        }
        var account = owner.account(m.account()).map(a -> a.account()).orElse(null);
        if (account == null) {
            return;
        }
        InboundEvent.AccountUpdate update = new InboundEvent.AccountUpdate(
                "shop-profile:" + user.id() + ":" + m.account().platformUserId(), account, now,
                InboundEvent.AccountUpdate.Kind.PROFILE_UPDATED, evidence);
        inbox.sink(tenant, webchat).deliver(update).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("could not store the shop's evidence for {}: {}", user.id(), error.toString());
            } else {
                log.info("shop vouched for signed-in user {}: verified phone and email", user.id());
            }
        });
    }
}
