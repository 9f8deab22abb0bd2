package dev.switchboard.examples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The Telegram Bot API as far as the example needs it, on a local MockWebServer: {@code setWebhook} (recorded),
 * {@code sendMessage} (recorded, answered with a Message like Telegram's), {@code getMe} and {@code getWebhookInfo}
 * (answered like Telegram), everything else {@code ok}. Requests for
 * another token get Telegram's 401.
 */
final class TelegramBotApiFake implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final ObjectMapper json = new ObjectMapper();
    private final String token;
    private final AtomicLong messageIds = new AtomicLong(100);
    final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();
    final List<JsonNode> sent = new CopyOnWriteArrayList<>();

    TelegramBotApiFake(String token) throws IOException {
        this.token = token;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return answer(request);
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(500);
                }
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    String baseUrl() {
        return server.url("/").toString();
    }

    private MockResponse answer(RecordedRequest request) throws IOException {
        String path = request.getPath() == null ? "" : request.getPath();
        if (!path.startsWith("/bot" + token + "/")) {
            return json(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
        }
        String method = path.substring(("/bot" + token + "/").length());
        JsonNode params = request.getBodySize() == 0 ? json.createObjectNode()
                : json.readTree(request.getBody().readUtf8());
        switch (method) {
            case "setWebhook" -> {
                webhooks.add(params);
                return json(200, "{\"ok\":true,\"result\":true,\"description\":\"Webhook was set\"}");
            }
            case "getMe" -> {
                return json(200, "{\"ok\":true,\"result\":{\"id\":7000001,\"is_bot\":true,"
                        + "\"first_name\":\"Support\",\"username\":\"support_desk_bot\"}}");
            }
            case "getWebhookInfo" -> {
                String url = webhooks.isEmpty() ? "" : webhooks.get(webhooks.size() - 1).path("url").asText();
                ObjectNode info = json.createObjectNode().put("url", url).put("has_custom_certificate", false)
                        .put("pending_update_count", 0);
                return json(200, json.createObjectNode().put("ok", true).set("result", info).toString());
            }
            case "sendMessage" -> {
                sent.add(params);
                ObjectNode result = json.createObjectNode().put("message_id", messageIds.incrementAndGet())
                        .put("date", 1_763_900_100L).put("text", params.path("text").asText());
                result.putObject("chat").put("id", params.path("chat_id").asLong()).put("type", "private");
                return json(200, json.createObjectNode().put("ok", true).set("result", result).toString());
            }
            default -> {
                return json(200, "{\"ok\":true,\"result\":true}");
            }
        }
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
