package dev.switchboard.inbox.campaign;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.MarketingNotice;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The campaign's side of the outbox, inside the caller's transaction: queues a due recipient's message (rendered for
 * their channel, with the unsubscribe footer or header, under an outbox id that is a hash of tenant, campaign and
 * customer) in the transaction that marks them QUEUED, and moves QUEUED recipients to SENT or FAILED once their
 * outbox rows ended. Thread-safe; internal.
 */
final class CampaignQueue {
    /** Recipients read per round to find the QUEUED ones (more than any sane in-flight limit times channels). */
    private static final int QUEUED_SCAN = 2000;
    private final Renderer renderer = Renderer.standard();
    private final CampaignSettings settings;

    CampaignQueue(CampaignSettings settings) {
        this.settings = settings;
    }

    /**
     * Moves QUEUED recipients whose outbox rows all ended to SENT (every part sent) or FAILED (a part failed), and
     * returns how many of the campaign's messages each channel still holds in the outbox.
     */
    Map<ChannelId, Integer> recordOutcomes(InboxTransaction tx, StoredCampaign campaign, Instant now) {
        Map<ChannelId, Integer> inFlight = new java.util.HashMap<>();
        for (CampaignRecipient r : tx.campaignRecipients(campaign.tenant(), campaign.id(), RecipientStatus.QUEUED,
                Optional.empty(), QUEUED_SCAN)) {
            MessageId id = r.messageId().orElseThrow();
            Optional<String> failure = Optional.empty();
            boolean pending = false;
            for (int part = 0; ; part++) {
                Optional<OutboxEntry> row = tx.outboxEntry(id.value() + ":" + part);
                if (row.isEmpty()) {
                    break;
                }
                if (row.get().status() == OutboxEntry.Status.PENDING) {
                    pending = true;
                } else if (row.get().status() == OutboxEntry.Status.FAILED && failure.isEmpty()) {
                    failure = Optional.of(row.get().lastError().orElse("the outbox gave up"));
                }
            }
            if (failure.isPresent()) {
                tx.transitionCampaignRecipient(r, r.outcome(RecipientStatus.FAILED, failure, now));
            } else if (!pending) {
                tx.transitionCampaignRecipient(r, r.outcome(RecipientStatus.SENT, Optional.empty(), now));
            } else {
                inFlight.merge(r.channel().orElseThrow(), 1, Integer::sum);
            }
        }
        return inFlight;
    }

    /** What one queueing round did. */
    record Round(int queued, boolean sawDue) {
    }

    /**
     * Handles up to {@code limit} due recipients: skips, defers or queues each, queueing on a channel only while it
     * has room in {@code free} (a recipient whose channel is full stays due for the next round).
     */
    Round queueDue(InboxTransaction tx, StoredCampaign campaign, RecipientPlanner planner, List<Channel> channels,
                   Map<ChannelId, Integer> free, int limit, Instant now, Runnable beforeQueue,
                   Function<CustomerId, Customer> customers) {
        List<CampaignRecipient> due = tx.dueCampaignRecipients(campaign.tenant(), campaign.id(), now, limit);
        int queued = 0;
        for (CampaignRecipient r : due) {
            Customer customer;
            try {
                customer = customers.apply(r.customer());
            } catch (NoSuchElementException unknown) {
                tx.transitionCampaignRecipient(r, r.skipped(Optional.empty(), SkipReason.UNKNOWN_CUSTOMER,
                        "no customer " + r.customer() + " in tenant " + r.tenant(), now));
                continue;
            }
            boolean duplicate = tx.campaignRecipientsResolvedTo(r.tenant(), r.campaign(), customer.id()).stream()
                    .anyMatch(o -> !o.customer().equals(r.customer()) && o.status() != RecipientStatus.PENDING
                            && o.status() != RecipientStatus.SKIPPED);
            if (duplicate) {
                tx.transitionCampaignRecipient(r, r.skipped(Optional.of(customer.id()), SkipReason.DUPLICATE,
                        "customer " + customer.id() + " already gets this campaign's message through another"
                        + " entry of the audience", now));
                continue;
            }
            RecipientPlanner.Plan plan = planner.plan(campaign, customer, channels, now);
            if (plan instanceof RecipientPlanner.Skip skip) {
                tx.transitionCampaignRecipient(r, r.skipped(Optional.of(customer.id()), skip.reason(),
                        skip.detail(), now));
            } else if (plan instanceof RecipientPlanner.Defer defer) {
                if (r.status() != RecipientStatus.DEFERRED || !r.notBefore().equals(defer.until())) {
                    tx.transitionCampaignRecipient(r, r.deferred(customer.id(), defer.until(), defer.detail(), now));
                }
            } else {
                RecipientPlanner.Send send = (RecipientPlanner.Send) plan;
                ChannelId via = send.channel().id();
                if (free.getOrDefault(via, 0) <= 0) {
                    continue; // the channel has enough of this campaign in the outbox: next round
                }
                beforeQueue.run();
                MessageId id = messageId(campaign, customer.id());
                if (!tx.transitionCampaignRecipient(r, r.queued(customer.id(), via, id, now))) {
                    continue; // another node handled it
                }
                enqueue(tx, campaign, customer, send, id, now);
                free.merge(via, -1, Integer::sum);
                queued++;
            }
        }
        return new Round(queued, !due.isEmpty());
    }

    private void enqueue(InboxTransaction tx, StoredCampaign campaign, Customer customer,
                         RecipientPlanner.Send send, MessageId id, Instant now) {
        Channel channel = send.channel();
        CampaignMessage message = campaign.message();
        Content content = message.content();
        Optional<URI> link = unsubscribeLink(campaign, customer.id());
        if (!channel.type().equals(ChannelType.EMAIL)) {
            // messengers have no header for it: the footer tells how to unsubscribe (the STOP keyword)
            content = withFooter(content, message.footerFor(customer.preferences().language().or(customer::language)));
        }
        RenderedMessage rendered = renderer.render(content, channel.capabilities(send.account().account()),
                channel.id());
        ThreadHints thread = new ThreadHints(List.of(), Optional.empty(), message.subject());
        MarketingNotice notice = new MarketingNotice(campaign.purpose(), link);
        for (int part = 0; part < rendered.bubbles().size(); part++) {
            OutboundMessage out = new OutboundMessage(channel.id(), send.account().account(), id, part,
                    rendered.bubbles().get(part), id.value() + ":" + part, Optional.empty(), thread,
                    Optional.empty(), false, Optional.of(notice));
            tx.enqueue(OutboxEntry.pending(campaign.tenant(), out, now));
        }
    }

    /** The content with the footer as a last paragraph of its last text, or as a text of its own after media. */
    static Content withFooter(Content content, String footer) {
        List<Part> parts = new ArrayList<>(content.parts());
        int last = parts.size() - 1;
        if (last >= 0 && parts.get(last) instanceof Text text) {
            Text.Builder b = Text.builder();
            text.spans().forEach(b::span);
            parts.set(last, b.plain("\n\n" + footer).build());
        } else {
            parts.add(Text.plain(footer));
        }
        return new Content(parts);
    }

    private Optional<URI> unsubscribeLink(StoredCampaign campaign, CustomerId customer) {
        if (settings.unsubscribeUrl().isEmpty() || settings.tokens().isEmpty()) {
            return Optional.empty();
        }
        String token = settings.tokens().get().issue(new UnsubscribeTokens.Subject(campaign.tenant(), customer,
                campaign.purpose(), campaign.id()));
        String base = settings.unsubscribeUrl().get().toString();
        return Optional.of(URI.create(base + (base.contains("?") ? "&" : "?") + "token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    /** The outbox message id of a campaign's message to a customer: the same on every node and after a restart. */
    static MessageId messageId(StoredCampaign campaign, CustomerId customer) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(String.join("\n", campaign.tenant().value(), campaign.id().value(),
                    customer.value()).getBytes(StandardCharsets.UTF_8));
            return MessageId.of("cmp-" + HexFormat.of().formatHex(hash, 0, 20));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
