package dev.switchboard.channel.viber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.SendCost;
import dev.switchboard.channel.state.ChannelState;
import dev.switchboard.channel.state.StateRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the channel remembers per customer, kept in the channel's {@link ChannelState} so every node and the next
 * run see it: whether they are subscribed (from {@code subscribed}/{@code unsubscribed}, a message, or a send refused
 * with status 5/6), when they last wrote (the start of the 24-hour session window), their client's API version (what
 * keyboards and rich media it shows), and the choices last offered to them (so a keyboard press or a numbered reply
 * maps back to its postback, and a contact shared in answer to a share-phone button is known to be their own number).
 * One record per customer ({@code viber.account:<user id>}, JSON), updated by compare-and-set so a subscription change
 * on one node and a message on another never overwrite each other. The time of the last message is recorded at
 * {@link #WINDOW_GRANULARITY} granularity (a customer chatting does not cost a write per message): the window may be
 * reported closed up to that much early, never late. Thread-safe.
 */
final class ViberAccounts {
    /** The API version assumed for a customer the channel has not heard from. */
    static final int ASSUMED_API_VERSION = 7;
    /** A later message moves the recorded start of the window only when it is at least this much newer. */
    static final Duration WINDOW_GRANULARITY = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(ViberAccounts.class);
    private static final String KEY_PREFIX = "viber.account:";
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_RACES = 10;
    /** How many parsed records are kept; past it the cache starts afresh (it only saves parsing). */
    static final int MAX_CACHED = 10_000;

    private final ObjectMapper json;
    private final Duration sessionWindow;
    private final boolean commercial;
    private volatile ChannelState state;
    /**
     * The last record read or written per customer with its parsed account: every callback reads its customer's
     * record twice (for the offered choices, then to record the message), and parsing its JSON cost more than the
     * read itself.
     */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    private record Parsed(StateRecord record, Account account) {
        boolean parses(StateRecord r) {
            return record.version() == r.version() && record.value().equals(r.value());
        }
    }

    ViberAccounts(ObjectMapper json, ChannelState state, Duration sessionWindow, boolean commercial) {
        this.json = json;
        this.state = Objects.requireNonNull(state, "state");
        this.sessionWindow = sessionWindow;
        this.commercial = commercial;
    }

    /** Uses {@code state} from now on (the inbox's store instead of the in-memory default). */
    void useState(ChannelState state) {
        this.state = Objects.requireNonNull(state, "state");
        parsed.clear();
    }

    /**
     * One customer's state. {@code offeredChoices} maps what the customer may send back (a button's action body, a
     * number of a degraded list) to the postback payload.
     */
    record Account(Optional<Boolean> subscribed, Optional<Instant> lastInbound, int apiVersion,
                   Map<String, String> offeredChoices, boolean sharePhoneOffered) {
        static final Account UNKNOWN = new Account(Optional.empty(), Optional.empty(), ASSUMED_API_VERSION, Map.of(),
                false);

        Account {
            offeredChoices = Map.copyOf(offeredChoices);
        }
    }

    /** What the channel knows of {@code user}; {@link Account#UNKNOWN} when nothing, or the state cannot be read. */
    Account get(String user) {
        try {
            return read(user).orElse(Account.UNKNOWN);
        } catch (RuntimeException e) {
            log.warn("Could not read Viber account {} from the channel state; assuming nothing is known: {}", user,
                    e.toString());
            return Account.UNKNOWN;
        }
    }

    /** The customer wrote (or pressed something) at {@code at} with a client of {@code apiVersion} (0: not said). */
    void wrote(String user, Instant at, int apiVersion) {
        Instant atMillis = Instant.ofEpochMilli(at.toEpochMilli()); // what the record keeps
        update(user, was -> {
            Instant last = was.lastInbound()
                    .filter(l -> l.plus(WINDOW_GRANULARITY).isAfter(atMillis))
                    .orElse(atMillis);
            // a message shows a subscription: Viber subscribes a customer who writes to the bot
            return new Account(Optional.of(true), Optional.of(last), apiVersion > 0 ? apiVersion : was.apiVersion(),
                    was.offeredChoices(), was.sharePhoneOffered());
        });
    }

    /** The customer's client, from {@code conversation_started} (no message, so no window and no subscription). */
    void client(String user, int apiVersion) {
        if (apiVersion > 0) {
            update(user, was -> new Account(was.subscribed(), was.lastInbound(), apiVersion, was.offeredChoices(),
                    was.sharePhoneOffered()));
        }
    }

    /** {@code subscribed}/{@code unsubscribed}, or Viber's status 5/6 for a send. */
    void subscription(String user, boolean subscribed) {
        update(user, was -> new Account(Optional.of(subscribed), was.lastInbound(), was.apiVersion(),
                was.offeredChoices(), was.sharePhoneOffered()));
    }

    /** Viber said the customer's client is too old for a message: assume the oldest until they write again. */
    void apiVersionTooLow(String user, int usedMinimum) {
        update(user, was -> new Account(was.subscribed(), was.lastInbound(),
                Math.max(1, Math.min(was.apiVersion(), usedMinimum - 1)), was.offeredChoices(),
                was.sharePhoneOffered()));
    }

    /** Remembers the choices just sent to the customer (replacing earlier ones: Viber shows the last keyboard). */
    void offered(String user, Map<String, String> choices, boolean sharePhone) {
        update(user, was -> new Account(was.subscribed(), was.lastInbound(), was.apiVersion(), choices, sharePhone));
    }

    /**
     * Whether the customer unsubscribed (sends then fail without calling Viber). Unknown counts as subscribed.
     *
     * @throws ViberApiError (retryable) when the state cannot be read: an unsubscribed customer must not be called
     */
    boolean unsubscribed(String user) {
        try {
            return read(user).flatMap(Account::subscribed).map(s -> !s).orElse(false);
        } catch (RuntimeException e) {
            throw ViberApiError.network("send_message", "the channel state could not be read: " + e);
        }
    }

    /**
     * What a send to the customer at {@code now} costs: a session message inside the window, else paid (also when the
     * state cannot be read: a host refusing paid sends is never billed by mistake).
     */
    SendCost cost(String user, Instant now) {
        if (!commercial) {
            return SendCost.FREE;
        }
        Optional<Instant> last;
        try {
            last = read(user).flatMap(Account::lastInbound);
        } catch (RuntimeException e) {
            log.warn("Could not read Viber account {} from the channel state; counting a send as paid: {}", user,
                    e.toString());
            return SendCost.PAID;
        }
        return last.isPresent() && now.isBefore(last.get().plus(sessionWindow)) ? SendCost.SESSION : SendCost.PAID;
    }

    private static String key(String user) {
        return KEY_PREFIX + user;
    }

    private Optional<Account> read(String user) {
        return join(state.get(key(user))).map(r -> account(user, r));
    }

    /** The account {@code r} holds, parsed once per version. */
    private Account account(String user, StateRecord r) {
        Parsed known = parsed.get(user);
        if (known != null && known.parses(r)) {
            return known.account();
        }
        Account a = parse(r.value());
        remember(user, r, a);
        return a;
    }

    private void remember(String user, StateRecord r, Account a) {
        if (parsed.size() >= MAX_CACHED) {
            parsed.clear();
        }
        parsed.put(user, new Parsed(r, a));
    }

    private void update(String user, UnaryOperator<Account> change) {
        try {
            for (int race = 0; race < MAX_RACES; race++) {
                Optional<StateRecord> now = join(state.get(key(user)));
                Account before = now.map(r -> account(user, r)).orElse(Account.UNKNOWN);
                Account after = change.apply(before);
                if (now.isPresent() && after.equals(before)) {
                    return;
                }
                Optional<StateRecord> written = join(state.compareAndSet(key(user),
                        now.map(StateRecord::version).orElse(0L), write(after), Optional.empty()));
                if (written.isPresent()) {
                    remember(user, written.get(), after);
                    return;
                }
            }
            log.warn("Viber account {} changed {} times while being updated; this update is dropped", user,
                    MAX_RACES);
        } catch (RuntimeException e) {
            log.warn("Could not record Viber account {} in the channel state: {}", user, e.toString());
        }
    }

    private Account parse(String value) {
        try {
            JsonNode node = json.readTree(value);
            JsonNode subscribed = node.path("subscribed");
            JsonNode last = node.path("last_inbound_ms");
            Map<String, String> choices = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("choices").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                choices.put(e.getKey(), e.getValue().asText());
            }
            return new Account(subscribed.isBoolean() ? Optional.of(subscribed.booleanValue()) : Optional.empty(),
                    last.canConvertToLong() ? Optional.of(Instant.ofEpochMilli(last.longValue())) : Optional.empty(),
                    node.path("api_version").asInt(ASSUMED_API_VERSION), choices,
                    node.path("share_phone").asBoolean(false));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable Viber account record", e);
        }
    }

    private String write(Account a) {
        ObjectNode node = json.createObjectNode();
        a.subscribed().ifPresent(s -> node.put("subscribed", s));
        a.lastInbound().ifPresent(l -> node.put("last_inbound_ms", l.toEpochMilli()));
        node.put("api_version", a.apiVersion());
        if (!a.offeredChoices().isEmpty()) {
            ObjectNode choices = node.putObject("choices");
            new TreeMap<>(a.offeredChoices()).forEach(choices::put);
        }
        if (a.sharePhoneOffered()) {
            node.put("share_phone", true);
        }
        return node.toString();
    }

    private static <T> T join(CompletionStage<T> stage) {
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
