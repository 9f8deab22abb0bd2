package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.sla.SlaAction;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SLA samples of docs/operations.md, verbatim between the markers (see {@link DocSamplesTest}). */
class SlaSamplesTest {
    private final List<ConversationId> paged = new ArrayList<>();

    private void page(ConversationId conversation) {
        paged.add(conversation);
    }

    @Test
    void policiesAndAtRiskConversations() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantInbox desk = inbox.forTenant(TenantId.of("shop"));
            // ---- doc snippet begins
            desk.sla().configure(List.of(
                    SlaPolicy.builder("vip-chat")
                            .channelTypes(ChannelType.TELEGRAM, ChannelType.WEBCHAT)
                            .customerAttribute("plan", "gold")
                            .firstResponse(Duration.ofMinutes(2))
                            .nextResponse(Duration.ofMinutes(5))
                            .onWarning(SlaAction.tag("vip-team"))     // the routing queue function reads the tag
                            .onBreach(SlaAction.raisePriority())
                            .build(),
                    SlaPolicy.builder("standard")                     // no conditions: everything else
                            .firstResponse(Duration.ofMinutes(15))
                            .nextResponse(Duration.ofMinutes(30))
                            .resolution(Duration.ofHours(16))
                            .businessTime(true)                       // counted in the tenant's calendar
                            .warnAt(0.75)
                            .pauseTags("waiting-for-customer")        // besides PENDING and SNOOZED
                            .onBreach(SlaAction.callback("page-lead", (tenant, conversation) -> page(conversation)))
                            .build()));

            for (SlaDeadline d : desk.sla().atRisk(50)) {
                System.out.printf("%s %s due %s%n", d.conversation(), d.kind(), d.dueAt());
            }
            // ---- doc snippet ends
            assertThat(desk.sla().policies()).extracting(SlaPolicy::name).containsExactly("vip-chat", "standard");
            assertThat(desk.sla().breached(10)).isEmpty();
            assertThat(paged).isEmpty();
        }
    }
}
