package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.kpi.KpiDimension;
import dev.switchboard.inbox.kpi.KpiDistribution;
import dev.switchboard.inbox.kpi.KpiMetric;
import dev.switchboard.inbox.kpi.KpiPeriod;
import dev.switchboard.inbox.kpi.KpiQuery;
import dev.switchboard.inbox.kpi.KpiRow;
import dev.switchboard.inbox.kpi.KpiSummary;
import dev.switchboard.inbox.kpi.Kpis;
import dev.switchboard.inbox.kpi.TimeBasis;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples of docs/kpis.md, verbatim between the markers (see {@link DocSamplesTest}). */
class KpiSamplesTest {
    @TempDir
    Path dir;

    @Test
    void summaryAndExport() throws IOException {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            Path previous = Path.of("").toAbsolutePath();
            // ---- doc snippet begins
            Kpis kpis = shop.kpis();
            KpiSummary march = kpis.summary(KpiQuery.builder(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1))
                    .groupBy(KpiDimension.AGENT)
                    .basis(TimeBasis.BUSINESS)
                    .build());
            for (KpiRow row : march.rows()) {
                System.out.printf("%s: %d conversations, first response median %s, p90 %s, CSAT %s%n",
                        row.group().get(KpiDimension.AGENT), row.conversations(), row.firstResponse().median(),
                        row.firstResponse().p90(), row.csatAverage());
            }
            try (Writer csv = Files.newBufferedWriter(Path.of("march.csv"))) {
                kpis.exportCsv(KpiQuery.builder(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1))
                        .groupBy(KpiDimension.CHANNEL_TYPE).period(KpiPeriod.DAY).build(), csv);
            }
            // ---- doc snippet ends
            Path written = previous.resolve("march.csv");
            assertThat(Files.readAllLines(written).get(0)).startsWith("scope,period,channel_type,conversations");
            Files.delete(written);
            assertThat(march.rows()).isEmpty();
            assertThat(march.total().conversations()).isZero();
        }
    }

    @Test
    void recompute() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            // ---- doc snippet begins
            long rewritten = shop.kpis().recomputeBusinessTimes(Instant.parse("2026-03-01T00:00:00Z"),
                    Instant.parse("2026-04-01T00:00:00Z"));
            // ---- doc snippet ends
            assertThat(rewritten).isZero();
        }
    }

    @Test
    void distribution() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            // ---- doc snippet begins
            KpiDistribution waits = shop.kpis().distribution(
                    KpiQuery.builder(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1)).basis(TimeBasis.BUSINESS).build(),
                    KpiMetric.FIRST_RESPONSE);
            for (KpiDistribution.Bucket b : waits.buckets()) {
                System.out.printf("%s..%s: %d%n", b.from(), b.to().map(Object::toString).orElse(""), b.count());
            }
            // ---- doc snippet ends
            assertThat(waits.buckets()).hasSize(11);
            assertThat(waits.count()).isZero();
        }
    }
}
