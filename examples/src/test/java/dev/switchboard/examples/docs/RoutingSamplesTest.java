package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.routing.Agent;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.Candidate;
import dev.switchboard.inbox.routing.Presence;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.routing.Router;
import dev.switchboard.inbox.routing.Routing;
import dev.switchboard.inbox.routing.RoutingSettings;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The samples of the "Agents and routing" section of docs/operations.md, verbatim between the markers. */
class RoutingSamplesTest {

    @Test
    void configureRoutingAndRegisterAnAgent() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            // ---- doc snippet begins
            TenantInbox desk = inbox.forTenant(TenantId.of("shop"));
            Routing routing = desk.routing();
            routing.configure(RoutingSettings.builder()
                    .router(Router.leastBusy())                       // the default queue
                    .router("vip", Router.skillsMatch())              // the vip team's queue
                    .queue(c -> c.tags().contains("vip") ? "vip" : RoutingSettings.DEFAULT_QUEUE)
                    .channelLanguage(ChannelId.of("tg-ru"), "ru")     // when the customer's profile has none
                    .stickyWindow(Duration.ofDays(3))
                    .offlineGrace(Duration.ofMinutes(2))
                    .build());
            routing.register(Agent.builder("anna").displayName("Anna").languages("ru", "en")
                    .skills("billing").teams("vip").capacity(5).capacity(ChannelType.EMAIL, 3).build());
            routing.setPresence("anna", Presence.ONLINE);
            // ---- doc snippet ends
            assertThat(routing.agent("anna")).hasValueSatisfying(a -> assertThat(a.presence())
                    .isEqualTo(Presence.ONLINE));
            consoleQueries(routing);
            assertThat(manualTake(routing)).isEmpty();
        }
    }

    private static void consoleQueries(Routing routing) {
        // ---- doc snippet begins
        Instant now = Instant.now();
        for (QueuedConversation waiting : routing.queue(50)) {
            System.out.printf("%s %s waits %s%n", waiting.conversation(), waiting.priority(), waiting.waited(now));
        }
        List<Assignment> annas = routing.conversationsOf("anna");
        List<AgentLoad> loads = routing.loads();          // open conversations per agent and channel type
        // ---- doc snippet ends
        assertThat(annas).isEmpty();
        assertThat(loads).allSatisfy(l -> assertThat(l.open()).isPositive());
    }

    private static Optional<ConversationId> manualTake(Routing routing) {
        // ---- doc snippet begins
        Optional<ConversationId> next = routing.take("anna");
        // ---- doc snippet ends
        return next;
    }

    @Test
    void aHostRouter() {
        // ---- doc snippet begins
        Router seniorsFirst = (conversation, candidates) -> candidates.stream()
                .min(Comparator.comparing((Candidate c) -> !c.agent().teams().contains("senior"))
                        .thenComparingInt(Candidate::open))
                .map(Candidate::id);
        RoutingSettings settings = RoutingSettings.builder().router(seniorsFirst).build();
        // ---- doc snippet ends
        assertThat(settings.router()).isSameAs(seniorsFirst);
    }
}
