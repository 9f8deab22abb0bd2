package dev.switchboard.examples.docs;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.server.jetty.SwitchboardServer;
import dev.switchboard.store.ConversationQuery;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The samples of docs/server-jetty.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ServerJettySamplesTest {

    /** The host's own reply endpoint of the first sample. */
    interface Replies {
        CompletionStage<WebhookResponse> handle(WebhookRequest request);
    }

    /** The host's main class, whose class loader holds the shop page. */
    static final class Demo {
    }

    /** The host's JSON writer. */
    static String json(Object value) {
        return "{}";
    }

    /** Compiled, not run: it binds port 8080 on every interface. */
    @SuppressWarnings("unused")
    static void oneServer(Inbox inbox, Channel telegram, Channel webchat, Replies replies) {
        // ---- doc snippet begins
        SwitchboardServer server = SwitchboardServer.builder()
            .port(8080)                         // 0 = ephemeral; server.port() tells which
            .host("0.0.0.0")                    // default; tests bind 127.0.0.1
            .allowedHosts(Set.of("support.example.com", "localhost"))   // others get 421 (DNS rebinding)
            .channel(telegram)                  // mounts telegram.webhook() at its path(), if it has one
            .channel(webchat)                   // mounts webchat.endpoints(): /webchat/session, /webchat/ws, ... /webchat/widget.js
            .route("GET", "/api/conversations", req -> CompletableFuture.completedFuture(
                    WebhookResponse.json(200, json(inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 50))))))
            .route("*", "/api/replies", replies::handle)
            .staticResources("/console", Path.of("console"))              // index.html for directories
            .classpathResources("/", Demo.class.getClassLoader(), "public") // e.g. a shop page embedding the widget
            .maxBodyBytes(1 << 20)
            .build().start();
        // ---- doc snippet ends
    }

    /** Compiled, not run: it binds port 8080. */
    static void manyWebsiteChats(byte[] secretA, byte[] secretB) {
        // ---- doc snippet begins
        WebchatChannel shopA = WebchatChannel.builder().id(ChannelId.of("webchat-shop-a")).tenant(TenantId.of("shop-a"))
            .basePath("/webchat/shop-a").tokenSecret(secretA).allowedOrigins(Set.of("https://shop-a.example")).build();
        WebchatChannel shopB = WebchatChannel.builder().id(ChannelId.of("webchat-shop-b")).tenant(TenantId.of("shop-b"))
            .basePath("/webchat/shop-b").tokenSecret(secretB).allowedOrigins(Set.of("https://shop-b.example")).build();
        SwitchboardServer.builder().port(8080).channel(shopA).channel(shopB).build().start();
        // ---- doc snippet ends
    }

    /** A plugin channel with a push stream of its own; only its endpoints are shown, the rest stays abstract. */
    abstract static class PagerChannel implements Channel {

        abstract long nextSeq();

        abstract String quote(String text);

        abstract void forget(StreamSession session);

        abstract CompletionStage<WebhookResponse> accept(WebhookRequest request);

        // ---- doc snippet begins
        @Override
        public HttpEndpoints endpoints() {
            return HttpEndpoints.builder()
                .stream(StreamRoute.webSocket("/pager/stream", 64 * 1024, session -> {
                    session.send(nextSeq(), "{\"type\":\"hello\"}");          // greet, or replay after ?after=SEQ
                    return new StreamListener() {
                        public void onFrame(String text) { session.send("{\"echo\":" + quote(text) + "}"); }
                        public void onClose() { forget(session); }
                    };
                }))
                .route("POST", "/pager/send", 64 * 1024, req -> accept(req))
                .build();
        }
        // ---- doc snippet ends
    }
}
