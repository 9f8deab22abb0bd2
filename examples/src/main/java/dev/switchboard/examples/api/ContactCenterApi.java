package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.SafeMedia;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.MessageId;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Content;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The contact center's JSON REST API ({@code /api/v1}), documented in {@code docs/openapi.yaml}: what the agent console
 * uses and what a CRM could use the same way. A thin layer over {@link Inbox}: it reads and writes only through the
 * inbox's public API, plus read-only identity lookups (aliases, merge log, a customer's suggestions) in a store
 * transaction through the same {@link IdentityEngine} the inbox uses. Mount it on any server through {@link #router()}.
 */
public final class ContactCenterApi {

    /** Where the API is mounted. */
    public static final String PREFIX = "/api/v1";
    private static final int MAX_REPLY_CHARS = 20_000;

    /** Optional demo-only endpoints; absent in a production host. */
    public interface DemoHooks {
        ObjectNode scenario();

        /** Starts a replay; throws {@link ApiException} 409 when one is running. */
        ObjectNode replay();

        ObjectNode platforms();
    }

    private final Inbox inbox;
    private final InboxStore store;
    private final IdentityEngine identity;
    private final TenantId tenant;
    private final Map<ChannelId, String> channelModes;
    private final Map<ChannelId, String> channelLabels;
    private final Optional<DemoHooks> demo;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonViews views;
    private final Router router;
    private final OperationsApi operations;
    private final AgentAuth auth;
    private final ApiGuard guard;

    /**
     * @param channelModes {@code live} or {@code demo} per channel id (channels not listed are {@code live})
     * @param channelLabels human names per channel id, e.g. "Telegram"
     */
    public ContactCenterApi(Inbox inbox, InboxStore store, IdentityEngine identity, TenantId tenant,
                            Map<ChannelId, String> channelModes, Map<ChannelId, String> channelLabels,
                            Optional<DemoHooks> demo, AgentAuth auth) {
        this(inbox, store, identity, tenant, channelModes, channelLabels, demo, auth, java.time.Clock.systemUTC());
    }

    /**
     * The API with the clock the inbox runs on: waits and SLA countdowns ({@code secondsLeft}) are measured with it.
     */
    public ContactCenterApi(Inbox inbox, InboxStore store, IdentityEngine identity, TenantId tenant,
                            Map<ChannelId, String> channelModes, Map<ChannelId, String> channelLabels,
                            Optional<DemoHooks> demo, AgentAuth auth, java.time.Clock clock) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.guard = new ApiGuard(mapper);
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.store = Objects.requireNonNull(store, "store");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.channelModes = Map.copyOf(channelModes);
        this.channelLabels = Map.copyOf(channelLabels);
        this.demo = Objects.requireNonNull(demo, "demo");
        this.views = new JsonViews(this::channelType);
        this.router = new Router(PREFIX, mapper)
                .post("/auth/login", this::login)
                .post("/auth/logout", this::logout)
                .get("/auth/me", r -> json(200, mapper.createObjectNode().put("agent", r.requireAgent())))
                .get("/conversations", this::listConversations)
                .get("/conversations/{id}", this::getConversation)
                .post("/conversations/{id}/reply", this::reply)
                .post("/conversations/{id}/assign", this::assign)
                .post("/conversations/{id}/resolve", this::resolve)
                .get("/messages/{id}/media/{part}", this::media)
                .get("/customers/{id}", this::getCustomer)
                .get("/suggestions", this::listSuggestions)
                .post("/suggestions/{id}/decision", this::decide)
                .get("/events", this::listEvents)
                .get("/channels", this::listChannels)
                .get("/openapi.yaml", this::openApi)
                .get("/demo/scenario", r -> json(200, demo().scenario()))
                .post("/demo/scenario/replay", r -> json(202, demo().replay()))
                .get("/demo/platforms", r -> json(200, demo().platforms()));
        this.operations = new OperationsApi(inbox, tenant, views, mapper, clock, this::summary);
        operations.register(router);
        new SatisfactionApi(inbox.forTenant(tenant), mapper, id -> conversation(id).id(), views::message)
                .register(router); // canned responses, complaints, surveys
        new ReportsApi(inbox.kpis(tenant), mapper, () -> LocalDate.now(clock.withZone(
                inbox.forTenant(tenant).calendars().defaultCalendar().zone()))).register(router);
        new KpiDistributionApi(inbox.kpis(tenant), mapper, () -> LocalDate.now(clock.withZone(
                inbox.forTenant(tenant).calendars().defaultCalendar().zone()))).register(router);
        new PrivacyApi(inbox, tenant, mapper).register(router);
        new ConsentApi(inbox.forTenant(tenant), mapper).register(router); // preferences and the consent ledger
        new CampaignApi(inbox.forTenant(tenant), mapper).register(router); // opt-in campaigns
    }

    public Router router() {
        return router;
    }

    /** The routes anyone may call: logging in. Everything else needs an agent session. */
    public static final Set<Router.RouteSpec> PUBLIC_ROUTES = Set.of(new Router.RouteSpec("POST", "/auth/login"));

    /**
     * The API as a server-neutral route: a {@link WebhookRequest} in, a {@link WebhookResponse} out. Before any
     * route runs: cross-site state changes are refused (an {@code Origin} other than the request's own host, a body
     * that is not {@code application/json}), and every route but {@link #PUBLIC_ROUTES} needs a logged-in agent
     * (401 otherwise).
     */
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        return CompletableFuture.completedFuture(toWebhook(answer(request)));
    }

    private ApiResponse answer(WebhookRequest request) {
        Optional<ApiResponse> refused = guard.check(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<String> agent = auth.authenticate(request);
        boolean isPublic = router.match(request.method(), request.path())
                .map(spec -> PUBLIC_ROUTES.contains(new Router.RouteSpec(spec.method(),
                        spec.template()))).orElse(false);
        if (agent.isEmpty() && !isPublic) {
            return router.error(401, "unauthorized", "log in: POST " + PREFIX + "/auth/login, then send the session "
                    + "cookie or an Authorization: Bearer token").withHeader("WWW-Authenticate",
                    "Bearer realm=\"switchboard\"");
        }
        String rawQuery = request.query().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        Map<String, String> headers = new LinkedHashMap<>();
        request.header("Host").ifPresent(h -> headers.put("host", h));
        request.header("Authorization").ifPresent(h -> headers.put("authorization", h));
        ApiResponse r = router.handle(request.method(), request.path(), rawQuery, request.body(), headers, agent);
        if (request.method().equals("POST") && request.path().equals(PREFIX + "/auth/logout") && r.status() == 200) {
            auth.logout(request);
        }
        return r;
    }

    private static WebhookResponse toWebhook(ApiResponse r) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of(r.contentType()));
        h.put("Cache-Control", List.of("no-store"));
        h.put("X-Content-Type-Options", List.of("nosniff"));
        h.putAll(r.headers());
        return new WebhookResponse(r.status(), h, r.body());
    }

    // ---- login ---------------------------------------------------------------------------------------------------

    private ApiResponse login(ApiRequest r) throws JsonProcessingException {
        JsonNode body = r.jsonBody(mapper);
        String agent = requiredText(body, "agent");
        String secret = body.path("secret").isTextual() ? body.get("secret").asText() : "";
        boolean bearer = body.path("mode").asText("cookie").equals("bearer");
        Optional<String> token = auth.login(agent, secret);
        if (token.isEmpty()) {
            throw new ApiException(401, "invalid_credentials", "unknown agent or wrong secret");
        }
        ObjectNode out = mapper.createObjectNode().put("agent", agent);
        if (bearer) {
            out.put("token", token.get());
            return json(200, out);
        }
        return json(200, out).withHeader("Set-Cookie", AgentAuth.cookie(token.get(), r.header("host")));
    }

    private ApiResponse logout(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        return json(200, mapper.createObjectNode().put("ok", true))
                .withHeader("Set-Cookie", AgentAuth.clearedCookie(r.header("host")));
    }

    // ---- media ---------------------------------------------------------------------------------------------------

    /**
     * A media part of a stored message, served through {@link dev.switchboard.channel.SafeMedia}: the type decided
     * from the bytes, nosniff, a sandboxing CSP, attachment unless an allow-listed image. Files of other channels are
     * fetched through the channel; media that is only a remote URL is not proxied (the server never fetches
     * arbitrary URLs).
     */
    private ApiResponse media(ApiRequest r) {
        Message m;
        try {
            m = inbox.message(tenant, MessageId.of(r.pathParam("id")))
                    .orElseThrow(() -> ApiException.notFound("no message " + r.pathParam("id")));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no message " + r.pathParam("id"));
        }
        int index;
        try {
            index = Integer.parseInt(r.pathParam("part"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no part " + r.pathParam("part"));
        }
        List<dev.switchboard.content.Part> parts = m.content().parts();
        if (index < 0 || index >= parts.size() || !(parts.get(index) instanceof Media media)) {
            throw ApiException.notFound("message " + m.id().value() + " has no media part " + index);
        }
        byte[] bytes;
        if (media.source() instanceof MediaSource.Inline in) {
            bytes = in.bytes();
        } else if (media.source() instanceof MediaSource.PlatformFile pf) {
            Channel channel = inbox.channel(tenant, pf.channel())
                    .orElseThrow(() -> ApiException.notFound("the channel " + pf.channel().value() + " is gone"));
            try {
                bytes = channel.fetchMedia(pf).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS)
                        .bytes();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new ApiException(502, "media_unavailable", "the channel could not deliver the file");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "media_unavailable", "interrupted");
            }
        } else {
            throw ApiException.notFound("this media is a link, not a stored file");
        }
        WebhookResponse safe = media.fileName().map(name -> SafeMedia.response(bytes, name))
                .orElseGet(() -> SafeMedia.response(bytes));
        ApiResponse out = new ApiResponse(200, safe.headers().get("Content-Type").get(0), bytes);
        for (Map.Entry<String, List<String>> e : safe.headers().entrySet()) {
            if (!e.getKey().equals("Content-Type") && !e.getKey().equals("Cache-Control")) {
                out = out.withHeader(e.getKey(), e.getValue().get(0));
            }
        }
        return out;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- conversations -------------------------------------------------------------------------------------------

    private ApiResponse listConversations(ApiRequest r) throws JsonProcessingException {
        Set<ConversationStatus> statuses = EnumSet.noneOf(ConversationStatus.class);
        for (String s : r.queryParam("status").map(v -> v.split(",")).orElse(new String[0])) {
            if (s.isBlank()) {
                continue;
            }
            try {
                statuses.add(ConversationStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown status '" + s.strip() + "'; use open, pending, snoozed, resolved");
            }
        }
        int limit = r.intParam("limit", 50, 1, PageRequest.MAX_LIMIT);
        PageRequest page = new PageRequest(limit, r.queryParam("cursor"));
        Optional<ChannelId> channel = r.queryParam("channel").map(ChannelId::of);
        boolean hideUnverified = r.queryParam("hideUnverifiedVisitors").map(Boolean::parseBoolean).orElse(false);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        Map<CustomerId, Customer> customers = new LinkedHashMap<>();
        List<ObjectNode> listed = new ArrayList<>();
        Optional<String> next = Optional.empty();
        // With the filter on, read further pages until the page is full (at most 10 reads, so a flood of anonymous
        // visitors cannot make one request scan everything); nextCursor continues where the scan stopped.
        for (int reads = 0; reads < (hideUnverified ? 10 : 1); reads++) {
            Page<Conversation> result = inbox.conversations(new ConversationQuery(tenant, statuses,
                    r.queryParam("assignee"), channel, page));
            for (Conversation c : result.items()) {
                Customer customer = customers.computeIfAbsent(c.customer(), id -> customer(id).orElseGet(() ->
                        Customer.create(tenant, id, c.createdAt())));
                if (hideUnverified && JsonViews.isUnverifiedVisitor(customer, this::channelType)) {
                    continue;
                }
                listed.add(views.conversation(c, customer, inbox.messages(tenant, c.id())));
            }
            next = result.nextCursor();
            if (next.isEmpty() || listed.size() >= limit) {
                break;
            }
            page = page.after(next.get());
        }
        operations.addDeadlines(listed);
        listed.forEach(items::add);
        next.ifPresent(v -> out.put("nextCursor", v));
        return json(200, out);
    }

    private ApiResponse getConversation(ApiRequest r) throws JsonProcessingException {
        Conversation c = conversation(r.pathParam("id"));
        List<Message> messages = inbox.messages(tenant, c.id());
        Customer customer = customer(c.customer()).orElseGet(() -> Customer.create(tenant, c.customer(), c.createdAt()));
        ObjectNode out = views.conversation(c, customer, messages);
        operations.addDeadlines(List.of(out));
        ArrayNode list = out.putArray("messages");
        messages.forEach(m -> list.add(views.message(m)));
        return json(200, out);
    }

    private ApiResponse reply(ApiRequest r) throws JsonProcessingException {
        Conversation c = conversation(r.pathParam("id"));
        JsonNode body = r.jsonBody(mapper);
        String text = requiredText(body, "text");
        if (text.length() > MAX_REPLY_CHARS) {
            throw ApiException.badRequest("'text' has " + text.length() + " characters; at most " + MAX_REPLY_CHARS);
        }
        String agent = actor(r, body);
        ReplyOptions options = ReplyOptions.defaults().agent(agent).senderName(agentDisplayName(agent));
        Optional<String> channel = optionalText(body, "channel");
        if (channel.isPresent()) {
            ChannelId id = ChannelId.of(channel.get());
            if (inbox.channel(tenant, id).isEmpty()) {
                throw ApiException.badRequest("no channel '" + channel.get() + "'; see GET /channels");
            }
            options = options.channel(id);
        }
        Optional<String> subject = optionalText(body, "subject");
        if (subject.isPresent()) {
            options = options.subject(subject.get());
        }
        try {
            Message m = inbox.reply(tenant, c.id(), Content.text(text), options);
            return json(202, views.message(m));
        } catch (ContactNotAllowedException e) {
            ObjectNode err = mapper.createObjectNode();
            ObjectNode inner = err.putObject("error");
            inner.put("code", "contact_not_allowed");
            inner.put("message", e.getMessage());
            inner.put("reason", e.reason().name());
            return ApiResponse.json(409, mapper.writeValueAsBytes(err));
        }
    }

    private ApiResponse assign(ApiRequest r) throws JsonProcessingException {
        Conversation c = conversation(r.pathParam("id"));
        JsonNode body = r.jsonBody(mapper);
        if (!body.has("agent") || !(body.get("agent").isTextual() || body.get("agent").isNull())) {
            throw ApiException.badRequest("'agent' is required: an agent id, or \"\" to unassign");
        }
        Optional<String> agent = optionalText(body, "agent");
        Conversation updated;
        try {
            updated = agent.isPresent() ? inbox.assign(tenant, c.id(), agent.get()) : inbox.unassign(tenant, c.id());
        } catch (dev.switchboard.inbox.routing.AssignmentRefusedException e) {
            // routing's capacity rule: the agent is not registered or has no room; nothing changed
            throw ApiException.conflict("assignment_refused", e.getMessage());
        }
        return json(200, summary(updated));
    }

    private ApiResponse resolve(ApiRequest r) throws JsonProcessingException {
        Conversation c = conversation(r.pathParam("id"));
        return json(200, summary(inbox.resolve(tenant, c.id())));
    }

    private ObjectNode summary(Conversation c) {
        Customer customer = customer(c.customer()).orElseGet(() -> Customer.create(tenant, c.customer(), c.createdAt()));
        ObjectNode out = views.conversation(c, customer, inbox.messages(tenant, c.id()));
        operations.addDeadlines(List.of(out));
        return out;
    }

    // ---- customers and identity ----------------------------------------------------------------------------------

    private ApiResponse getCustomer(ApiRequest r) throws JsonProcessingException {
        CustomerId requested = CustomerId.of(r.pathParam("id"));
        int timelineLimit = r.intParam("timelineLimit", 200, 1, 1000);
        Customer c = customer(requested).orElseThrow(() -> ApiException.notFound("no customer " + requested.value()));
        record IdentityView(Set<CustomerId> ids, List<MergeRecord> merges, List<MergeSuggestion> suggestions,
                            List<Conversation> conversations) {}
        IdentityView idv = store.inTransaction(tx -> {
            Set<CustomerId> ids = identity.identities(tx, tenant, c.id());
            Map<String, MergeSuggestion> suggestions = new LinkedHashMap<>();
            for (CustomerId id : ids) {
                for (MergeSuggestion s : tx.suggestionsOf(tenant, id)) {
                    suggestions.putIfAbsent(s.id().value(), s);
                }
            }
            List<MergeSuggestion> sorted = new ArrayList<>(suggestions.values());
            sorted.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
            return new IdentityView(ids, identity.mergeLog(tx, tenant, c.id()), sorted,
                    tx.conversationsOf(tenant, ids));
        });
        ObjectNode out = mapper.createObjectNode();
        out.put("id", c.id().value());
        ArrayNode aliases = out.putArray("aliases");
        idv.ids().stream().filter(id -> !id.equals(c.id())).map(CustomerId::value).sorted().forEach(aliases::add);
        c.displayName().ifPresent(v -> out.put("displayName", v));
        c.language().ifPresent(v -> out.put("language", v));
        ArrayNode accounts = out.putArray("accounts");
        c.accounts().forEach(a -> accounts.add(views.account(a, c)));
        ArrayNode contacts = out.putArray("contacts");
        c.contacts().forEach(k -> contacts.add(JsonViews.contact(k)));
        ObjectNode attrs = out.putObject("attributes");
        c.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> attrs.put(e.getKey(), e.getValue()));
        ObjectNode prefs = out.putObject("preferences");
        c.preferences().preferredChannel().ifPresent(t -> prefs.put("preferredChannel", t.value()));
        ArrayNode dnc = prefs.putArray("doNotContact");
        c.preferences().doNotContact().stream().map(ChannelType::value).sorted().forEach(dnc::add);
        ArrayNode conflicts = out.putArray("conflicts");
        c.conflicts().forEach(k -> conflicts.addObject().put("attribute", k.attribute()).put("keptValue", k.keptValue())
                .put("otherValue", k.otherValue()));
        ArrayNode merges = out.putArray("merges");
        idv.merges().forEach(m -> merges.add(JsonViews.merge(m)));
        ArrayNode suggestions = out.putArray("suggestions");
        idv.suggestions().forEach(s -> suggestions.add(JsonViews.suggestion(s, this::customerRef)));
        ArrayNode conversations = out.putArray("conversations");
        for (Conversation conv : idv.conversations()) {
            conversations.add(views.conversation(conv, c, inbox.messages(tenant, conv.id())));
        }
        ArrayNode timeline = out.putArray("timeline");
        lastOfTimeline(c.id(), timelineLimit).forEach(m -> timeline.add(views.message(m)));
        out.put("createdAt", c.createdAt().toString());
        out.put("updatedAt", c.updatedAt().toString());
        return json(200, out);
    }

    /** The most recent {@code limit} messages of the timeline, oldest first. */
    private List<Message> lastOfTimeline(CustomerId id, int limit) {
        List<Message> all = new ArrayList<>();
        PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
        for (int guard = 0; guard < 100; guard++) {
            Page<Message> p = inbox.timeline(tenant, id, page);
            all.addAll(p.items());
            if (p.nextCursor().isEmpty()) {
                break;
            }
            page = page.after(p.nextCursor().get());
        }
        return all.size() <= limit ? all : all.subList(all.size() - limit, all.size());
    }

    private ApiResponse listSuggestions(ApiRequest r) throws JsonProcessingException {
        int limit = r.intParam("limit", 50, 1, PageRequest.MAX_LIMIT);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (MergeSuggestion s : inbox.suggestions(tenant, limit)) {
            items.add(JsonViews.suggestion(s, this::customerRef));
        }
        return json(200, out);
    }

    private ApiResponse decide(ApiRequest r) throws JsonProcessingException {
        SuggestionId id = new SuggestionId(r.pathParam("id"));
        JsonNode body = r.jsonBody(mapper);
        JsonNode accept = body.get("accept");
        if (accept == null || !accept.isBoolean()) {
            throw ApiException.badRequest("'accept' is required and must be true or false");
        }
        String agent = actor(r, body);
        boolean known = store.inTransaction(tx -> tx.suggestion(tenant, id).isPresent());
        if (!known) {
            throw ApiException.notFound("no suggestion " + id.value());
        }
        try {
            MergeSuggestion decided = inbox.decide(tenant, id, accept.asBoolean(), agent);
            return json(200, JsonViews.suggestion(decided, this::customerRef));
        } catch (IllegalStateException e) {
            throw ApiException.conflict("conflict", e.getMessage());
        }
    }

    private ObjectNode customerRef(CustomerId id) {
        return customer(id).map(JsonViews::customerRef).orElseGet(() -> {
            ObjectNode n = mapper.createObjectNode();
            n.put("id", id.value());
            return n;
        });
    }

    // ---- events and channels -------------------------------------------------------------------------------------

    private ApiResponse listEvents(ApiRequest r) throws JsonProcessingException {
        long after = r.longParam("after", 0, 0);
        int limit = r.intParam("limit", 100, 1, PageRequest.MAX_LIMIT);
        List<InboxEvent> events = inbox.events(tenant, after, limit);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        long next = after;
        for (InboxEvent e : events) {
            items.add(JsonViews.event(e));
            next = Math.max(next, e.seq());
        }
        out.put("next", next);
        out.put("last", inbox.lastEventSeq());
        return json(200, out);
    }

    private ApiResponse listChannels(ApiRequest r) throws JsonProcessingException {
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (Channel c : inbox.channels()) {
            if (!c.tenant().equals(tenant)) {
                continue;
            }
            items.add(JsonViews.channel(c, channelModes.getOrDefault(c.id(), "live"),
                    channelLabels.getOrDefault(c.id(), c.id().value())));
        }
        return json(200, out);
    }

    private ApiResponse openApi(ApiRequest r) throws IOException {
        try (InputStream in = ContactCenterApi.class.getResourceAsStream("/api/openapi.yaml")) {
            if (in == null) {
                throw ApiException.notFound("the OpenAPI document is not packaged with this build");
            }
            return new ApiResponse(200, "application/yaml; charset=utf-8", in.readAllBytes());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private DemoHooks demo() {
        return demo.orElseThrow(() -> ApiException.notFound("the demo endpoints exist only in the demo application"));
    }

    private Conversation conversation(String id) {
        ConversationId cid;
        try {
            cid = ConversationId.of(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no conversation " + id);
        }
        return inbox.conversation(tenant, cid).orElseThrow(() -> ApiException.notFound("no conversation " + id));
    }

    private Optional<Customer> customer(CustomerId id) {
        try {
            return inbox.customer(tenant, id);
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
    }

    private ChannelType channelType(ChannelId id) {
        return inbox.channel(tenant, id).map(Channel::type).orElseGet(() -> {
            String v = id.value().toLowerCase(Locale.ROOT);
            for (ChannelType t : List.of(ChannelType.TELEGRAM, ChannelType.EMAIL, ChannelType.WEBCHAT)) {
                if (v.startsWith(t.value())) {
                    return t;
                }
            }
            return ChannelType.of(v.replaceAll("[^a-z0-9]", "").isEmpty() ? "other" : v.replaceAll("[^a-z0-9]", ""));
        });
    }

    /**
     * The agent an action is recorded for: the logged-in one. A body naming another agent is refused, so no one acts
     * in someone else's name.
     */
    private static String actor(ApiRequest r, JsonNode body) {
        String agent = r.requireAgent();
        Optional<String> claimed = optionalText(body, "agent");
        if (claimed.isPresent() && !claimed.get().equals(agent)) {
            throw new ApiException(403, "agent_mismatch", "you are logged in as '" + agent + "'");
        }
        return agent;
    }

    private static String agentDisplayName(String agent) {
        return agent.equals("maria") ? "Maria K." : agent;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required and must be a non-empty string");
        }
        return n.asText().strip();
    }

    private static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        return n.asText().isBlank() ? Optional.empty() : Optional.of(n.asText().strip());
    }

    private ApiResponse json(int status, JsonNode body) throws JsonProcessingException {
        return ApiResponse.json(status, mapper.writeValueAsBytes(body));
    }

    @Override
    public String toString() {
        return "ContactCenterApi[" + tenant + ", " + auth + "]";
    }
}
