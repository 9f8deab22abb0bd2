package dev.switchboard.inbox.jdbc;

import dev.switchboard.model.TenantId;

/** The primary key of a tenant's row (customer, conversation, message): tenant and id. */
record RowKey(String tenant, String id) {
    static RowKey of(TenantId tenant, String id) {
        return new RowKey(tenant.value(), id);
    }
}
