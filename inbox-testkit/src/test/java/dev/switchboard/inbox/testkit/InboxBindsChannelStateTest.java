package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.channel.state.StatefulChannel;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The inbox binds every stateful channel, on every node, to that channel's state in the shared store. */
class InboxBindsChannelStateTest {
    private static final TenantId SHOP = TenantId.of("shop");

    @Test
    void twoNodesOverOneStoreShareAChannelsStateAndTenantsDoNot() throws Exception {
        InMemoryInboxStore store = new InMemoryInboxStore();
        StatefulFake node1 = new StatefulFake(SHOP, "tg");
        StatefulFake node2 = new StatefulFake(SHOP, "tg");
        StatefulFake otherTenant = new StatefulFake(TenantId.of("other"), "tg");
        try (Inbox a = Inbox.builder().store(store).nodeId("a").channel(node1).channel(otherTenant).build();
                Inbox b = Inbox.builder().store(store).nodeId("b").channel(node2).build()) {
            node1.state.put("button:1", "payload").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(value(node2.state, "button:1")).contains("payload");
            assertThat(value(otherTenant.state, "button:1")).isEmpty();
            assertThat(store.keepsChannelState()).isTrue();
        }
    }

    @Test
    void aChannelAddedAtRuntimeIsBoundToo() throws Exception {
        InMemoryInboxStore store = new InMemoryInboxStore();
        StatefulFake first = new StatefulFake(SHOP, "tg");
        try (Inbox a = Inbox.builder().store(store).nodeId("a").channel(first).build()) {
            first.state.put("k", "v").toCompletableFuture().get(5, TimeUnit.SECONDS);
            StatefulFake added = new StatefulFake(SHOP, "tg-2");
            StatefulFake sameIdElsewhere = new StatefulFake(SHOP, "tg");
            try (Inbox b = Inbox.builder().store(store).nodeId("b").build()) {
                b.addChannel(added).toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.addChannel(sameIdElsewhere).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertThat(added.state).isNotNull();
            assertThat(value(added.state, "k")).isEmpty();
            assertThat(value(sameIdElsewhere.state, "k")).contains("v");
        }
    }

    @Test
    void aStoreWithoutChannelStateGivesEachNodeItsOwnMemory() throws Exception {
        InboxStore store = new ExampleInboxStore();
        StatefulFake node1 = new StatefulFake(SHOP, "tg");
        StatefulFake node2 = new StatefulFake(SHOP, "tg");
        try (Inbox a = Inbox.builder().store(store).nodeId("a").channel(node1).build();
                Inbox b = Inbox.builder().store(store).nodeId("b").channel(node2).build()) {
            node1.state.put("k", "v").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(value(node1.state, "k")).contains("v");
            assertThat(value(node2.state, "k")).isEmpty();
        }
    }

    private static Optional<String> value(ChannelState state, String key) throws Exception {
        return state.get(key).toCompletableFuture().get(5, TimeUnit.SECONDS).map(StateRecord::value);
    }

    /** A fake channel that keeps the state it was bound to. */
    private static final class StatefulFake implements Channel, StatefulChannel {
        private final FakeChannel delegate;
        volatile ChannelState state;

        StatefulFake(TenantId tenant, String id) {
            delegate = new FakeChannel(tenant, ChannelId.of(id), new ChannelType("fake"),
                    Capabilities.builder().build());
        }

        @Override
        public void bindState(ChannelState state) {
            this.state = state;
        }

        @Override
        public ChannelId id() {
            return delegate.id();
        }

        @Override
        public ChannelType type() {
            return delegate.type();
        }

        @Override
        public TenantId tenant() {
            return delegate.tenant();
        }

        @Override
        public Capabilities capabilities() {
            return delegate.capabilities();
        }

        @Override
        public CompletionStage<Void> start(InboundSink sink) {
            return delegate.start(sink);
        }

        @Override
        public CompletionStage<SendReceipt> send(OutboundMessage message) {
            return delegate.send(message);
        }

        @Override
        public CompletionStage<Void> stop() {
            return delegate.stop();
        }
    }
}
