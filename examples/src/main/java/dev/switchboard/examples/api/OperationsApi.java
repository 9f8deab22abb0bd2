package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.routing.AgentLoad;
import dev.switchboard.inbox.routing.AgentStatus;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.Presence;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.sla.SlaDeadline;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operational part of the REST API, what a supervisor's or agent's console reads besides the conversations: the
 * queue of waiting conversations with their wait and next SLA deadline ({@code GET /queue}), agents with presence and
 * load ({@code GET /agents}), an agent's own presence ({@code PUT /agents/{id}/presence}), an agent's conversations
 * ({@code GET /agents/{id}/conversations}), taking the next waiting conversation under the manual policy
 * ({@code POST /agents/{id}/take}), and the at-risk and breached SLA deadlines ({@code GET /sla/at-risk},
 * {@code GET /sla/breached}). Everything is read from and written through the tenant's {@code TenantInbox.routing()}
 * and {@code .sla()}, scoped to the API's tenant; an agent changes only their own presence and takes conversations
 * only for themselves. Registered on the API's {@link Router} by {@link ContactCenterApi}.
 */
final class OperationsApi {
    private static final int MAX_LIMIT = 200;

    private final Inbox inbox;
    private final TenantId tenant;
    private final JsonViews views;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Function<Conversation, ObjectNode> summary;

    /**
     * @param summary the API's conversation view (the same shape as {@code GET /conversations}), SLA included
     */
    OperationsApi(Inbox inbox, TenantId tenant, JsonViews views, ObjectMapper mapper, Clock clock,
                  Function<Conversation, ObjectNode> summary) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.views = Objects.requireNonNull(views, "views");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.summary = Objects.requireNonNull(summary, "summary");
    }

    /** Adds the operations routes to {@code router}. */
    void register(Router router) {
        router.get("/queue", this::queue)
                .get("/agents", this::agents)
                .add("PUT", "/agents/{id}/presence", this::setPresence)
                .get("/agents/{id}/conversations", this::conversationsOf)
                .post("/agents/{id}/take", this::take)
                .get("/sla/at-risk", r -> deadlines(r, desk().sla().atRisk(limit(r))))
                .get("/sla/breached", r -> deadlines(r, desk().sla().breached(limit(r))));
    }

    // ---- queue ---------------------------------------------------------------------------------------------------

    private ApiResponse queue(ApiRequest r) throws JsonProcessingException {
        TenantInbox desk = desk();
        List<QueuedConversation> waiting = desk.routing().queue(limit(r));
        Map<ConversationId, List<SlaDeadline>> deadlines = deadlinesOf(waiting.stream()
                .map(QueuedConversation::conversation).toList());
        Instant now = clock.instant();
        Map<CustomerId, ObjectNode> customers = new HashMap<>();
        ObjectNode out = mapper.createObjectNode();
        out.put("now", now.toString());
        out.put("waiting", desk.routing().waitingCount());
        ArrayNode items = out.putArray("items");
        for (QueuedConversation q : waiting) {
            ObjectNode n = items.addObject();
            n.put("id", q.conversation().value());
            n.set("customer", customers.computeIfAbsent(q.customer(), this::customerRef));
            Optional<Conversation> c = inbox.conversation(tenant, q.conversation());
            c.flatMap(Conversation::channel).ifPresent(ch -> n.set("channel", views.channelRef(ch)));
            n.put("channelType", q.channelType().value());
            n.put("queue", q.queue());
            n.put("priority", JsonViews.lower(q.priority()));
            q.language().ifPresent(v -> n.put("language", v));
            c.flatMap(Conversation::assignee).ifPresent(v -> n.put("assignee", v));
            n.put("waitingSince", q.waitingSince().toString());
            n.put("waitedSeconds", q.waited(now).toSeconds());
            SlaViews.next(deadlines.getOrDefault(q.conversation(), List.of()))
                    .ifPresent(d -> n.set("deadline", SlaViews.deadline(d, now)));
        }
        return json(200, out);
    }

    // ---- agents --------------------------------------------------------------------------------------------------

    private ApiResponse agents(ApiRequest r) throws JsonProcessingException {
        String me = r.requireAgent();
        TenantInbox desk = desk();
        Map<String, List<AgentLoad>> loads = new HashMap<>();
        for (AgentLoad l : desk.routing().loads()) {
            loads.computeIfAbsent(l.agent(), a -> new ArrayList<>()).add(l);
        }
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        boolean registered = false;
        for (AgentStatus a : desk.routing().agents()) {
            items.add(agent(a, loads.getOrDefault(a.id(), List.of()), me));
            registered |= a.id().equals(me);
        }
        out.put("me", me);
        out.put("registered", registered);
        return json(200, out);
    }

    private ApiResponse setPresence(ApiRequest r) throws JsonProcessingException {
        String id = self(r, "set the presence of");
        JsonNode body = r.jsonBody(mapper);
        JsonNode value = body.get("presence");
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("'presence' is required: online, away or offline");
        }
        Presence presence;
        try {
            presence = Presence.valueOf(value.asText().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown presence '" + value.asText().strip()
                    + "'; use online, away or offline");
        }
        AgentStatus changed;
        try {
            changed = desk().routing().setPresence(id, presence);
        } catch (NoSuchElementException e) {
            throw noAgent(id);
        }
        List<AgentLoad> load = desk().routing().loads().stream().filter(l -> l.agent().equals(id)).toList();
        return json(200, agent(changed, load, id));
    }

    private ApiResponse conversationsOf(ApiRequest r) throws JsonProcessingException {
        String id = r.pathParam("id");
        TenantInbox desk = desk();
        AgentStatus status = desk.routing().agent(id).orElseThrow(() -> noAgent(id));
        ObjectNode out = mapper.createObjectNode();
        out.put("agent", status.id());
        ArrayNode items = out.putArray("items");
        for (Assignment a : desk.routing().conversationsOf(id)) {
            Optional<Conversation> c = inbox.conversation(tenant, a.conversation());
            if (c.isEmpty()) {
                continue;
            }
            ObjectNode n = summary.apply(c.get());
            n.put("assignedAt", a.assignedAt().toString());
            items.add(n);
        }
        return json(200, out);
    }

    private ApiResponse take(ApiRequest r) throws JsonProcessingException {
        String id = self(r, "take conversations for");
        Optional<ConversationId> taken;
        try {
            taken = desk().routing().take(id);
        } catch (NoSuchElementException e) {
            throw noAgent(id);
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("taken", taken.isPresent());
        taken.flatMap(c -> inbox.conversation(tenant, c)).ifPresent(c -> out.set("conversation", summary.apply(c)));
        return json(200, out);
    }

    // ---- SLA -----------------------------------------------------------------------------------------------------

    private ApiResponse deadlines(ApiRequest r, List<SlaDeadline> deadlines) throws JsonProcessingException {
        Instant now = clock.instant();
        Map<CustomerId, ObjectNode> customers = new HashMap<>();
        ObjectNode out = mapper.createObjectNode();
        out.put("now", now.toString());
        ArrayNode items = out.putArray("items");
        for (SlaDeadline d : deadlines) {
            ObjectNode n = items.addObject();
            n.put("conversationId", d.conversation().value());
            inbox.conversation(tenant, d.conversation()).ifPresent(c -> {
                n.set("customer", customers.computeIfAbsent(c.customer(), this::customerRef));
                n.put("status", JsonViews.lower(c.status()));
                n.put("priority", JsonViews.lower(c.priority()));
                c.assignee().ifPresent(v -> n.put("assignee", v));
                c.channel().ifPresent(ch -> n.set("channel", views.channelRef(ch)));
            });
            n.set("deadline", SlaViews.deadline(d, now));
        }
        return json(200, out);
    }

    /** Every conversation's SLA deadlines, one store transaction; empty when the store keeps no SLA. */
    Map<ConversationId, List<SlaDeadline>> deadlinesOf(List<ConversationId> conversations) {
        try {
            return desk().sla().deadlines(conversations);
        } catch (UnsupportedOperationException e) {
            return Map.of();
        }
    }

    /** Sets {@code sla} (every deadline) and {@code nextDeadline} on conversation views that have an {@code id}. */
    void addDeadlines(List<ObjectNode> conversationViews) {
        List<ConversationId> ids = new ArrayList<>();
        for (ObjectNode n : conversationViews) {
            ids.add(ConversationId.of(n.path("id").asText()));
        }
        Map<ConversationId, List<SlaDeadline>> all = deadlinesOf(ids);
        Instant now = clock.instant();
        for (int i = 0; i < conversationViews.size(); i++) {
            ObjectNode n = conversationViews.get(i);
            List<SlaDeadline> own = all.getOrDefault(ids.get(i), List.of());
            ArrayNode list = n.putArray("sla");
            own.forEach(d -> list.add(SlaViews.deadline(d, now)));
            SlaViews.next(own).ifPresent(d -> n.set("nextDeadline", SlaViews.deadline(d, now)));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private ObjectNode agent(AgentStatus a, List<AgentLoad> load, String me) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", a.id());
        n.put("displayName", a.agent().displayName());
        n.put("me", a.id().equals(me));
        n.put("presence", JsonViews.lower(a.presence()));
        n.put("presenceSince", a.presenceSince().toString());
        a.lastAssignedAt().ifPresent(v -> n.put("lastAssignedAt", v.toString()));
        n.put("open", load.stream().mapToInt(AgentLoad::open).sum());
        n.put("capacity", a.agent().capacity());
        ObjectNode openBy = n.putObject("openByChannelType");
        load.stream().sorted(java.util.Comparator.comparing(l -> l.channelType().value()))
                .forEach(l -> openBy.put(l.channelType().value(), l.open()));
        ObjectNode capBy = n.putObject("capacityByChannelType");
        a.agent().channelCapacity().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ChannelType::value)))
                .forEach(e -> capBy.put(e.getKey().value(), e.getValue()));
        ArrayNode languages = n.putArray("languages");
        a.agent().languages().forEach(languages::add);
        ArrayNode skills = n.putArray("skills");
        a.agent().skills().stream().sorted().forEach(skills::add);
        ArrayNode teams = n.putArray("teams");
        a.agent().teams().stream().sorted().forEach(teams::add);
        return n;
    }

    /** The path's agent, which must be the signed-in one: no one changes someone else's presence or work. */
    private static String self(ApiRequest r, String action) {
        String me = r.requireAgent();
        String id = r.pathParam("id");
        if (!id.equals(me)) {
            throw new ApiException(403, "agent_mismatch", "you are logged in as '" + me + "' and cannot " + action
                    + " '" + id + "'");
        }
        return id;
    }

    private static int limit(ApiRequest r) {
        return r.intParam("limit", 50, 1, MAX_LIMIT);
    }

    private ObjectNode customerRef(CustomerId id) {
        try {
            return inbox.customer(tenant, id).map(JsonViews::customerRef)
                    .orElseGet(() -> mapper.createObjectNode().put("id", id.value()));
        } catch (NoSuchElementException e) {
            return mapper.createObjectNode().put("id", id.value());
        }
    }

    private TenantInbox desk() {
        return inbox.forTenant(tenant);
    }

    private ApiException noAgent(String id) {
        return ApiException.notFound("no agent '" + id + "'; see GET /agents");
    }

    private ApiResponse json(int status, JsonNode body) throws JsonProcessingException {
        return ApiResponse.json(status, mapper.writeValueAsBytes(body));
    }
}
