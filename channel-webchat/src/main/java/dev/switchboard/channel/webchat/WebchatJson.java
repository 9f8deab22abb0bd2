package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.SendFailure;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** The chat protocol's JSON shapes and input checks, shared by its routes, streams and frames. Stateless. */
final class WebchatJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    static final Pattern CLIENT_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");

    private WebchatJson() {
    }

    static ObjectNode event(String type, long seq) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", seq);
        n.put("type", type);
        return n;
    }

    static ObjectNode error(String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "error");
        n.put("code", code);
        n.put("message", message);
        return n;
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static Optional<String> optionalText(JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            return Optional.empty();
        }
        String s = v.asText().strip();
        return Optional.of(s.length() > max ? s.substring(0, max) : s);
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    static <T> CompletionStage<T> failed(SendFailure failure) {
        return CompletableFuture.failedFuture(new ChannelException(failure));
    }
}
