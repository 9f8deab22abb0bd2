package dev.switchboard.inbox.kpi;

import dev.switchboard.inbox.calendar.CalendarRegistry;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.TenantId;
import java.util.Objects;
import java.util.function.Function;

/**
 * One inbox node's KPI engine: the projector that keeps the conversation-cycle facts up to date from the durable
 * event feed, with the tenants' calendars for business time. The inbox creates one; hosts use it through
 * {@code TenantInbox.kpis()}. Thread-safe (projections from several threads or nodes take turns on the store's
 * checkpoint).
 */
public final class KpiService {
    private final InboxStore store;
    private final KpiProjector projector;

    /** A service over {@code store}, with each tenant's calendars from {@code calendars}. */
    public KpiService(InboxStore store, Function<TenantId, CalendarRegistry> calendars) {
        this.store = Objects.requireNonNull(store, "store");
        this.projector = new KpiProjector(store, Objects.requireNonNull(calendars, "calendars"));
    }

    /** The KPIs of one tenant. */
    public Kpis forTenant(TenantId tenant) {
        return new Kpis(projector, store, Objects.requireNonNull(tenant, "tenant"));
    }
}
