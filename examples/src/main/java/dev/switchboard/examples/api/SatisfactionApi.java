package dev.switchboard.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.canned.CannedResponse;
import dev.switchboard.inbox.canned.MissingVariableException;
import dev.switchboard.inbox.survey.Complaint;
import dev.switchboard.inbox.survey.Survey;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Message;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The contact-center API's canned responses, complaint marks and surveys: list, save and delete canned responses,
 * send one as the signed-in agent (422 naming the variables still without a value), mark and clear a complaint, read
 * a conversation's surveys. Registered on the {@link ContactCenterApi}'s router; documented in docs/openapi.yaml.
 */
final class SatisfactionApi {
    private final TenantInbox desk;
    private final ObjectMapper mapper;
    private final Function<String, ConversationId> conversations;
    private final Function<Message, ObjectNode> messageView;

    /**
     * @param conversations the id of a conversation of the tenant, or a 404 {@link ApiException}
     * @param messageView a message as the API shows it
     */
    SatisfactionApi(TenantInbox desk, ObjectMapper mapper, Function<String, ConversationId> conversations,
                    Function<Message, ObjectNode> messageView) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.conversations = Objects.requireNonNull(conversations, "conversations");
        this.messageView = Objects.requireNonNull(messageView, "messageView");
    }

    /** Adds the routes to {@code router}. */
    Router register(Router router) {
        return router.get("/canned-responses", this::listCanned)
                .add("PUT", "/canned-responses/{code}", this::saveCanned)
                .add("DELETE", "/canned-responses/{code}", this::deleteCanned)
                .post("/conversations/{id}/canned-replies", this::sendCanned)
                .add("PUT", "/conversations/{id}/complaint", r -> complaint(r, true))
                .add("DELETE", "/conversations/{id}/complaint", r -> complaint(r, false))
                .get("/conversations/{id}/surveys", this::surveys);
    }

    private ApiResponse listCanned(ApiRequest r) throws Exception {
        r.requireAgent();
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        desk.cannedResponses().list().forEach(c -> items.add(canned(c)));
        return json(200, out);
    }

    private ApiResponse saveCanned(ApiRequest r) throws Exception {
        r.requireAgent();
        JsonNode body = r.jsonBody(mapper);
        CannedResponse.Builder b = CannedResponse.builder(r.pathParam("code")).body(text(body, "body", ""));
        if (body.hasNonNull("title")) {
            b.title(text(body, "title", ""));
        }
        if (body.hasNonNull("team")) {
            b.team(text(body, "team", ""));
        }
        if (body.hasNonNull("channelType")) {
            b.channelType(ChannelType.of(text(body, "channelType", "")));
        }
        for (JsonNode a : body.path("attachments")) {
            try {
                b.attachment(URI.create(text(a, "url", "")), text(a, "mimeType", "application/octet-stream"),
                        text(a, "name", "file"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("attachment url is not a URI: " + a.path("url").asText());
            }
        }
        try {
            return json(200, canned(desk.cannedResponses().save(b.build())));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private ApiResponse deleteCanned(ApiRequest r) throws Exception {
        r.requireAgent();
        if (!desk.cannedResponses().delete(r.pathParam("code"))) {
            throw ApiException.notFound("no canned response " + r.pathParam("code"));
        }
        return json(200, mapper.createObjectNode().put("deleted", r.pathParam("code")));
    }

    private ApiResponse sendCanned(ApiRequest r) throws Exception {
        String agent = r.requireAgent();
        ConversationId id = conversations.apply(r.pathParam("id"));
        JsonNode body = r.jsonBody(mapper);
        String code = text(body, "code", "");
        if (code.isBlank()) {
            throw ApiException.badRequest("'code' is required and must be a non-empty string");
        }
        Map<String, String> values = new LinkedHashMap<>();
        body.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        try {
            return json(202, messageView.apply(desk.cannedResponses().reply(code, id, agent, values)));
        } catch (MissingVariableException e) {
            ObjectNode err = mapper.createObjectNode();
            ObjectNode inner = err.putObject("error");
            inner.put("code", "missing_variables");
            inner.put("message", e.getMessage());
            ArrayNode names = inner.putArray("variables");
            e.variables().forEach(names::add);
            return ApiResponse.json(422, mapper.writeValueAsBytes(err));
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (ContactNotAllowedException e) {
            throw ApiException.conflict("contact_not_allowed", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private ApiResponse complaint(ApiRequest r, boolean mark) throws Exception {
        String agent = r.requireAgent();
        ConversationId id = conversations.apply(r.pathParam("id"));
        Complaint c = mark ? desk.complaints().mark(id, agent) : desk.complaints().clear(id, agent);
        ObjectNode out = mapper.createObjectNode().put("conversation", id.value()).put("complaint", c.marked())
                .put("source", c.source().value());
        c.agent().ifPresent(a -> out.put("agent", a));
        return json(200, out);
    }

    private ApiResponse surveys(ApiRequest r) throws Exception {
        r.requireAgent();
        ConversationId id = conversations.apply(r.pathParam("id"));
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (Survey s : desk.surveys().ofConversation(id)) {
            ObjectNode n = items.addObject().put("id", s.id()).put("channel", s.channel().value())
                    .put("sentAt", s.sentAt().toString()).put("answerUntil", s.answerUntil().toString());
            s.agent().ifPresent(a -> n.put("agent", a));
            s.rating().ifPresent(v -> n.put("rating", v));
            s.ratedAt().ifPresent(t -> n.put("ratedAt", t.toString()));
            s.comment().ifPresent(t -> n.put("comment", t));
        }
        return json(200, out);
    }

    private ObjectNode canned(CannedResponse c) {
        ObjectNode n = mapper.createObjectNode().put("code", c.code()).put("title", c.title()).put("body", c.body());
        c.team().ifPresent(t -> n.put("team", t));
        c.channelType().ifPresent(t -> n.put("channelType", t.value()));
        ArrayNode prompts = n.putArray("prompts");
        c.prompts().forEach(prompts::add);
        ArrayNode attachments = n.putArray("attachments");
        c.attachments().forEach(a -> attachments.addObject().put("url", a.url().toString())
                .put("mimeType", a.mimeType()).put("name", a.name()));
        return n;
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        return n.asText();
    }

    private ApiResponse json(int status, JsonNode body) throws Exception {
        return ApiResponse.json(status, mapper.writeValueAsBytes(body));
    }
}
