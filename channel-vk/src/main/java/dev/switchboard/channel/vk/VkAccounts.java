package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StateRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the channel knows of each customer account, kept in the channel's {@link ChannelState} so every node and the
 * next run see it: the {@code client_info} of their last message (how to render keyboards) and whether they denied
 * messages from the community ({@code message_deny}, or error 901/902 on a send) until a {@code message_allow}. One
 * record per user ({@code vk.account:<user id>}, JSON), updated by compare-and-set so a permission change on one node
 * and a new client_info on another never overwrite each other. Thread-safe.
 */
final class VkAccounts {
    private static final Logger log = LoggerFactory.getLogger(VkAccounts.class);
    private static final String KEY_PREFIX = "vk.account:";
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_RACES = 10;

    private final ObjectMapper json;
    private volatile ChannelState state;

    VkAccounts(ObjectMapper json, ChannelState state) {
        this.json = json;
        this.state = Objects.requireNonNull(state, "state");
    }

    void useState(ChannelState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /** What {@code user}'s client can show; {@link VkClientInfo#MODERN} when unknown or unreadable. */
    VkClientInfo clientInfo(long user) {
        try {
            return read(user).map(Account::client).orElse(VkClientInfo.MODERN);
        } catch (RuntimeException e) {
            log.warn("Could not read VK account {} from the channel state; rendering for a modern client: {}", user,
                    e.toString());
            return VkClientInfo.MODERN;
        }
    }

    /**
     * Whether {@code user} denied messages.
     *
     * @throws VkApiError (retryable) when the state cannot be read: a customer who denied must not be called
     */
    boolean denied(long user) {
        try {
            return read(user).map(Account::denied).orElse(false);
        } catch (RuntimeException e) {
            throw VkApiError.network("messages.send", "the channel state could not be read: " + e, null);
        }
    }

    /** Records the client_info of {@code user}'s latest message (no write when it did not change). */
    void clientInfo(long user, VkClientInfo info) {
        update(user, a -> new Account(info, a.denied()));
    }

    /** Records {@code user}'s permission to be messaged. */
    void permission(long user, boolean allowed) {
        update(user, a -> new Account(a.client(), !allowed));
    }

    private record Account(VkClientInfo client, boolean denied) {
        static final Account UNKNOWN = new Account(VkClientInfo.MODERN, false);
    }

    private Optional<Account> read(long user) {
        return join(state.get(KEY_PREFIX + user)).map(r -> parse(r.value()));
    }

    private void update(long user, UnaryOperator<Account> change) {
        try {
            for (int race = 0; race < MAX_RACES; race++) {
                Optional<StateRecord> now = join(state.get(KEY_PREFIX + user));
                Account before = now.map(r -> parse(r.value())).orElse(Account.UNKNOWN);
                Account after = change.apply(before);
                if (now.isPresent() && after.equals(before)) {
                    return;
                }
                if (join(state.compareAndSet(KEY_PREFIX + user, now.map(StateRecord::version).orElse(0L),
                        write(after), Optional.empty())).isPresent()) {
                    return;
                }
            }
            log.warn("VK account {} changed {} times while being updated; this update is dropped", user, MAX_RACES);
        } catch (RuntimeException e) {
            log.warn("Could not record VK account {} in the channel state: {}", user, e.toString());
        }
    }

    private Account parse(String value) {
        try {
            JsonNode node = json.readTree(value);
            JsonNode c = node.path("client");
            Set<String> actions = new HashSet<>();
            c.path("button_actions").forEach(a -> actions.add(a.asText()));
            VkClientInfo client = new VkClientInfo(actions, c.path("keyboard").asBoolean(true),
                    c.path("inline_keyboard").asBoolean(true), c.path("carousel").asBoolean(true),
                    c.hasNonNull("language") ? Optional.of(c.get("language").asText()) : Optional.empty());
            return new Account(client, node.path("denied").asBoolean(false));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable VK account record", e);
        }
    }

    private String write(Account a) {
        ObjectNode node = json.createObjectNode();
        node.put("denied", a.denied());
        ObjectNode c = node.putObject("client");
        new TreeSet<>(a.client().buttonActions()).forEach(c.putArray("button_actions")::add);
        c.put("keyboard", a.client().keyboard());
        c.put("inline_keyboard", a.client().inlineKeyboard());
        c.put("carousel", a.client().carousel());
        a.client().language().ifPresent(l -> c.put("language", l));
        return node.toString();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while using the channel state", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the channel state failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the channel state did not answer in " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
