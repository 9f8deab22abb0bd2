package dev.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a channel may declare through the streaming SPI, checked when it declares it. */
class HttpEndpointsTest {
    static final HttpHandler OK = req -> CompletableFuture.completedFuture(WebhookResponse.empty(204));

    @Test
    void pathsAreExactOrSlashStarPrefixes() {
        assertThat(new HttpRoute("get", "/webchat/session", 10, OK).method()).isEqualTo("GET");
        assertThat(new HttpRoute("*", "/webchat/shop-a/*", 10, OK).path()).isEqualTo("/webchat/shop-a/*");
        for (String bad : new String[] {"webchat", "/webchat/*/x", "/a*", "/a//b", "/a/../b", "/a?x=1", "/a#f"}) {
            assertThatThrownBy(() -> new HttpRoute("GET", bad, 10, OK)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> new HttpRoute("G E T", "/a", 10, OK)).hasMessageContaining("method");
        assertThatThrownBy(() -> new HttpRoute("GET", "/a", -1, OK)).hasMessageContaining("maxBodyBytes");
    }

    @Test
    void aGetRouteAlsoAnswersHeadAndAStarRouteAnswersAnyMethod() {
        HttpRoute get = new HttpRoute("GET", "/a", 0, OK);
        assertThat(get.accepts("GET")).isTrue();
        assertThat(get.accepts("HEAD")).isTrue();
        assertThat(get.accepts("POST")).isFalse();
        assertThat(new HttpRoute("*", "/a", 0, OK).accepts("DELETE")).isTrue();
    }

    @Test
    void theDefaultTooLargeAnswerIs413WithTheLimit() {
        WebhookResponse r = OK.tooLarge("/a", 1024);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.bodyAsUtf8()).contains("body_too_large").contains("1024");
    }

    @Test
    void streamsNeedATransportAndAPositiveFrameLimit() {
        StreamHandler handler = session -> StreamListener.NONE;
        StreamRoute both = new StreamRoute("/s", Set.of(StreamTransport.WEBSOCKET,
                StreamTransport.SERVER_SENT_EVENTS), 100, handler);
        assertThat(both.transports()).containsExactlyInAnyOrder(StreamTransport.WEBSOCKET,
                StreamTransport.SERVER_SENT_EVENTS);
        assertThat(StreamRoute.serverSentEvents("/e", handler).transports())
                .containsExactly(StreamTransport.SERVER_SENT_EVENTS);
        assertThatThrownBy(() -> new StreamRoute("/s", Set.of(), 100, handler)).hasMessageContaining("transport");
        assertThatThrownBy(() -> StreamRoute.webSocket("/s", 0, handler)).hasMessageContaining("maxFrameBytes");
        assertThat(handler.responseHeaders(WebhookRequest.post("/s", java.util.Map.of(), new byte[0]))).isEmpty();
    }

    @Test
    void endpointsAreImmutableAndAChannelDeclaresNoneByDefault() {
        HttpEndpoints declared = HttpEndpoints.builder().route("GET", "/a", 0, OK)
                .stream(StreamRoute.webSocket("/s", 10, session -> StreamListener.NONE)).build();
        assertThat(declared.routes()).hasSize(1);
        assertThat(declared.streams()).hasSize(1);
        assertThatThrownBy(() -> declared.routes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(HttpEndpoints.none().isEmpty()).isTrue();
    }
}
