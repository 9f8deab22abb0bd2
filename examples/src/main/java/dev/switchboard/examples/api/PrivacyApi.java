package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.privacy.Privacy;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.io.ByteArrayOutputStream;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The data-subject and transcript endpoints of the demo API: {@code GET /customers/{id}/export} (the customer's
 * archive as a zip), {@code POST /customers/{id}/erase} (erases the customer, answers the erasure record) and
 * {@code POST /conversations/{id}/transcript} (emails the transcript). Every call needs a logged-in agent, who is
 * recorded as the erasure's actor. The export is built in memory here because the demo router answers with bytes; a
 * host streaming large archives calls {@code Privacy.export} with the response's output stream.
 */
final class PrivacyApi {
    private static final int MAX_EMAIL_CHARS = 254;

    private final Inbox inbox;
    private final TenantId tenant;
    private final ObjectMapper mapper;

    PrivacyApi(Inbox inbox, TenantId tenant, ObjectMapper mapper) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Adds the routes to {@code router}. */
    Router register(Router router) {
        return router.get("/customers/{id}/export", this::export)
                .post("/customers/{id}/erase", this::erase)
                .get("/customers/{id}/erasure", this::erasure)
                .post("/conversations/{id}/transcript", this::transcript);
    }

    private Privacy privacy() {
        return inbox.forTenant(tenant).privacy();
    }

    private ApiResponse export(ApiRequest r) {
        r.requireAgent();
        CustomerId id = CustomerId.of(r.pathParam("id"));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try {
            privacy().export(id, zip);
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no customer " + id.value());
        }
        return new ApiResponse(200, "application/zip", zip.toByteArray())
                .withHeader("Content-Disposition", "attachment; filename=\"customer-export.zip\"")
                .withHeader("Cache-Control", "no-store");
    }

    private ApiResponse erasure(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        CustomerId id = CustomerId.of(r.pathParam("id"));
        Optional<ErasureRecord> record;
        try {
            record = privacy().erasure(id);
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no customer " + id.value());
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(view(record.orElseThrow(() -> ApiException.notFound(
                "no erasure of customer " + id.value())))));
    }

    private ApiResponse erase(ApiRequest r) throws JsonProcessingException {
        String agent = r.requireAgent();
        CustomerId id = CustomerId.of(r.pathParam("id"));
        ErasureRecord record;
        try {
            record = privacy().erase(id, agent);
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no customer " + id.value());
        } catch (IllegalStateException e) {
            throw new ApiException(503, "erasure_unfinished", "the erasure is recorded but not finished (a media file"
                    + " could not be deleted); send the request again");
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(view(record)));
    }

    private ObjectNode view(ErasureRecord record) {
        ObjectNode out = mapper.createObjectNode().put("customer", record.customer().value())
                .put("actor", record.actor()).put("requestedAt", record.requestedAt().toString())
                .put("completedAt", record.completedAt().map(Object::toString).orElse(null))
                .put("messages", record.messages()).put("mediaDeleted", record.mediaDeleted())
                .put("mediaKept", record.mediaKept());
        record.customers().stream().map(CustomerId::value).sorted().forEach(out.putArray("customers")::add);
        return out;
    }

    private ApiResponse transcript(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        JsonNode body = r.jsonBody(mapper);
        JsonNode email = body.path("email");
        if (!email.isTextual() || email.asText().isBlank() || email.asText().length() > MAX_EMAIL_CHARS) {
            throw ApiException.badRequest("'email' must be an email address of at most " + MAX_EMAIL_CHARS
                    + " characters");
        }
        ConversationId id = ConversationId.of(r.pathParam("id"));
        Message queued;
        try {
            queued = privacy().sendTranscript(id, email.asText());
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no conversation " + id.value());
        } catch (IllegalStateException e) {
            throw ApiException.conflict("no_email_channel", e.getMessage());
        }
        return ApiResponse.json(202, mapper.writeValueAsBytes(mapper.createObjectNode()
                .put("message", queued.id().value()).put("channel", queued.channel().value())));
    }
}
