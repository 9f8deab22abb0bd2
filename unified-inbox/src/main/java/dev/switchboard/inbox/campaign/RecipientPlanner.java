package dev.switchboard.inbox.campaign;

import dev.switchboard.channel.Channel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.LinkedAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Decides what a campaign does for one customer: through which of their accounts it sends (the preferred channel type
 * first, then the channels in the order they were added), or why it skips them, or until when it defers them. A
 * channel qualifies only when a granted consent for the purpose is in force for its type, the type is not
 * do-not-contact, the account is not blocked, the customer has not blocked us there, and the send is free or the
 * campaign opted in to paid sends. Stateless; internal.
 */
final class RecipientPlanner {
    private static final List<ChannelType> KNOWN_TYPES = List.of(ChannelType.TELEGRAM, ChannelType.EMAIL,
            ChannelType.WEBCHAT, ChannelType.VK, ChannelType.VIBER);
    private final BiPredicate<Customer, LinkedAccount> blockedUs;
    private final QuietHoursDeferral quietHours;

    RecipientPlanner(BiPredicate<Customer, LinkedAccount> blockedUs, QuietHoursDeferral quietHours) {
        this.blockedUs = blockedUs;
        this.quietHours = quietHours;
    }

    /** What to do for a recipient. */
    sealed interface Plan permits Send, Skip, Defer {
    }

    /** Send through this channel to this account. */
    record Send(Channel channel, LinkedAccount account) implements Plan {
    }

    /** Send nothing. */
    record Skip(SkipReason reason, String detail) implements Plan {
    }

    /** Not now: not before {@code until}. */
    record Defer(Instant until, String detail) implements Plan {
    }

    Plan plan(StoredCampaign campaign, Customer customer, List<Channel> channels, Instant now) {
        String purpose = campaign.purpose();
        Optional<ChannelType> preferred = customer.preferences().preferredChannel();
        List<Candidate> candidates = new ArrayList<>();
        for (LinkedAccount a : customer.accounts()) {
            for (int i = 0; i < channels.size(); i++) {
                Channel c = channels.get(i);
                if (c.id().equals(a.key().channel())) {
                    boolean isPreferred = preferred.isPresent() && preferred.get().equals(c.type());
                    candidates.add(new Candidate(c, a, isPreferred ? 0 : 1, i));
                }
            }
        }
        candidates.sort(Comparator.comparingInt(Candidate::rank).thenComparingInt(Candidate::order));
        boolean consented = false;
        boolean paidRefused = false;
        for (Candidate cand : candidates) {
            ChannelType type = cand.channel().type();
            if (!customer.preferences().hasConsent(purpose, type)) {
                continue;
            }
            consented = true;
            if (!customer.preferences().allows(type) || cand.account().blocked()
                    || blockedUs.test(customer, cand.account())) {
                continue;
            }
            if (!campaign.message().paidSendsAllowed() && cand.channel().sendCost(cand.account().account()).paid()) {
                paidRefused = true;
                continue;
            }
            Optional<Instant> quietUntil = quietHours.deferUntil(customer, type, now);
            if (quietUntil.isPresent() && quietUntil.get().isAfter(now)) {
                return new Defer(quietUntil.get(), "quiet hours of customer " + customer.id() + " on " + type
                        + " until " + quietUntil.get());
            }
            return new Send(cand.channel(), cand.account());
        }
        if (paidRefused) {
            return new Skip(SkipReason.PAID_SEND_NOT_ALLOWED, "every channel that may reach customer "
                    + customer.id() + " would bill the message and the campaign does not allow paid sends");
        }
        if (consented) {
            return new Skip(SkipReason.NO_ALLOWED_CHANNEL, "customer " + customer.id() + " consented to " + purpose
                    + " but no consented channel may be used (do-not-contact, blocked, or they blocked us)");
        }
        if (candidates.isEmpty() && hasConsentAnywhere(customer, purpose)) {
            return new Skip(SkipReason.NO_ALLOWED_CHANNEL, "customer " + customer.id()
                    + " has no account on a channel configured for tenant " + customer.tenant());
        }
        return new Skip(SkipReason.NO_CONSENT, "customer " + customer.id() + " has no granted consent for "
                + purpose + " on a channel they can be reached on");
    }

    /** Whether the customer granted the purpose for any channel type. */
    static boolean hasConsentAnywhere(Customer customer, String purpose) {
        // a consent is for one channel type or all; any granted record in force counts
        return customer.preferences().consents().stream()
                .filter(c -> c.purpose().equals(purpose))
                .flatMap(c -> c.channelType().map(List::of).orElse(KNOWN_TYPES).stream())
                .anyMatch(t -> customer.preferences().hasConsent(purpose, t));
    }

    private record Candidate(Channel channel, LinkedAccount account, int rank, int order) {
    }
}
