package dev.switchboard.inbox.spi;

import dev.switchboard.channel.RejectedInput;
import dev.switchboard.model.TenantId;
import java.util.Objects;

/** Input a channel could not parse, kept with its raw bytes and the reason, visible to operators. */
public record QuarantineEntry(long id, TenantId tenant, RejectedInput input) {
    public QuarantineEntry {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(input, "input");
    }
}
