package dev.switchboard.inbox;

import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.model.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity engine of each tenant: one configured for the tenant ({@code Inbox.Builder.identity(tenant, engine)},
 * e.g. a Belarusian shop whose customers write phone numbers without +375 next to a Russian one), else the inbox's
 * default engine. Internal; thread-safe (tenants can be configured while the inbox runs).
 */
final class TenantIdentities {
    private final IdentityEngine fallback;
    private final Map<TenantId, IdentityEngine> perTenant = new ConcurrentHashMap<>();

    TenantIdentities(IdentityEngine fallback, Map<TenantId, IdentityEngine> perTenant) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.perTenant.putAll(perTenant);
    }

    IdentityEngine of(TenantId tenant) {
        return perTenant.getOrDefault(tenant, fallback);
    }

    void set(TenantId tenant, IdentityEngine engine) {
        perTenant.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(engine, "identity"));
    }
}
