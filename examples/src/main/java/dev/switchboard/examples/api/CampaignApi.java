package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.campaign.Audience;
import dev.switchboard.inbox.campaign.Campaign;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignProgress;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.Campaigns;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.campaign.SkipReason;
import dev.switchboard.inbox.campaign.StoredCampaign;
import dev.switchboard.model.CustomerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The campaign endpoints of the demo API: create an opt-in campaign (text, purpose, audience as a list of customer
 * ids or every customer of the tenant), list campaigns with their progress, read one campaign's progress and a page of
 * its recipients with their status and skip reason, and start, pause, resume or cancel it. Every call needs a
 * logged-in agent and stays in the API's tenant; a wrong state is a 409, an audience in which nobody consented a 422,
 * and nothing is created or sent on an error. Sending itself is the inbox's campaign worker's.
 */
final class CampaignApi {
    private static final int MAX_TEXT = 4000;
    private static final int MAX_AUDIENCE = 10_000;

    private final TenantInbox desk;
    private final ObjectMapper mapper;

    CampaignApi(TenantInbox desk, ObjectMapper mapper) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Adds the routes to {@code router}. */
    Router register(Router router) {
        return router.get("/campaigns", this::list)
                .post("/campaigns", this::create)
                .get("/campaigns/{id}", this::get)
                .get("/campaigns/{id}/recipients", this::recipients)
                .post("/campaigns/{id}/start", r -> change(r, Campaigns::start))
                .post("/campaigns/{id}/pause", r -> change(r, Campaigns::pause))
                .post("/campaigns/{id}/resume", r -> change(r, Campaigns::resume))
                .post("/campaigns/{id}/cancel", r -> change(r, Campaigns::cancel));
    }

    private Campaigns campaigns() {
        return desk.campaigns();
    }

    private ApiResponse list(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        int limit = r.intParam("limit", 50, 1, 200);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (StoredCampaign c : campaigns().list(limit)) {
            items.add(view(c));
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(out));
    }

    private ApiResponse get(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        return ApiResponse.json(200, mapper.writeValueAsBytes(view(stored(r))));
    }

    private ApiResponse create(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        JsonNode body = r.jsonBody(mapper);
        CampaignId id = CampaignId.of(text(body.path("id"), "id", 100));
        String text = text(body.path("text"), "text", MAX_TEXT);
        JsonNode purposeNode = body.path("purpose");
        if (!purposeNode.isTextual() || purposeNode.asText().isBlank()) {
            throw ApiException.badRequest("'purpose' is required: one of " + new TreeSet<>(ConsentApi.PURPOSES));
        }
        String purpose = purposeNode.asText().strip();
        if (!ConsentApi.PURPOSES.contains(purpose)) {
            throw new ApiException(400, "unknown_purpose", "unknown purpose '" + purpose + "'; one of "
                    + new TreeSet<>(ConsentApi.PURPOSES));
        }
        Campaign.Builder b = Campaign.builder(id).content(Content.text(text)).purpose(purpose)
                .audience(audience(body.path("audience")));
        if (body.hasNonNull("subject")) {
            b.subject(text(body.get("subject"), "subject", 200));
        }
        StoredCampaign created;
        try {
            created = campaigns().create(b.build());
        } catch (IllegalStateException e) {
            throw ApiException.conflict("campaign_exists", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "no_consenting_recipients", e.getMessage());
        }
        if (body.path("start").asBoolean(false)) {
            created = campaigns().start(id);
        }
        return ApiResponse.json(201, mapper.writeValueAsBytes(view(created)));
    }

    private static Audience audience(JsonNode node) {
        if (node.isObject() && node.path("segment").asText("").equals("all")) {
            return Audience.segment("all", c -> true);
        }
        if (node.isObject() && node.path("customers").isArray()) {
            List<CustomerId> ids = new ArrayList<>();
            for (JsonNode n : node.path("customers")) {
                ids.add(CustomerId.of(text(n, "audience.customers[]", 200)));
            }
            if (ids.isEmpty() || ids.size() > MAX_AUDIENCE) {
                throw ApiException.badRequest("'audience.customers' must name 1.." + MAX_AUDIENCE + " customers");
            }
            return Audience.customers(ids);
        }
        throw ApiException.badRequest("'audience' is required: {\"customers\": [ids]} or {\"segment\": \"all\"}");
    }

    private ApiResponse change(ApiRequest r, Action action) throws JsonProcessingException {
        r.requireAgent();
        CampaignId id = CampaignId.of(r.pathParam("id"));
        StoredCampaign changed;
        try {
            changed = action.apply(campaigns(), id);
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no campaign " + id.value());
        } catch (IllegalStateException e) {
            throw ApiException.conflict("invalid_state", e.getMessage());
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(view(changed)));
    }

    /** One of the state changes of {@link Campaigns}. */
    private interface Action {
        StoredCampaign apply(Campaigns campaigns, CampaignId id);
    }

    private ApiResponse recipients(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        StoredCampaign c = stored(r);
        int limit = r.intParam("limit", 50, 1, 200);
        Optional<RecipientStatus> only = r.queryParam("status").map(CampaignApi::status);
        Optional<CustomerId> after = r.queryParam("after").map(CustomerId::of);
        if (after.isPresent() && only.isEmpty()) {
            throw ApiException.badRequest("'after' pages within one status: give 'status' too");
        }
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        Function<CustomerId, Optional<String>> names = id -> desk.customer(id).flatMap(x -> x.displayName());
        List<RecipientStatus> statuses = only.map(List::of).orElse(List.of(RecipientStatus.values()));
        CampaignRecipient last = null;
        for (RecipientStatus s : statuses) {
            List<CampaignRecipient> page = campaigns().recipients(c.id(), s, after, limit);
            for (CampaignRecipient rec : page) {
                items.add(recipient(rec, names));
                last = rec;
            }
            if (only.isPresent() && page.size() == limit && last != null) {
                out.put("next", last.customer().value());
            }
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(out));
    }

    private static RecipientStatus status(String raw) {
        try {
            return RecipientStatus.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'status' must be one of " + List.of(RecipientStatus.values()).stream()
                    .map(JsonViews::lower).toList() + ", got '" + raw + "'");
        }
    }

    private StoredCampaign stored(ApiRequest r) {
        CampaignId id = CampaignId.of(r.pathParam("id"));
        return campaigns().campaign(id).orElseThrow(() -> ApiException.notFound("no campaign " + id.value()));
    }

    private ObjectNode view(StoredCampaign c) {
        ObjectNode out = mapper.createObjectNode().put("id", c.id().value()).put("purpose", c.purpose())
                .put("audience", c.audience()).put("state", JsonViews.lower(c.state()))
                .put("createdAt", c.createdAt().toString()).put("updatedAt", c.updatedAt().toString());
        out.put("text", c.message().content().plainText());
        c.message().subject().ifPresent(s -> out.put("subject", s));
        CampaignProgress p = campaigns().progress(c.id());
        ObjectNode progress = out.putObject("progress");
        progress.put("state", JsonViews.lower(p.state())).put("total", p.total()).put("remaining", p.remaining());
        ObjectNode byStatus = progress.putObject("byStatus");
        for (RecipientStatus s : RecipientStatus.values()) {
            byStatus.put(JsonViews.lower(s), p.count(s));
        }
        ObjectNode skipped = progress.putObject("skipped");
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(JsonViews.lower(reason), p.skipped(reason));
        }
        return out;
    }

    private static ObjectNode recipient(CampaignRecipient r, Function<CustomerId, Optional<String>> names) {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("customer", r.customer().value())
                .put("status", JsonViews.lower(r.status())).put("updatedAt", r.updatedAt().toString());
        names.apply(r.resolvedCustomer().orElse(r.customer())).ifPresent(n -> out.put("displayName", n));
        r.resolvedCustomer().ifPresent(c -> out.put("resolvedCustomer", c.value()));
        r.channel().ifPresent(c -> out.put("channel", c.value()));
        r.skipReason().ifPresent(s -> out.put("skipReason", JsonViews.lower(s)));
        r.detail().ifPresent(d -> out.put("detail", d));
        return out;
    }

    private static String text(JsonNode node, String field, int max) {
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > max) {
            throw ApiException.badRequest("'" + field + "' is required: a text of at most " + max + " characters");
        }
        return node.asText().strip();
    }
}
