package dev.switchboard.inbox.campaign;

import dev.switchboard.channel.Channel;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbox node's campaign engine. A worker looks every {@link CampaignSettings#interval()} at the stored RUNNING
 * campaigns of every tenant: it first moves QUEUED recipients whose outbox rows ended to SENT or FAILED, then hands
 * due recipients to the outbox, a few per channel at a time ({@link CampaignSettings#inFlightPerChannel()}), each in
 * the transaction that marks the recipient QUEUED (a conditional update, so of nodes racing for one recipient one
 * queues it) under an outbox id derived from tenant, campaign and customer (so it can never be queued twice), and
 * ends the campaign when nobody is left. Everything is in the store, so a restarted node, or any other, continues a
 * campaign where it stopped. The inbox creates one; hosts use it through {@code TenantInbox.campaigns()}.
 * Thread-safe.
 */
public final class CampaignService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CampaignService.class);
    private static final int AUDIENCE_PAGE = 500;
    private static final long COMPLETION_CHECK_NANOS = 1_000_000_000L;

    /** The identity operations campaigns need, given by the inbox. */
    public interface Identity {
        /** The canonical customer of any id the customer had; throws {@link NoSuchElementException} if unknown. */
        Customer customer(InboxTransaction tx, TenantId tenant, CustomerId id);

        /** Whether the customer blocked us (or unsubscribed on the platform) on this account. */
        boolean blockedUs(Customer customer, LinkedAccount account);

        /** Changes a customer's preferences and publishes it, as {@code TenantInbox.updatePreferences} does. */
        Customer updatePreferences(TenantId tenant, CustomerId customer, UnaryOperator<Preferences> change);
    }

    private final InboxStore store;
    private final Clock clock;
    private final Function<TenantId, List<Channel>> channels;
    private final Identity identity;
    private final Runnable wakeOutbox;
    private final Runnable wakeFeed;
    private final CampaignSettings settings;
    private final CampaignQueue queue;
    private volatile RecipientPlanner planner;
    /** When each campaign's open recipients were last counted (nanoTime), for {@link #completionCheckDue}. */
    private final Map<String, Long> lastCompletionCheck = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService worker;
    private boolean closed;
    /** Test seam: runs inside the transaction before each recipient is queued (a crash injector). */
    volatile Runnable beforeQueue = () -> { };

    /**
     * Called by the inbox.
     *
     * @param channels a tenant's configured channels, in the order they were added
     * @param wakeOutbox wakes the node's outbox after a commit that queued messages
     * @param wakeFeed wakes the node's feed dispatcher after a commit that appended events
     */
    public CampaignService(InboxStore store, Clock clock, Function<TenantId, List<Channel>> channels,
                           Identity identity, Runnable wakeOutbox, Runnable wakeFeed, CampaignSettings settings) {
        this.store = store;
        this.clock = clock;
        this.channels = channels;
        this.identity = identity;
        this.wakeOutbox = wakeOutbox;
        this.wakeFeed = wakeFeed;
        this.settings = settings;
        this.queue = new CampaignQueue(settings);
        this.planner = new RecipientPlanner(identity::blockedUs, QuietHoursDeferral.PREFERENCES);
    }

    /** Replaces the quiet-hours check (the seam for the consent preferences); internal. */
    void quietHours(QuietHoursDeferral quietHours) {
        this.planner = new RecipientPlanner(identity::blockedUs, quietHours);
    }

    /** One tenant's campaigns. */
    public Campaigns forTenant(TenantId tenant) {
        return new Campaigns(this, tenant);
    }

    /** The node's settings. */
    CampaignSettings settings() {
        return settings;
    }

    /** Starts the worker, which continues the RUNNING campaigns in the store. Called by the inbox's start. */
    public void start() {
        synchronized (lifecycle) {
            if (closed || worker != null) {
                return;
            }
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "switchboard-campaigns");
                t.setDaemon(true);
                return t;
            });
            worker.scheduleWithFixedDelay(this::runSafely, 0, settings.interval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the worker; what it committed stays, and any node continues from it. */
    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (lifecycle) {
            closed = true;
            w = worker;
            worker = null;
        }
        if (w != null) {
            w.shutdownNow();
            try {
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runSafely() {
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("Campaign round failed; retrying in {}: {}", settings.interval(), e.toString());
        }
    }

    /**
     * One round over every RUNNING campaign: records outbox outcomes, queues what the per-channel limit allows, ends
     * campaigns with nobody left. The worker calls it; tests call it to move without waiting. Returns how many
     * recipients it queued.
     */
    public synchronized int runDue() {
        int queued = 0;
        List<StoredCampaign> running = store.inTransaction(tx -> tx.campaignsIn(CampaignState.RUNNING, 1000));
        for (StoredCampaign c : running) {
            queued += runCampaign(c);
        }
        return queued;
    }

    private int runCampaign(StoredCampaign campaign) {
        Map<ChannelId, Integer> inFlight = store.inTransaction(tx -> queue.recordOutcomes(tx, campaign,
                clock.instant()));
        List<Channel> tenantChannels = channels.apply(campaign.tenant());
        Map<ChannelId, Integer> free = new HashMap<>();
        int totalFree = 0;
        for (Channel c : tenantChannels) {
            int f = Math.max(0, settings.inFlightPerChannel() - inFlight.getOrDefault(c.id(), 0));
            free.put(c.id(), f);
            totalFree += f;
        }
        CampaignQueue.Round round = new CampaignQueue.Round(0, true);
        if (totalFree > 0) {
            int limit = Math.min(settings.batchSize(), Math.max(totalFree * 4, 8));
            round = store.inTransaction(tx -> queue.queueDue(tx, campaign, planner, tenantChannels,
                    new HashMap<>(free), limit, clock.instant(), beforeQueue,
                    id -> identity.customer(tx, campaign.tenant(), id)));
            if (round.queued() > 0) {
                wakeOutbox.run();
            }
        }
        if (inFlight.isEmpty() && !round.sawDue() && completionCheckDue(campaign)) {
            completeIfDone(campaign.tenant(), campaign.id());
        }
        return round.queued();
    }

    /**
     * Whether to count the campaign's open recipients now: at once when it just ran out of due ones, then at most
     * once a second while only deferred ones are left (the count is a grouped query over every recipient).
     */
    private boolean completionCheckDue(StoredCampaign campaign) {
        long now = System.nanoTime();
        String key = campaign.tenant().value() + "/" + campaign.id().value();
        Long last = lastCompletionCheck.get(key);
        if (last != null && now - last < COMPLETION_CHECK_NANOS) {
            return false;
        }
        lastCompletionCheck.put(key, now);
        return true;
    }

    private void completeIfDone(TenantId tenant, CampaignId id) {
        boolean completed = store.inTransaction(tx -> {
            Optional<StoredCampaign> c = tx.campaign(tenant, id);
            if (c.isEmpty() || c.get().state() != CampaignState.RUNNING) {
                return false;
            }
            Map<RecipientStatus, Long> counts = tx.campaignRecipientCounts(tenant, id);
            long open = counts.getOrDefault(RecipientStatus.PENDING, 0L)
                    + counts.getOrDefault(RecipientStatus.DEFERRED, 0L)
                    + counts.getOrDefault(RecipientStatus.QUEUED, 0L);
            if (open > 0) {
                return false;
            }
            Instant now = clock.instant();
            tx.saveCampaign(c.get().withState(CampaignState.COMPLETED, now));
            tx.appendEvent(CampaignEvents.updated(c.get(), CampaignState.COMPLETED, counts, now));
            return true;
        });
        if (completed) {
            log.info("Campaign {}/{} completed", tenant, id);
            wakeFeed.run();
        }
    }

    // ---- the tenant API's operations ----------------------------------------------------------------------------

    StoredCampaign create(TenantId tenant, Campaign campaign) {
        List<CustomerId> ids = new ArrayList<>();
        int consented = 0;
        String audience;
        if (campaign.audience() instanceof Audience.Listed listed) {
            audience = "list of " + listed.customers().size();
            java.util.LinkedHashSet<CustomerId> unique = new java.util.LinkedHashSet<>(listed.customers());
            ids.addAll(unique);
            List<CustomerId> all = List.copyOf(unique);
            for (int from = 0; from < all.size(); from += AUDIENCE_PAGE) {
                List<CustomerId> page = all.subList(from, Math.min(all.size(), from + AUDIENCE_PAGE));
                consented += store.inTransaction(tx -> countConsented(tx, tenant, page, campaign.purpose()));
            }
        } else {
            Audience.Segment segment = (Audience.Segment) campaign.audience();
            audience = "segment " + segment.name();
            Optional<CustomerId> after = Optional.empty();
            while (true) {
                Optional<CustomerId> from = after;
                List<Customer> page = store.inTransaction(tx -> {
                    List<Customer> out = new ArrayList<>();
                    for (CustomerId id : tx.customerIds(tenant, from, AUDIENCE_PAGE)) {
                        tx.customer(tenant, id).ifPresent(out::add);
                    }
                    return out;
                });
                if (page.isEmpty()) {
                    break;
                }
                for (Customer c : page) {
                    if (!c.isMerged() && segment.matches().test(c)) {
                        ids.add(c.id());
                        if (RecipientPlanner.hasConsentAnywhere(c, campaign.purpose())) {
                            consented++;
                        }
                    }
                }
                after = Optional.of(page.get(page.size() - 1).id());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("campaign " + campaign.id() + ": the audience (" + audience
                    + ") has no customers in tenant " + tenant + "; nothing created");
        }
        if (consented == 0) {
            throw new IllegalArgumentException("campaign " + campaign.id() + ": no customer of the audience ("
                    + audience + ") has a granted consent for purpose " + campaign.purpose() + "; nothing created");
        }
        if (store.inTransaction(tx -> tx.campaign(tenant, campaign.id())).isPresent()) {
            throw new IllegalStateException("campaign " + campaign.id() + " already exists in tenant " + tenant);
        }
        Instant now = clock.instant();
        // recipients first, the campaign row last: a create cut short leaves no campaign, and running it again
        // completes the recipients (inserts skip the ones already there)
        for (int from = 0; from < ids.size(); from += AUDIENCE_PAGE) {
            List<CustomerId> page = ids.subList(from, Math.min(ids.size(), from + AUDIENCE_PAGE));
            store.inTransaction(tx -> {
                for (CustomerId id : page) {
                    tx.addCampaignRecipient(CampaignRecipient.pending(tenant, campaign.id(), id, now));
                }
                return null;
            });
        }
        StoredCampaign stored = new StoredCampaign(tenant, campaign.id(), campaign.purpose(), audience,
                campaign.message(), CampaignState.READY, now, now);
        store.inTransaction(tx -> {
            if (tx.campaign(tenant, campaign.id()).isPresent()) {
                throw new IllegalStateException("campaign " + campaign.id() + " already exists in tenant " + tenant);
            }
            tx.saveCampaign(stored);
            tx.appendEvent(CampaignEvents.updated(stored, CampaignState.READY, Map.of(), now));
            return null;
        });
        wakeFeed.run();
        log.info("Campaign {}/{} created for {} recipient(s), {} with consent", tenant, campaign.id(), ids.size(),
                consented);
        return stored;
    }

    private int countConsented(InboxTransaction tx, TenantId tenant, List<CustomerId> page, String purpose) {
        int n = 0;
        for (CustomerId id : page) {
            try {
                if (RecipientPlanner.hasConsentAnywhere(identity.customer(tx, tenant, id), purpose)) {
                    n++;
                }
            } catch (NoSuchElementException unknown) {
                // an unknown id is stored and skipped with UNKNOWN_CUSTOMER when its turn comes
            }
        }
        return n;
    }

    /** Moves a campaign from one of {@code from} to {@code to}, with its event. */
    StoredCampaign transition(TenantId tenant, CampaignId id, CampaignState to, CampaignState... from) {
        StoredCampaign changed = store.inTransaction(tx -> {
            StoredCampaign c = tx.campaign(tenant, id).orElseThrow(() -> new NoSuchElementException("no campaign "
                    + id + " in tenant " + tenant));
            if (!List.of(from).contains(c.state())) {
                throw new IllegalStateException("campaign " + id + " is " + c.state() + "; it can become " + to
                        + " only from " + List.of(from));
            }
            Instant now = clock.instant();
            StoredCampaign next = c.withState(to, now);
            tx.saveCampaign(next);
            tx.appendEvent(CampaignEvents.updated(next, to, to == CampaignState.CANCELLED
                    ? tx.campaignRecipientCounts(tenant, id) : Map.of(), now));
            return next;
        });
        if (to == CampaignState.CANCELLED) {
            skipUnqueued(tenant, id);
        }
        wakeFeed.run();
        return changed;
    }

    private void skipUnqueued(TenantId tenant, CampaignId id) {
        while (true) {
            int skipped = store.inTransaction(tx -> {
                Instant now = clock.instant();
                int n = 0;
                for (RecipientStatus s : List.of(RecipientStatus.PENDING, RecipientStatus.DEFERRED)) {
                    for (CampaignRecipient r : tx.campaignRecipients(tenant, id, s, Optional.empty(),
                            AUDIENCE_PAGE)) {
                        if (tx.transitionCampaignRecipient(r, r.skipped(r.resolvedCustomer(), SkipReason.CANCELLED,
                                "campaign " + id + " was cancelled", now))) {
                            n++;
                        }
                    }
                }
                return n;
            });
            if (skipped == 0) {
                return;
            }
        }
    }

    List<StoredCampaign> list(TenantId tenant, int limit) {
        return store.inTransaction(tx -> tx.campaignsOf(tenant, limit));
    }

    Optional<StoredCampaign> campaign(TenantId tenant, CampaignId id) {
        return store.inTransaction(tx -> tx.campaign(tenant, id));
    }

    CampaignProgress progress(TenantId tenant, CampaignId id) {
        return store.inTransaction(tx -> {
            StoredCampaign c = tx.campaign(tenant, id).orElseThrow(() -> new NoSuchElementException("no campaign "
                    + id + " in tenant " + tenant));
            if (c.state() == CampaignState.RUNNING || c.state() == CampaignState.PAUSED
                    || c.state() == CampaignState.CANCELLED) {
                queue.recordOutcomes(tx, c, clock.instant());
            }
            Map<RecipientStatus, Long> byStatus = new EnumMap<>(RecipientStatus.class);
            for (RecipientStatus s : RecipientStatus.values()) {
                byStatus.put(s, 0L);
            }
            byStatus.putAll(tx.campaignRecipientCounts(tenant, id));
            Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
            for (SkipReason r : SkipReason.values()) {
                skipped.put(r, 0L);
            }
            skipped.putAll(tx.campaignSkipCounts(tenant, id));
            return new CampaignProgress(id, c.state(), byStatus, skipped);
        });
    }

    List<CampaignRecipient> recipients(TenantId tenant, CampaignId id, RecipientStatus status,
                                       Optional<CustomerId> after, int limit) {
        return store.inTransaction(tx -> tx.campaignRecipients(tenant, id, status, after, limit));
    }

    Optional<CampaignRecipient> recipient(TenantId tenant, CampaignId id, CustomerId customer) {
        return store.inTransaction(tx -> tx.campaignRecipient(tenant, id, customer));
    }

    UnsubscribeTokens.Subject unsubscribe(TenantId tenant, String token) {
        UnsubscribeTokens tokens = settings.tokens().orElseThrow(() -> new IllegalStateException(
                "unsubscribe links are not configured (CampaignSettings.unsubscribeLinks)"));
        UnsubscribeTokens.Subject subject = tokens.verify(tenant, token);
        Instant now = clock.instant();
        Customer unsubscribed = identity.updatePreferences(tenant, subject.customer(),
                p -> p.withConsent(subject.purpose(), false, "unsubscribe-link:" + subject.campaign().value(), now));
        store.inTransaction(tx -> tx.appendEvent(CampaignEvents.unsubscribed(tenant, unsubscribed.id(), subject,
                now)));
        wakeFeed.run();
        log.info("Customer {} of tenant {} unsubscribed from {} through campaign {}", unsubscribed.id(), tenant,
                subject.purpose(), subject.campaign());
        return subject;
    }

    /** Events of campaigns. */
    static final class CampaignEvents {
        private CampaignEvents() {
        }

        static InboxEvent updated(StoredCampaign c, CampaignState state, Map<RecipientStatus, Long> counts,
                                  Instant now) {
            Map<String, String> attrs = new HashMap<>();
            attrs.put(InboxEvent.Attribute.CAMPAIGN, c.id().value());
            attrs.put(InboxEvent.Attribute.CAMPAIGN_STATE, state.name());
            attrs.put(InboxEvent.Attribute.PURPOSE, c.purpose());
            if (state.isFinal()) {
                // delivered messages were sent too; a receipt may have come before the campaign ended
                attrs.put(InboxEvent.Attribute.SENT, Long.toString(counts.getOrDefault(RecipientStatus.SENT, 0L)
                        + counts.getOrDefault(RecipientStatus.DELIVERED, 0L)));
                attrs.put(InboxEvent.Attribute.FAILED,
                        Long.toString(counts.getOrDefault(RecipientStatus.FAILED, 0L)));
                attrs.put(InboxEvent.Attribute.SKIPPED,
                        Long.toString(counts.getOrDefault(RecipientStatus.SKIPPED, 0L)));
            }
            return new InboxEvent(0, c.tenant(), InboxEvent.Type.CAMPAIGN_UPDATED, Optional.empty(),
                    Optional.empty(), Optional.empty(), attrs, now);
        }

        static InboxEvent unsubscribed(TenantId tenant, CustomerId customer, UnsubscribeTokens.Subject s,
                                       Instant now) {
            return new InboxEvent(0, tenant, InboxEvent.Type.CAMPAIGN_UNSUBSCRIBED, Optional.empty(),
                    Optional.empty(), Optional.of(customer), Map.of(InboxEvent.Attribute.CAMPAIGN, s.campaign().value(),
                    InboxEvent.Attribute.PURPOSE, s.purpose(), InboxEvent.Attribute.SOURCE, "unsubscribe-link"), now);
        }
    }
}
