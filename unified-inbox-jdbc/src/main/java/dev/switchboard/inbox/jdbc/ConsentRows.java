package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.consent.ConsentEntry;
import dev.switchboard.inbox.consent.ConsentEvidence;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The consent ledger within one transaction: inserts, and reads by customer or by account (one indexed query per
 * customer or account; a customer's merge group and accounts are a handful). Nothing here updates or deletes a row.
 */
final class ConsentRows {
    private static final Comparator<ConsentEntry> ORDER = Comparator.comparing(ConsentEntry::at)
            .thenComparing(ConsentEntry::id);
    private final JdbcStatements jdbc;
    private final ConsentSql sql;

    ConsentRows(JdbcStatements jdbc, ConsentSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    void append(ConsentEntry e) {
        jdbc.update(sql.insert, e.tenant().value(), e.id(), e.customer().value(),
                e.account().map(a -> a.channel().value()).orElse(null),
                e.account().map(AccountKey::platformUserId).orElse(null), e.purpose(),
                e.channelType().map(ChannelType::value).orElse(null), e.granted() ? 1 : 0, e.at(), e.source(),
                e.evidence().kind().name(), e.evidence().reference(), e.evidence().textVersion().orElse(null));
    }

    List<ConsentEntry> ofCustomers(TenantId tenant, Set<CustomerId> customers) {
        Map<String, ConsentEntry> out = new LinkedHashMap<>();
        for (CustomerId c : customers) {
            for (ConsentEntry e : jdbc.queryList(sql.selectOfCustomer, this::row, tenant.value(), c.value())) {
                out.put(e.id(), e);
            }
        }
        return sorted(out);
    }

    List<ConsentEntry> ofAccounts(TenantId tenant, Set<AccountKey> accounts) {
        Map<String, ConsentEntry> out = new LinkedHashMap<>();
        for (AccountKey a : accounts) {
            if (!a.tenant().equals(tenant)) {
                continue;
            }
            for (ConsentEntry e : jdbc.queryList(sql.selectOfAccount, this::row, tenant.value(),
                    a.channel().value(), a.platformUserId())) {
                out.put(e.id(), e);
            }
        }
        return sorted(out);
    }

    private static List<ConsentEntry> sorted(Map<String, ConsentEntry> byId) {
        List<ConsentEntry> list = new ArrayList<>(byId.values());
        list.sort(ORDER);
        return list;
    }

    private ConsentEntry row(ResultSet rs) throws SQLException {
        TenantId tenant = TenantId.of(rs.getString(1));
        String accountChannel = rs.getString(4);
        Optional<AccountKey> account = accountChannel == null ? Optional.empty()
                : Optional.of(new AccountKey(tenant, ChannelId.of(accountChannel), rs.getString(5)));
        String type = rs.getString(7);
        return new ConsentEntry(tenant, rs.getString(2), CustomerId.of(rs.getString(3)), account, rs.getString(6),
                type == null ? Optional.empty() : Optional.of(new ChannelType(type)), rs.getInt(8) != 0,
                jdbc.instant(rs, 9), rs.getString(10), new ConsentEvidence(ConsentEvidence.Kind.valueOf(
                rs.getString(11)), rs.getString(12), Optional.ofNullable(rs.getString(13))));
    }
}
