package dev.switchboard.examples.api;

import dev.switchboard.channel.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agent login for the console and the REST API. An agent logs in with a name and a secret that the host's
 * {@link Credentials} check (the demo: one generated admin secret, any agent of its roster); the answer is a random
 * session token, carried by the console in an {@code HttpOnly; Secure; SameSite=Strict} cookie and by API clients as
 * {@code Authorization: Bearer}. Sessions end after {@code idleTimeout} without use or on logout, and live in memory
 * (a restart logs everyone out). Every action the API records is attributed to the session's agent. Thread-safe.
 */
public final class AgentAuth {
    /** The session cookie's name. */
    public static final String COOKIE = "sb_agent";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    /** Checks an agent's login; the host plugs its own (a user table, LDAP, SSO) in place of the demo's. */
    @FunctionalInterface
    public interface Credentials {
        /** Whether {@code secret} lets {@code agent} log in. Must compare in constant time. */
        boolean check(String agent, String secret);
    }

    private record Session(String agent, Instant lastUsed) {
    }

    private final Credentials credentials;
    private final Duration idleTimeout;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public AgentAuth(Credentials credentials, Duration idleTimeout, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The demo's credentials: {@code secret} must equal {@code adminSecret} (compared in constant time) and the agent
     * must be on {@code roster}.
     */
    public static Credentials sharedSecret(String adminSecret, Set<String> roster) {
        byte[] expected = adminSecret.getBytes(StandardCharsets.UTF_8);
        Set<String> agents = Set.copyOf(roster);
        return (agent, secret) -> MessageDigest.isEqual(expected, secret.getBytes(StandardCharsets.UTF_8))
                && agents.contains(agent);
    }

    /** A new session for {@code agent} when the credentials check out. */
    public Optional<String> login(String agent, String secret) {
        if (!credentials.check(agent, secret)) {
            return Optional.empty();
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        sessions.put(token, new Session(agent, clock.instant()));
        if (sessions.size() > 10_000) {
            Instant cutoff = clock.instant().minus(idleTimeout);
            sessions.values().removeIf(s -> s.lastUsed.isBefore(cutoff));
        }
        return Optional.of(token);
    }

    /** The agent of the request's session (bearer token first, then the cookie); empty when not logged in. */
    public Optional<String> authenticate(WebhookRequest request) {
        return token(request).flatMap(this::agentOf);
    }

    /** Ends the request's session, if any. */
    public void logout(WebhookRequest request) {
        token(request).ifPresent(sessions::remove);
    }

    private Optional<String> agentOf(String token) {
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(token, (k, v) ->
                v.lastUsed.plus(idleTimeout).isBefore(now) ? null : new Session(v.agent, now));
        return s == null ? Optional.empty() : Optional.of(s.agent);
    }

    static Optional<String> token(WebhookRequest request) {
        Optional<String> bearer = request.header("Authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).filter(t -> !t.isEmpty());
        if (bearer.isPresent()) {
            return bearer;
        }
        for (String header : request.headers().getOrDefault("cookie", java.util.List.of())) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return Optional.of(p.substring(COOKIE.length() + 1)).filter(t -> !t.isEmpty());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code Set-Cookie} value for a session: {@code HttpOnly; SameSite=Strict; Path=/} and {@code Secure}, which
     * is left out only when the browser talks plain HTTP to localhost (a browser would not keep a Secure cookie
     * there; nothing else can reach a loopback-bound server).
     */
    public static String cookie(String token, Optional<String> hostHeader) {
        return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (isLocal(hostHeader) ? "" : "; Secure");
    }

    /** The {@code Set-Cookie} value that deletes the session cookie. */
    public static String clearedCookie(Optional<String> hostHeader) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (isLocal(hostHeader) ? "" : "; Secure");
    }

    static boolean isLocal(Optional<String> hostHeader) {
        if (hostHeader.isEmpty()) {
            return false;
        }
        String h = hostHeader.get().toLowerCase(Locale.ROOT);
        String name = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.contains(":")
                ? h.substring(0, h.indexOf(':')) : h;
        return LOCAL_HOSTS.contains(name);
    }

    @Override
    public String toString() {
        return "AgentAuth[" + sessions.size() + " sessions, secrets hidden]";
    }
}
