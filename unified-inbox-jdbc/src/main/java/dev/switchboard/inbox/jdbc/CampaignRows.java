package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignMessage;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.StoredCampaign;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Campaigns and their recipients within one transaction. A recipient changes only through {@link #transition}, a
 * conditional update on the status read before: of transactions racing for one recipient (nodes running the same
 * campaign), the database lets one match, so one queues its message.
 */
final class CampaignRows {
    private static final int MAX_DETAIL = 2000;
    private final JdbcStatements jdbc;
    private final CampaignSql sql;
    private final JsonCodec json;

    CampaignRows(JdbcStatements jdbc, CampaignSql sql, JsonCodec json) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
    }

    Optional<StoredCampaign> campaign(TenantId tenant, CampaignId id) {
        return jdbc.queryOne(sql.selectCampaign, this::campaignRow, tenant.value(), id.value());
    }

    void save(StoredCampaign c) {
        jdbc.update(sql.upsertCampaign, c.tenant().value(), c.id().value(), c.purpose(), c.audience(),
                c.state().name(), c.createdAt(), c.updatedAt(), json.write(c.message()));
    }

    List<StoredCampaign> in(CampaignState state, int limit) {
        return jdbc.queryList(sql.selectCampaignsIn, this::campaignRow, state.name(), limit);
    }

    List<StoredCampaign> of(TenantId tenant, int limit) {
        return jdbc.queryList(sql.selectCampaignsOf, this::campaignRow, tenant.value(), limit);
    }

    void recordPlatformMessage(TenantId tenant, MessageId message, String platformId) {
        jdbc.update(sql.setPlatformMessage, platformId, tenant.value(), message.value());
    }

    Optional<CampaignRecipient> byPlatformMessage(TenantId tenant, ChannelId channel, String platformId) {
        return jdbc.queryList(sql.selectByPlatformMessage, this::recipientRow, tenant.value(), channel.value(),
                platformId).stream().findFirst();
    }

    void forgetPlatformMessages(TenantId tenant, java.util.Set<CustomerId> customers) {
        for (CustomerId c : customers) {
            jdbc.update(sql.forgetPlatformMessages, tenant.value(), c.value(), c.value());
        }
    }

    boolean add(CampaignRecipient r) {
        return jdbc.insertIfAbsent(sql.recipientTable, CampaignSql.RECIPIENT_COLUMN_LIST, args(r));
    }

    Optional<CampaignRecipient> recipient(TenantId tenant, CampaignId campaign, CustomerId customer) {
        return jdbc.queryOne(sql.selectRecipient, this::recipientRow, tenant.value(), campaign.value(),
                customer.value());
    }

    boolean transition(CampaignRecipient from, CampaignRecipient to) {
        return jdbc.update(sql.transitionRecipient, to.resolvedCustomer().map(CustomerId::value).orElse(null),
                to.status().name(), to.notBefore(), to.channel().map(ChannelId::value).orElse(null),
                to.messageId().map(MessageId::value).orElse(null), to.skipReason().map(Enum::name).orElse(null),
                detail(to), to.updatedAt(), from.tenant().value(), from.campaign().value(), from.customer().value(),
                from.status().name()) == 1;
    }

    List<CampaignRecipient> due(TenantId tenant, CampaignId campaign, Instant now, int limit) {
        return jdbc.queryList(sql.selectDue, this::recipientRow, tenant.value(), campaign.value(), now, limit);
    }

    List<CampaignRecipient> inStatus(TenantId tenant, CampaignId campaign, RecipientStatus status,
                                     Optional<CustomerId> after, int limit) {
        return after.isPresent()
                ? jdbc.queryList(sql.selectInStatusAfter, this::recipientRow, tenant.value(), campaign.value(),
                        status.name(), after.get().value(), limit)
                : jdbc.queryList(sql.selectInStatus, this::recipientRow, tenant.value(), campaign.value(),
                        status.name(), limit);
    }

    List<CampaignRecipient> resolvedTo(TenantId tenant, CampaignId campaign, CustomerId resolved) {
        return jdbc.queryList(sql.selectResolvedTo, this::recipientRow, tenant.value(), campaign.value(),
                resolved.value());
    }

    Map<RecipientStatus, Long> counts(TenantId tenant, CampaignId campaign) {
        Map<RecipientStatus, Long> out = new EnumMap<>(RecipientStatus.class);
        jdbc.queryList(sql.countByStatus, rs -> Map.entry(RecipientStatus.valueOf(rs.getString(1)), rs.getLong(2)),
                tenant.value(), campaign.value()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    Map<SkipReason, Long> skipCounts(TenantId tenant, CampaignId campaign) {
        Map<SkipReason, Long> out = new EnumMap<>(SkipReason.class);
        jdbc.queryList(sql.countBySkipReason, rs -> Map.entry(SkipReason.valueOf(rs.getString(1)), rs.getLong(2)),
                tenant.value(), campaign.value()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    List<CustomerId> customerIds(TenantId tenant, Optional<CustomerId> after, int limit) {
        return after.isPresent()
                ? jdbc.queryList(sql.selectCustomerIdsAfter, rs -> CustomerId.of(rs.getString(1)), tenant.value(),
                        after.get().value(), limit)
                : jdbc.queryList(sql.selectCustomerIds, rs -> CustomerId.of(rs.getString(1)), tenant.value(), limit);
    }

    private static String detail(CampaignRecipient r) {
        return r.detail().map(d -> d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) : d).orElse(null);
    }

    private static Object[] args(CampaignRecipient r) {
        return new Object[] {r.tenant().value(), r.campaign().value(), r.customer().value(),
                r.resolvedCustomer().map(CustomerId::value).orElse(null), r.status().name(), r.notBefore(),
                r.channel().map(ChannelId::value).orElse(null), r.messageId().map(MessageId::value).orElse(null),
                r.skipReason().map(Enum::name).orElse(null), detail(r), r.updatedAt()};
    }

    private StoredCampaign campaignRow(ResultSet rs) throws SQLException {
        return new StoredCampaign(TenantId.of(rs.getString(1)), CampaignId.of(rs.getString(2)), rs.getString(3),
                rs.getString(4), json.read(rs.getString(8), CampaignMessage.class),
                CampaignState.valueOf(rs.getString(5)), jdbc.instant(rs, 6), jdbc.instant(rs, 7));
    }

    private CampaignRecipient recipientRow(ResultSet rs) throws SQLException {
        return new CampaignRecipient(TenantId.of(rs.getString(1)), CampaignId.of(rs.getString(2)),
                CustomerId.of(rs.getString(3)), Optional.ofNullable(rs.getString(4)).map(CustomerId::of),
                RecipientStatus.valueOf(rs.getString(5)), jdbc.instant(rs, 6),
                Optional.ofNullable(rs.getString(7)).map(ChannelId::of),
                Optional.ofNullable(rs.getString(8)).map(MessageId::of),
                Optional.ofNullable(rs.getString(9)).map(SkipReason::valueOf), Optional.ofNullable(rs.getString(10)),
                jdbc.instant(rs, 11));
    }
}
