package dev.switchboard.inbox.memory;

import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.StoredCampaign;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The in-memory store's campaigns and their recipients, touched only inside its transactions (under its lock); every
 * write registers its undo with the transaction, so a failed transaction leaves nothing behind. Internal.
 */
final class MemoryCampaigns {
    private final Map<String, StoredCampaign> campaigns = new LinkedHashMap<>();
    /** Recipients per campaign key, by customer id. */
    private final Map<String, TreeMap<String, CampaignRecipient>> recipients = new HashMap<>();
    /** The same recipients per campaign key and status, by customer id: rounds read a status without a scan. */
    private final Map<String, Map<RecipientStatus, TreeMap<String, CampaignRecipient>>> byStatus = new HashMap<>();
    /** The PENDING recipients per campaign key in due order (notBefore, then customer id). */
    private final Map<String, java.util.TreeSet<CampaignRecipient>> pendingInOrder = new HashMap<>();
    /** Customer ids of the recipients per campaign key and resolved customer. */
    private final Map<String, Map<String, java.util.Set<String>>> byResolved = new HashMap<>();

    /** Per tenant and outbox message id: {campaign key, customer id} of the recipient it was queued for. */
    private final Map<String, String[]> byMessage = new HashMap<>();
    /** Per tenant, channel and platform message id: {campaign key, customer id} of the recipient. */
    private final Map<String, String[]> byPlatform = new HashMap<>();
    /** Per recipient (campaign key, newline, customer id): its key in {@link #byPlatform}. */
    private final Map<String, String> platformOf = new HashMap<>();

    private static final Comparator<CampaignRecipient> DUE_ORDER = Comparator.comparing(
            CampaignRecipient::notBefore).thenComparing(r -> r.customer().value());

    private static String key(TenantId tenant, CampaignId id) {
        return tenant.value().length() + ":" + tenant.value() + "/" + id.value();
    }

    Optional<StoredCampaign> campaign(TenantId tenant, CampaignId id) {
        return Optional.ofNullable(campaigns.get(key(tenant, id)));
    }

    void save(StoredCampaign c, Consumer<Runnable> onRollback) {
        String k = key(c.tenant(), c.id());
        StoredCampaign previous = campaigns.put(k, c);
        onRollback.accept(() -> {
            if (previous == null) {
                campaigns.remove(k);
            } else {
                campaigns.put(k, previous);
            }
        });
    }

    List<StoredCampaign> in(CampaignState state, int limit) {
        return campaigns.values().stream().filter(c -> c.state() == state)
                .sorted(Comparator.comparing(StoredCampaign::createdAt)).limit(limit).toList();
    }

    List<StoredCampaign> of(TenantId tenant, int limit) {
        return campaigns.values().stream().filter(c -> c.tenant().equals(tenant))
                .sorted(Comparator.comparing(StoredCampaign::createdAt).reversed()
                        .thenComparing(c -> c.id().value()))
                .limit(limit).toList();
    }

    private TreeMap<String, CampaignRecipient> of(TenantId tenant, CampaignId id) {
        return recipients.getOrDefault(key(tenant, id), new TreeMap<>());
    }

    boolean add(CampaignRecipient r, Consumer<Runnable> onRollback) {
        String k = key(r.tenant(), r.campaign());
        TreeMap<String, CampaignRecipient> map = recipients.computeIfAbsent(k, x -> new TreeMap<>());
        if (map.containsKey(r.customer().value())) {
            return false;
        }
        map.put(r.customer().value(), r);
        index(k, null, r);
        onRollback.accept(() -> {
            map.remove(r.customer().value());
            index(k, r, null);
        });
        return true;
    }

    Optional<CampaignRecipient> recipient(TenantId tenant, CampaignId id, CustomerId customer) {
        return Optional.ofNullable(of(tenant, id).get(customer.value()));
    }

    boolean transition(CampaignRecipient from, CampaignRecipient to, Consumer<Runnable> onRollback) {
        TreeMap<String, CampaignRecipient> map = recipients.get(key(from.tenant(), from.campaign()));
        CampaignRecipient stored = map == null ? null : map.get(from.customer().value());
        if (stored == null || stored.status() != from.status()) {
            return false;
        }
        String k = key(from.tenant(), from.campaign());
        map.put(from.customer().value(), to);
        index(k, stored, to);
        onRollback.accept(() -> {
            map.put(from.customer().value(), stored);
            index(k, to, stored);
        });
        return true;
    }

    private static String messageKey(TenantId tenant, dev.switchboard.model.MessageId message) {
        return tenant.value().length() + ":" + tenant.value() + "/" + message.value();
    }

    private static String platformKey(TenantId tenant, dev.switchboard.model.ChannelId channel, String platformId) {
        return tenant.value().length() + ":" + tenant.value() + "/" + channel.value().length() + ":"
                + channel.value() + "/" + platformId;
    }

    void recordPlatformMessage(TenantId tenant, dev.switchboard.model.MessageId message, String platformId,
                               Consumer<Runnable> onRollback) {
        String[] rec = byMessage.get(messageKey(tenant, message));
        if (rec == null) {
            return;
        }
        CampaignRecipient r = recipients.get(rec[0]).get(rec[1]);
        if (r == null || r.channel().isEmpty()) {
            return;
        }
        String recipientKey = rec[0] + "\n" + rec[1];
        String key = platformKey(tenant, r.channel().get(), platformId);
        String previous = platformOf.put(recipientKey, key);
        if (previous != null) {
            byPlatform.remove(previous);
        }
        byPlatform.put(key, rec);
        onRollback.accept(() -> {
            byPlatform.remove(key);
            platformOf.remove(recipientKey);
            if (previous != null) {
                byPlatform.put(previous, rec);
                platformOf.put(recipientKey, previous);
            }
        });
    }

    Optional<CampaignRecipient> byPlatformMessage(TenantId tenant, dev.switchboard.model.ChannelId channel,
                                                  String platformId) {
        String[] rec = byPlatform.get(platformKey(tenant, channel, platformId));
        if (rec == null) {
            return Optional.empty();
        }
        TreeMap<String, CampaignRecipient> map = recipients.get(rec[0]);
        return Optional.ofNullable(map == null ? null : map.get(rec[1]));
    }

    void forgetPlatformMessages(TenantId tenant, java.util.Set<CustomerId> customers, Consumer<Runnable> onRollback) {
        Map<String, String> forgotten = new HashMap<>();
        for (Map.Entry<String, String> e : platformOf.entrySet()) {
            String[] rec = byPlatform.get(e.getValue());
            TreeMap<String, CampaignRecipient> map = rec == null ? null : recipients.get(rec[0]);
            CampaignRecipient r = map == null ? null : map.get(rec[1]);
            if (r != null && r.tenant().equals(tenant) && (customers.contains(r.customer())
                    || r.resolvedCustomer().map(customers::contains).orElse(false))) {
                forgotten.put(e.getKey(), e.getValue());
            }
        }
        Map<String, String[]> removed = new HashMap<>();
        forgotten.forEach((recipientKey, key) -> {
            platformOf.remove(recipientKey);
            removed.put(key, byPlatform.remove(key));
        });
        onRollback.accept(() -> {
            platformOf.putAll(forgotten);
            byPlatform.putAll(removed);
        });
    }

    /** Moves a recipient from {@code before}'s status index to {@code after}'s (either may be null). */
    private void index(String campaignKey, CampaignRecipient before, CampaignRecipient after) {
        if (before != null && before.messageId().isPresent()
                && (after == null || !after.messageId().equals(before.messageId()))) {
            byMessage.remove(messageKey(before.tenant(), before.messageId().get()));
        }
        if (after != null && after.messageId().isPresent()) {
            byMessage.put(messageKey(after.tenant(), after.messageId().get()),
                    new String[] {campaignKey, after.customer().value()});
        }
        Map<RecipientStatus, TreeMap<String, CampaignRecipient>> statuses = byStatus.computeIfAbsent(campaignKey,
                x -> new EnumMap<>(RecipientStatus.class));
        java.util.TreeSet<CampaignRecipient> pending = pendingInOrder.computeIfAbsent(campaignKey,
                x -> new java.util.TreeSet<>(DUE_ORDER));
        Map<String, java.util.Set<String>> resolved = byResolved.computeIfAbsent(campaignKey, x -> new HashMap<>());
        if (before != null) {
            TreeMap<String, CampaignRecipient> m = statuses.get(before.status());
            if (m != null) {
                m.remove(before.customer().value());
            }
            if (before.status() == RecipientStatus.PENDING) {
                pending.remove(before);
            }
            before.resolvedCustomer().ifPresent(c -> {
                java.util.Set<String> ids = resolved.get(c.value());
                if (ids != null) {
                    ids.remove(before.customer().value());
                }
            });
        }
        if (after != null) {
            statuses.computeIfAbsent(after.status(), x -> new TreeMap<>()).put(after.customer().value(), after);
            if (after.status() == RecipientStatus.PENDING) {
                pending.add(after);
            }
            after.resolvedCustomer().ifPresent(c -> resolved.computeIfAbsent(c.value(), x -> new java.util.HashSet<>())
                    .add(after.customer().value()));
        }
    }

    private TreeMap<String, CampaignRecipient> ofStatus(TenantId tenant, CampaignId id, RecipientStatus status) {
        Map<RecipientStatus, TreeMap<String, CampaignRecipient>> statuses = byStatus.get(key(tenant, id));
        TreeMap<String, CampaignRecipient> m = statuses == null ? null : statuses.get(status);
        return m == null ? new TreeMap<>() : m;
    }

    List<CampaignRecipient> due(TenantId tenant, CampaignId id, Instant now, int limit) {
        java.util.TreeSet<CampaignRecipient> pending = pendingInOrder.getOrDefault(key(tenant, id),
                new java.util.TreeSet<>(DUE_ORDER));
        return java.util.stream.Stream.concat(pending.stream().limit(limit),
                        ofStatus(tenant, id, RecipientStatus.DEFERRED).values().stream()
                                .filter(r -> !r.notBefore().isAfter(now)))
                .sorted(DUE_ORDER).limit(limit).toList();
    }

    List<CampaignRecipient> inStatus(TenantId tenant, CampaignId id, RecipientStatus status,
                                     Optional<CustomerId> after, int limit) {
        TreeMap<String, CampaignRecipient> map = ofStatus(tenant, id, status);
        return (after.isPresent() ? map.tailMap(after.get().value(), false) : map).values().stream()
                .limit(limit).toList();
    }

    List<CampaignRecipient> resolvedTo(TenantId tenant, CampaignId id, CustomerId resolved) {
        Map<String, java.util.Set<String>> index = byResolved.get(key(tenant, id));
        java.util.Set<String> ids = index == null ? null : index.get(resolved.value());
        if (ids == null) {
            return List.of();
        }
        TreeMap<String, CampaignRecipient> all = of(tenant, id);
        return ids.stream().sorted().map(all::get).toList();
    }

    Map<RecipientStatus, Long> counts(TenantId tenant, CampaignId id) {
        Map<RecipientStatus, Long> out = new EnumMap<>(RecipientStatus.class);
        for (RecipientStatus s : RecipientStatus.values()) {
            int n = ofStatus(tenant, id, s).size();
            if (n > 0) {
                out.put(s, (long) n);
            }
        }
        return out;
    }

    Map<SkipReason, Long> skipCounts(TenantId tenant, CampaignId id) {
        Map<SkipReason, Long> out = new EnumMap<>(SkipReason.class);
        for (CampaignRecipient r : ofStatus(tenant, id, RecipientStatus.SKIPPED).values()) {
            r.skipReason().ifPresent(reason -> out.merge(reason, 1L, Long::sum));
        }
        return out;
    }
}
