package dev.switchboard.channel.email;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link MailboxStateStore} in a map: survives channel restarts within one JVM, not a JVM restart. */
public final class InMemoryMailboxStateStore implements MailboxStateStore {
    private final Map<String, MailboxState> states = new ConcurrentHashMap<>();

    @Override
    public Optional<MailboxState> load(String key) {
        return Optional.ofNullable(states.get(key));
    }

    @Override
    public void save(String key, MailboxState state) {
        states.put(key, state);
    }

    @Override
    public String toString() {
        return "InMemoryMailboxStateStore" + states;
    }
}
