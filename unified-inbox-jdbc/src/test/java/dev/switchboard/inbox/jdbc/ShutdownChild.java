package dev.switchboard.inbox.jdbc;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A process that runs an inbox on an H2 file the way the demo does (closed from a JVM shutdown hook: inbox, then
 * store) with one reply in flight when the process is told to stop: the platform accepts it a moment after the stop
 * began. Prints {@code SENDING} once the send started. Used by {@link ShutdownOrderTest}.
 */
public final class ShutdownChild {
    static final ChannelId CHAT = ChannelId.of("chat");

    private ShutdownChild() {
    }

    public static void main(String[] args) throws Exception {
        JdbcInboxStore store = JdbcInboxStore.h2File(Path.of(args[0]));
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        SlowChannel channel = new SlowChannel(stopping);
        Inbox inbox = Inbox.builder().store(store).channel(channel).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.complete(null);
            inbox.close();
            store.close();
            System.out.println("CLOSED");
        }, "test-shutdown"));
        inbox.start();
        inbox.sink(TenantId.DEFAULT, CHAT).deliver(InboundEvent.MessageReceived.of("e-1",
                ChannelAccount.of(TenantId.DEFAULT, CHAT, "visitor", Profile.EMPTY), Instant.now(), "m-1",
                Content.text("hello"))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        var conversation = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 1)).items().get(0);
        inbox.reply(TenantId.DEFAULT, conversation.id(), Content.text("in flight at shutdown"),
                ReplyOptions.defaults());
        Thread.currentThread().join(); // until the parent stops the process
    }

    /** Accepts a send only 300 ms after the process began to stop. */
    private static final class SlowChannel implements Channel {
        private final CompletableFuture<Void> stopping;

        SlowChannel(CompletableFuture<Void> stopping) {
            this.stopping = stopping;
        }

        @Override
        public ChannelId id() {
            return CHAT;
        }

        @Override
        public ChannelType type() {
            return ChannelType.WEBCHAT;
        }

        @Override
        public TenantId tenant() {
            return TenantId.DEFAULT;
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.builder().build();
        }

        @Override
        public CompletionStage<Void> start(InboundSink sink) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<SendReceipt> send(OutboundMessage message) {
            System.out.println("SENDING");
            System.out.flush();
            return stopping.thenCompose(v -> CompletableFuture.supplyAsync(
                    () -> new SendReceipt("platform-1", Instant.now()),
                    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)));
        }

        @Override
        public CompletionStage<Void> stop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
