package dev.switchboard.channel.viber;

import dev.switchboard.channel.SendCost;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the channel remembers per customer, in one place so it can move to durable per-channel state as a whole:
 * whether they are subscribed (from {@code subscribed}/{@code unsubscribed}, a message, or a send refused with status
 * 5/6), when they last wrote (the start of the 24-hour session window), their client's API version (what keyboards
 * and rich media it shows), and the choices last offered to them (so a keyboard press or a numbered reply maps back to
 * its postback, and a contact shared in answer to a share-phone button is known to be their own number). Held in
 * memory for now: after a restart the channel knows nothing and assumes a subscribed, current client outside any
 * window until the customer writes or Viber answers otherwise. Thread-safe.
 */
final class ViberAccounts {
    /** The API version assumed for a customer the channel has not heard from. */
    static final int ASSUMED_API_VERSION = 7;

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Duration sessionWindow;
    private final boolean commercial;

    ViberAccounts(Duration sessionWindow, boolean commercial) {
        this.sessionWindow = sessionWindow;
        this.commercial = commercial;
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

    Account get(String user) {
        return accounts.getOrDefault(user, Account.UNKNOWN);
    }

    /** The customer wrote (or pressed something) at {@code at} with a client of {@code apiVersion} (0: not said). */
    void wrote(String user, Instant at, int apiVersion) {
        accounts.compute(user, (k, a) -> {
            Account was = a == null ? Account.UNKNOWN : a;
            Instant last = was.lastInbound().filter(l -> l.isAfter(at)).orElse(at);
            // a message shows a subscription: Viber subscribes a customer who writes to the bot
            return new Account(Optional.of(true), Optional.of(last), apiVersion > 0 ? apiVersion : was.apiVersion(),
                    was.offeredChoices(), was.sharePhoneOffered());
        });
    }

    /** The customer's client, from {@code conversation_started} (no message, so no window and no subscription). */
    void client(String user, int apiVersion) {
        if (apiVersion > 0) {
            accounts.compute(user, (k, a) -> {
                Account was = a == null ? Account.UNKNOWN : a;
                return new Account(was.subscribed(), was.lastInbound(), apiVersion, was.offeredChoices(),
                        was.sharePhoneOffered());
            });
        }
    }

    /** {@code subscribed}/{@code unsubscribed}, or Viber's status 5/6 for a send. */
    void subscription(String user, boolean subscribed) {
        accounts.compute(user, (k, a) -> {
            Account was = a == null ? Account.UNKNOWN : a;
            return new Account(Optional.of(subscribed), was.lastInbound(), was.apiVersion(), was.offeredChoices(),
                    was.sharePhoneOffered());
        });
    }

    /** Viber said the customer's client is too old for a message: assume the oldest until they write again. */
    void apiVersionTooLow(String user, int usedMinimum) {
        accounts.compute(user, (k, a) -> {
            Account was = a == null ? Account.UNKNOWN : a;
            int lowered = Math.max(1, Math.min(was.apiVersion(), usedMinimum - 1));
            return new Account(was.subscribed(), was.lastInbound(), lowered, was.offeredChoices(),
                    was.sharePhoneOffered());
        });
    }

    /** Remembers the choices just sent to the customer (replacing earlier ones: Viber shows the last keyboard). */
    void offered(String user, Map<String, String> choices, boolean sharePhone) {
        accounts.compute(user, (k, a) -> {
            Account was = a == null ? Account.UNKNOWN : a;
            return new Account(was.subscribed(), was.lastInbound(), was.apiVersion(), choices, sharePhone);
        });
    }

    /** Whether the customer unsubscribed (sends then fail without calling Viber). Unknown counts as subscribed. */
    boolean unsubscribed(String user) {
        return get(user).subscribed().map(s -> !s).orElse(false);
    }

    /** What a send to the customer at {@code now} costs: a session message inside the window, else paid. */
    SendCost cost(String user, Instant now) {
        if (!commercial) {
            return SendCost.FREE;
        }
        Optional<Instant> last = get(user).lastInbound();
        return last.isPresent() && now.isBefore(last.get().plus(sessionWindow)) ? SendCost.SESSION : SendCost.PAID;
    }
}
