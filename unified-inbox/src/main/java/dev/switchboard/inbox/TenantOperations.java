package dev.switchboard.inbox;

import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.calendar.CalendarRegistry;
import dev.switchboard.model.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant operational settings the inbox consults while it works: business calendars and the acknowledgement
 * policy, changeable at runtime. Thread-safe; internal.
 */
final class TenantOperations {
    private final Map<TenantId, CalendarRegistry> calendars = new ConcurrentHashMap<>();
    private final Map<TenantId, AckPolicy> acknowledgements = new ConcurrentHashMap<>();
    private final AckPolicy defaultAcknowledgements;

    TenantOperations(AckPolicy defaultAcknowledgements) {
        this.defaultAcknowledgements = defaultAcknowledgements;
    }

    CalendarRegistry calendars(TenantId tenant) {
        return calendars.computeIfAbsent(Objects.requireNonNull(tenant, "tenant"), t -> new CalendarRegistry());
    }

    AckPolicy acknowledgements(TenantId tenant) {
        return acknowledgements.getOrDefault(Objects.requireNonNull(tenant, "tenant"), defaultAcknowledgements);
    }

    void setAcknowledgements(TenantId tenant, AckPolicy policy) {
        acknowledgements.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(policy, "policy"));
    }
}
