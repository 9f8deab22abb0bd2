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
        onRollback.accept(() -> map.remove(r.customer().value()));
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
        map.put(from.customer().value(), to);
        onRollback.accept(() -> map.put(from.customer().value(), stored));
        return true;
    }

    List<CampaignRecipient> due(TenantId tenant, CampaignId id, Instant now, int limit) {
        return of(tenant, id).values().stream()
                .filter(r -> r.status() == RecipientStatus.PENDING
                        || (r.status() == RecipientStatus.DEFERRED && !r.notBefore().isAfter(now)))
                .sorted(Comparator.comparing(CampaignRecipient::notBefore)
                        .thenComparing(r -> r.customer().value()))
                .limit(limit).toList();
    }

    List<CampaignRecipient> inStatus(TenantId tenant, CampaignId id, RecipientStatus status,
                                     Optional<CustomerId> after, int limit) {
        TreeMap<String, CampaignRecipient> map = of(tenant, id);
        return (after.isPresent() ? map.tailMap(after.get().value(), false) : map).values().stream()
                .filter(r -> r.status() == status).limit(limit).toList();
    }

    List<CampaignRecipient> resolvedTo(TenantId tenant, CampaignId id, CustomerId resolved) {
        return of(tenant, id).values().stream()
                .filter(r -> r.resolvedCustomer().isPresent() && r.resolvedCustomer().get().equals(resolved))
                .toList();
    }

    Map<RecipientStatus, Long> counts(TenantId tenant, CampaignId id) {
        Map<RecipientStatus, Long> out = new EnumMap<>(RecipientStatus.class);
        for (CampaignRecipient r : of(tenant, id).values()) {
            out.merge(r.status(), 1L, Long::sum);
        }
        return out;
    }

    Map<SkipReason, Long> skipCounts(TenantId tenant, CampaignId id) {
        Map<SkipReason, Long> out = new EnumMap<>(SkipReason.class);
        for (CampaignRecipient r : of(tenant, id).values()) {
            r.skipReason().ifPresent(reason -> out.merge(reason, 1L, Long::sum));
        }
        return out;
    }
}
