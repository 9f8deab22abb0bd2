package dev.switchboard.inbox.canned;

import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;

/**
 * One tenant's canned responses, from {@code TenantInbox.cannedResponses()}: create, read, list and delete them (they
 * are stored, so every node sees the same set), list those that fit a conversation (its channel type, its assignee's
 * team), and send one as an agent's reply. The body's {@code {{variables}}} are filled from, in this order: the values
 * the caller passes (host values and {@code prompt.*} fields the agent typed), then {@code customer.name},
 * {@code customer.language}, {@code agent.id}, {@code agent.name} (the routing agent's display name, else the id),
 * {@code conversation.id}, {@code conversation.subject}, {@code conversation.priority}, {@code conversation.status},
 * {@code conversation.channel}. A variable without a value (or with a blank one) fails the send with a
 * {@link MissingVariableException} naming it; a raw {@code {{name}}} is never sent. The reply is rendered for the
 * customer's channel like any reply (markup, splitting, media fallbacks). Cheap to create; thread-safe.
 */
public final class CannedResponses {
    /** Sends a reply the way {@code Inbox.reply} does. */
    public interface ReplySender {
        /** Queues {@code content} as a reply in the tenant's conversation; see {@code Inbox.reply}. */
        Message reply(TenantId tenant, ConversationId conversation, Content content, ReplyOptions options);
    }

    private final InboxStore store;
    private final TenantId tenant;
    private final ReplySender sender;
    private final BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes;

    /**
     * Called by the inbox.
     *
     * @param sender the inbox's reply path
     * @param channelTypes the type of a tenant's channel, when it is configured
     */
    public CannedResponses(InboxStore store, TenantId tenant, ReplySender sender,
                           BiFunction<TenantId, ChannelId, Optional<ChannelType>> channelTypes) {
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.channelTypes = Objects.requireNonNull(channelTypes, "channelTypes");
    }

    /** Creates or replaces the response with its code, in this tenant (whatever tenant it was built with). */
    public CannedResponse save(CannedResponse response) {
        CannedResponse mine = Objects.requireNonNull(response, "response").inTenant(tenant);
        store.inTransaction(tx -> {
            tx.saveCannedResponse(mine);
            return null;
        });
        return mine;
    }

    /** The response with this code. */
    public Optional<CannedResponse> get(String code) {
        Objects.requireNonNull(code, "code");
        return store.inTransaction(tx -> tx.cannedResponse(tenant, code));
    }

    /** Every response of the tenant, by code. */
    public List<CannedResponse> list() {
        return store.inTransaction(tx -> tx.cannedResponses(tenant));
    }

    /** Deletes the response with this code; false when there was none. */
    public boolean delete(String code) {
        Objects.requireNonNull(code, "code");
        return store.inTransaction(tx -> tx.deleteCannedResponse(tenant, code));
    }

    /**
     * The responses an agent may use in this conversation: those without scope, those of its channel type, and those
     * of a team its assignee belongs to.
     *
     * @throws NoSuchElementException when the tenant has no such conversation
     */
    public List<CannedResponse> forConversation(ConversationId conversation) {
        return store.inTransaction(tx -> {
            Scope scope = scope(tx, conversation(tx, conversation));
            return tx.cannedResponses(tenant).stream().filter(scope::allows).toList();
        });
    }

    /**
     * The content the response would send in this conversation, with every variable filled (see the class
     * description); nothing is sent.
     *
     * @param agent the agent who sends it
     * @param values host values and agent-prompted fields ({@code prompt.amount}), by variable name
     * @throws MissingVariableException when a variable has no value
     * @throws NoSuchElementException when the code or the conversation does not exist in the tenant
     * @throws IllegalArgumentException when the response's scope excludes the conversation
     */
    public Content render(String code, ConversationId conversation, String agent, Map<String, String> values) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(values, "values");
        return store.inTransaction(tx -> {
            CannedResponse response = tx.cannedResponse(tenant, code).orElseThrow(() ->
                    new NoSuchElementException("no canned response " + code + " in tenant " + tenant));
            Conversation c = conversation(tx, conversation);
            Scope scope = scope(tx, c);
            if (!scope.allows(response)) {
                throw new IllegalArgumentException("canned response " + code + " is limited to "
                        + response.channelType().map(t -> "channel type " + t.value()).orElse("")
                        + response.team().map(t -> (response.channelType().isPresent() ? " and " : "") + "team " + t)
                                .orElse("") + "; conversation " + conversation + " is not");
            }
            return content(response, variables(tx, c, agent, values));
        });
    }

    /**
     * Sends the response as {@code agent}'s reply in the conversation (through the outbox, rendered for the
     * customer's channel, counting as the agent's response).
     *
     * @return the queued message
     * @throws MissingVariableException when a variable has no value; nothing is sent
     */
    public Message reply(String code, ConversationId conversation, String agent, Map<String, String> values) {
        Content content = render(code, conversation, agent, values);
        return sender.reply(tenant, conversation, content, ReplyOptions.defaults().agent(agent));
    }

    private Conversation conversation(InboxTransaction tx, ConversationId id) {
        Objects.requireNonNull(id, "conversation");
        return tx.conversation(tenant, id).orElseThrow(() ->
                new NoSuchElementException("no conversation " + id + " in tenant " + tenant));
    }

    private record Scope(Optional<ChannelType> channelType, Set<String> teams) {
        boolean allows(CannedResponse r) {
            return r.channelType().map(t -> channelType.map(t::equals).orElse(false)).orElse(true)
                    && r.team().map(teams::contains).orElse(true);
        }
    }

    private Scope scope(InboxTransaction tx, Conversation c) {
        Optional<ChannelType> type = c.channel().flatMap(ch -> channelTypes.apply(tenant, ch));
        Set<String> teams = c.assignee().flatMap(a -> routingAgent(tx, a)).map(s -> s.agent().teams())
                .orElse(Set.of());
        return new Scope(type, teams);
    }

    private Optional<dev.switchboard.inbox.routing.AgentStatus> routingAgent(InboxTransaction tx, String agent) {
        try {
            return tx.agent(tenant, agent);
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // a store without routing: no names or teams beyond the id
        }
    }

    private Map<String, String> variables(InboxTransaction tx, Conversation c, String agent,
                                          Map<String, String> values) {
        Map<String, String> v = new HashMap<>();
        Optional<Customer> customer = tx.customer(tenant, c.customer());
        customer.flatMap(Customer::displayName).ifPresent(n -> v.put("customer.name", n));
        customer.flatMap(Customer::language).ifPresent(l -> v.put("customer.language", l));
        v.put("agent.id", agent);
        v.put("agent.name", routingAgent(tx, agent).map(s -> s.agent().displayName()).filter(n -> !n.isBlank())
                .orElse(agent));
        v.put("conversation.id", c.id().value());
        c.subject().ifPresent(s -> v.put("conversation.subject", s));
        v.put("conversation.priority", c.priority().name());
        v.put("conversation.status", c.status().name());
        c.channel().ifPresent(ch -> v.put("conversation.channel", ch.value()));
        values.forEach((k, val) -> v.put(Objects.requireNonNull(k, "value name"), val));
        return v;
    }

    /** The body with every variable replaced, plus the attachments; fails naming every variable without a value. */
    static Content content(CannedResponse r, Map<String, String> values) {
        Matcher m = CannedResponse.VARIABLE.matcher(r.body());
        StringBuilder out = new StringBuilder();
        Set<String> missing = new LinkedHashSet<>();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isBlank()) {
                missing.add(m.group(1));
                m.appendReplacement(out, "");
            } else {
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new MissingVariableException(r.code(), List.copyOf(missing));
        }
        List<Part> parts = new ArrayList<>();
        if (!out.toString().isBlank()) {
            parts.add(Text.plain(out.toString()));
        }
        for (CannedResponse.Attachment a : r.attachments()) {
            parts.add(Media.of(kindOf(a.mimeType()), a.mimeType(), new MediaSource.Url(a.url()))
                    .withFileName(a.name()));
        }
        return Content.of(parts.toArray(Part[]::new));
    }

    private static MediaKind kindOf(String mime) {
        if (mime.startsWith("image/")) {
            return MediaKind.IMAGE;
        }
        if (mime.startsWith("video/")) {
            return MediaKind.VIDEO;
        }
        return mime.startsWith("audio/") ? MediaKind.AUDIO : MediaKind.FILE;
    }
}
