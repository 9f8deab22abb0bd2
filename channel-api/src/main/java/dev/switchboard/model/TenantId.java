package dev.switchboard.model;

/**
 * The business (workspace) that owns a customer, account, conversation or channel. A CRM vendor hosts many
 * tenants in one deployment and nothing ever crosses between them; a single-business user uses {@link #DEFAULT}
 * and never has to think about tenancy.
 */
public record TenantId(String value) {
    /** The tenant used when the host never names one. */
    public static final TenantId DEFAULT = new TenantId("default");

    public TenantId {
        Ids.require("TenantId", value);
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
