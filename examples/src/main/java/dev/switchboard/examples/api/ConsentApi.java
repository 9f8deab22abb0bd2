package dev.switchboard.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.Channel;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.consent.ConsentChange;
import dev.switchboard.inbox.consent.ConsentEntry;
import dev.switchboard.inbox.consent.ConsentEvidence;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.QuietHours;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The contact-preference and consent endpoints of the demo API: {@code GET}/{@code PUT /customers/{id}/preferences}
 * (preferred channel types in order, channel types never to use, quiet hours in the customer's time zone, language)
 * and {@code GET}/{@code POST /customers/{id}/consents} (the consent ledger with what is in force, and a grant or
 * withdrawal of a purpose with its evidence). Every call needs a logged-in agent and reads or writes only the API's
 * tenant; bad input (an unknown customer, purpose or channel type, a bad time zone or time) is a 4xx naming it, and
 * nothing is written then. A grant without evidence in the body is recorded with the agent as the evidence.
 */
final class ConsentApi {
    /** The purposes an agent may record; {@code platform} entries come from the platforms themselves. */
    static final Set<String> PURPOSES = Set.of(Consent.SERVICE, Consent.MARKETING, Consent.SURVEYS);
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");
    private static final int MAX_TEXT = 200;

    private final TenantInbox desk;
    private final ObjectMapper mapper;

    ConsentApi(TenantInbox desk, ObjectMapper mapper) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Adds the routes to {@code router}. */
    Router register(Router router) {
        return router.get("/customers/{id}/preferences", this::getPreferences)
                .add("PUT", "/customers/{id}/preferences", this::putPreferences)
                .get("/customers/{id}/consents", this::getConsents)
                .post("/customers/{id}/consents", this::recordConsent);
    }

    // ---- preferences ---------------------------------------------------------------------------------------------

    private ApiResponse getPreferences(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        Customer c = customer(r.pathParam("id"));
        return ApiResponse.json(200, mapper.writeValueAsBytes(preferencesView(c)));
    }

    private ApiResponse putPreferences(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        Customer c = customer(r.pathParam("id"));
        JsonNode body = r.jsonBody(mapper);
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        Set<ChannelType> known = channelTypes();
        // everything is parsed before anything is written, so a bad field changes nothing
        Optional<List<ChannelType>> preferred = body.has("preferredChannels")
                ? Optional.of(types(body.get("preferredChannels"), "preferredChannels", known)) : Optional.empty();
        Optional<List<ChannelType>> never = body.has("doNotContact")
                ? Optional.of(types(body.get("doNotContact"), "doNotContact", known)) : Optional.empty();
        Optional<Optional<QuietHours>> quiet = body.has("quietHours")
                ? Optional.of(quietHours(body.get("quietHours"))) : Optional.empty();
        Optional<Optional<String>> language = body.has("language")
                ? Optional.of(language(body.get("language"))) : Optional.empty();
        // applied to the preferences as stored in the update's transaction, so a concurrent change is not lost
        Customer updated = desk.updatePreferences(c.id(), p -> {
            List<ChannelType> newPreferred = preferred.orElse(p.preferredChannels());
            Set<ChannelType> newNever = never.<Set<ChannelType>>map(LinkedHashSet::new).orElse(p.doNotContact());
            for (ChannelType t : newPreferred) {
                if (newNever.contains(t)) {
                    throw new ApiException(400, "contradictory_preferences", "channel type " + t.value()
                            + " cannot be both preferred and in doNotContact");
                }
            }
            return new Preferences(newPreferred.isEmpty() ? Optional.empty() : Optional.of(newPreferred.get(0)),
                    newNever, p.consents(), newPreferred.isEmpty() ? List.of()
                    : newPreferred.subList(1, newPreferred.size()), quiet.orElse(p.quietHours()),
                    language.orElse(p.language()));
        });
        return ApiResponse.json(200, mapper.writeValueAsBytes(preferencesView(updated)));
    }

    private ObjectNode preferencesView(Customer c) {
        Preferences p = c.preferences();
        ObjectNode out = mapper.createObjectNode().put("customer", c.id().value());
        ArrayNode preferred = out.putArray("preferredChannels");
        p.preferredChannels().forEach(t -> preferred.add(t.value()));
        ArrayNode never = out.putArray("doNotContact");
        p.doNotContact().stream().map(ChannelType::value).sorted().forEach(never::add);
        if (p.quietHours().isPresent()) {
            QuietHours q = p.quietHours().get();
            out.putObject("quietHours").put("from", q.from().toString()).put("to", q.to().toString())
                    .put("zone", q.zone().getId());
        } else {
            out.putNull("quietHours");
        }
        if (p.language().isPresent()) {
            out.put("language", p.language().get());
        } else {
            out.putNull("language");
        }
        return out;
    }

    private static List<ChannelType> types(JsonNode node, String field, Set<ChannelType> known) {
        if (node == null || !node.isArray()) {
            throw ApiException.badRequest("'" + field + "' must be an array of channel types");
        }
        List<ChannelType> out = new ArrayList<>();
        for (JsonNode n : node) {
            ChannelType t = type(n, field, known);
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static ChannelType type(JsonNode n, String field, Set<ChannelType> known) {
        if (!n.isTextual() || n.asText().isBlank()) {
            throw ApiException.badRequest("'" + field + "' must hold channel type names, got " + n);
        }
        ChannelType t = ChannelType.of(n.asText().strip());
        if (!known.contains(t)) {
            throw new ApiException(400, "unknown_channel_type", "'" + field + "': no channel of type '" + t.value()
                    + "' here; known: " + new TreeSet<>(known.stream().map(ChannelType::value).toList()));
        }
        return t;
    }

    private static Optional<QuietHours> quietHours(JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("'quietHours' must be an object {from, to, zone} or null");
        }
        LocalTime from = time(node.path("from"), "quietHours.from");
        LocalTime to = time(node.path("to"), "quietHours.to");
        JsonNode zone = node.path("zone");
        if (!zone.isTextual() || zone.asText().isBlank() || zone.asText().length() > 64) {
            throw new ApiException(400, "invalid_zone", "'quietHours.zone' must be a time zone id such as "
                    + "Europe/Moscow");
        }
        try {
            return Optional.of(new QuietHours(from, to, ZoneId.of(zone.asText().strip())));
        } catch (DateTimeException e) {
            throw new ApiException(400, "invalid_zone", "'quietHours.zone': unknown time zone '"
                    + zone.asText().strip() + "'; use an id such as Europe/Moscow");
        }
    }

    private static LocalTime time(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a local time HH:mm");
        }
        try {
            return LocalTime.parse(node.asText().strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + field + "' must be a local time HH:mm, got '" + node.asText() + "'");
        }
    }

    private static Optional<String> language(JsonNode node) {
        if (node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || !LANGUAGE.matcher(node.asText().strip()).matches()) {
            throw ApiException.badRequest("'language' must be a BCP 47 language tag such as ru or en-GB, or null");
        }
        return Optional.of(node.asText().strip());
    }

    // ---- the consent ledger --------------------------------------------------------------------------------------

    private ApiResponse getConsents(ApiRequest r) throws JsonProcessingException {
        r.requireAgent();
        Customer c = customer(r.pathParam("id"));
        List<ConsentEntry> history = desk.consent().history(c.id());
        ObjectNode out = mapper.createObjectNode().put("customer", c.id().value());
        ArrayNode entries = out.putArray("entries");
        history.forEach(e -> entries.add(entry(e)));
        ObjectNode inForce = out.putObject("inForce");
        Set<ChannelType> types = channelTypes();
        for (String purpose : new TreeSet<>(PURPOSES)) {
            ObjectNode perType = inForce.putObject(purpose);
            for (ChannelType t : new TreeSet<>(types.stream().map(ChannelType::value).toList()).stream()
                    .map(ChannelType::of).toList()) {
                perType.put(t.value(), desk.consent().hasConsent(c.id(), purpose, t));
            }
        }
        return ApiResponse.json(200, mapper.writeValueAsBytes(out));
    }

    private ApiResponse recordConsent(ApiRequest r) throws JsonProcessingException {
        String agent = r.requireAgent();
        Customer c = customer(r.pathParam("id"));
        JsonNode body = r.jsonBody(mapper);
        JsonNode purposeNode = body.path("purpose");
        if (!purposeNode.isTextual() || purposeNode.asText().isBlank()) {
            throw ApiException.badRequest("'purpose' is required: one of " + new TreeSet<>(PURPOSES));
        }
        String purpose = purposeNode.asText().strip();
        if (!PURPOSES.contains(purpose)) {
            throw new ApiException(400, "unknown_purpose", "unknown purpose '" + purpose + "'; one of "
                    + new TreeSet<>(PURPOSES));
        }
        JsonNode granted = body.path("granted");
        if (!granted.isBoolean()) {
            throw ApiException.badRequest("'granted' is required: true for a grant, false for a withdrawal");
        }
        ConsentChange.Builder change = granted.asBoolean() ? ConsentChange.grant(c.id(), purpose)
                : ConsentChange.withdraw(c.id(), purpose);
        if (body.hasNonNull("channelType")) {
            change.channelType(type(body.get("channelType"), "channelType", channelTypes()));
        }
        JsonNode source = body.path("source");
        if (!source.isMissingNode() && !source.isNull()) {
            change.source(text(source, "source"));
        } else {
            change.source("agent");
        }
        change.evidence(evidence(body.path("evidence"), agent, c));
        ConsentEntry entry;
        try {
            entry = desk.consent().record(change.build());
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no customer " + c.id().value());
        }
        return ApiResponse.json(201, mapper.writeValueAsBytes(entry(entry)));
    }

    /** The evidence the body names; the agent when it names none. */
    private ConsentEvidence evidence(JsonNode node, String agent, Customer customer) {
        if (node.isMissingNode() || node.isNull()) {
            return ConsentEvidence.agent(agent);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("'evidence' must be an object {kind, reference, textVersion}");
        }
        String kind = node.path("kind").asText("");
        return switch (kind) {
            case "agent" -> ConsentEvidence.agent(agent); // always the agent who is logged in
            case "button" -> ConsentEvidence.button(text(node.path("reference"), "evidence.reference"));
            case "host" -> ConsentEvidence.host(text(node.path("reference"), "evidence.reference"));
            case "web_form" -> ConsentEvidence.webForm(text(node.path("reference"), "evidence.reference"),
                    text(node.path("textVersion"), "evidence.textVersion"));
            case "message" -> {
                MessageId id = MessageId.of(text(node.path("reference"), "evidence.reference"));
                // a message keeps the id its customer had when it was stored; merged ids resolve to the customer
                boolean theirs = desk.message(id).flatMap(m -> desk.customer(m.customer()))
                        .map(owner -> owner.id().equals(customer.id())).orElse(false);
                if (!theirs) {
                    throw ApiException.badRequest("'evidence.reference': no message " + id.value() + " of customer "
                            + customer.id().value());
                }
                yield ConsentEvidence.message(id);
            }
            default -> throw ApiException.badRequest("'evidence.kind' must be one of agent, button, host, message, "
                    + "web_form; got '" + kind + "'");
        };
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > MAX_TEXT) {
            throw ApiException.badRequest("'" + field + "' is required: a text of at most " + MAX_TEXT
                    + " characters");
        }
        return node.asText().strip();
    }

    private ObjectNode entry(ConsentEntry e) {
        ObjectNode out = mapper.createObjectNode().put("id", e.id()).put("purpose", e.purpose())
                .put("granted", e.granted()).put("at", e.at().toString()).put("source", e.source())
                .put("customer", e.customer().value());
        e.channelType().ifPresentOrElse(t -> out.put("channelType", t.value()), () -> out.putNull("channelType"));
        e.account().ifPresent(a -> out.putObject("account").put("channel", a.channel().value())
                .put("platformUserId", a.platformUserId()));
        ObjectNode ev = out.putObject("evidence").put("kind", e.evidence().kind().name().toLowerCase(Locale.ROOT))
                .put("reference", e.evidence().reference());
        e.evidence().textVersion().ifPresent(v -> ev.put("textVersion", v));
        return out;
    }

    // ---- shared --------------------------------------------------------------------------------------------------

    private Customer customer(String rawId) {
        CustomerId id = CustomerId.of(rawId);
        try {
            return desk.customer(id).orElseThrow(() -> ApiException.notFound("no customer " + id.value()));
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("no customer " + id.value());
        }
    }

    private Set<ChannelType> channelTypes() {
        Set<ChannelType> out = new LinkedHashSet<>();
        for (Channel ch : desk.channels()) {
            out.add(ch.type());
        }
        return out;
    }
}
