package dev.switchboard.spring.boot;

import dev.switchboard.channel.StreamRoute;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Sends WebSocket upgrade requests to the channels' WebSocket streams through Spring's WebSocket support, matching
 * paths as the rest of the channels' endpoints do (exact over prefix, longer prefix first); anything that is not an
 * upgrade falls through to the next mapping (the channels' routes and Server-Sent Events). The handshake does not
 * check the {@code Origin}: the channel's handler decides (the website chat checks its allowed origins). Ordered
 * before the application's controllers. Internal.
 */
final class WebSocketStreamMapping extends AbstractHandlerMapping implements DisposableBean {
    private final EndpointTable table;
    private final Map<StreamRoute, WebSocketHttpRequestHandler> handlers = new IdentityHashMap<>();

    WebSocketStreamMapping(EndpointTable table, StreamSenders senders) {
        this.table = table;
        List<StreamRoute> streams = table.webSockets();
        for (StreamRoute stream : streams) {
            WebSocketStreamHandler adapter = new WebSocketStreamHandler(stream, senders);
            WebSocketHttpRequestHandler handler = new WebSocketHttpRequestHandler(adapter,
                    new DefaultHandshakeHandler());
            handler.setHandshakeInterceptors(List.of(adapter));
            handlers.put(stream, handler);
        }
        setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    }

    @Override
    protected void initServletContext(ServletContext servletContext) {
        for (WebSocketHttpRequestHandler handler : handlers.values()) {
            handler.setServletContext(servletContext);
            handler.start();
        }
    }

    @Override
    public void destroy() {
        handlers.values().forEach(WebSocketHttpRequestHandler::stop);
    }

    @Override
    protected Object getHandlerInternal(HttpServletRequest request) {
        if (handlers.isEmpty() || !"GET".equals(request.getMethod())
                || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return null;
        }
        return table.webSocket(EndpointRequests.path(request)).map(handlers::get).orElse(null);
    }
}
