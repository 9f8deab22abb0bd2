package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.StoreTransaction;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Interprets the identity scenario language used by {@link IdentityScenariosTest}. A scenario is a list of steps and
 * a list of expectations, each {@code op(arg, key=value, ...)} separated by {@code ;}.
 *
 * <p>Accounts are written {@code [tenant/]channel:user}: {@code tg:1} is Telegram user 1 in the default tenant,
 * {@code t2/tg:1} the same user id in tenant {@code t2}. Channel prefixes: tg, em (email), web, vk, viber.
 *
 * <p>Steps: {@code resolve(acct, name=.., lang=.., vphone=.., phone=.., vemail=.., email=.., vext=.., text=..)}
 * (v = verified; repeatable; {@code vlink=user} a signed deep link naming the host user, {@code forgedlink=user} one
 * signed with a wrong secret, {@code t2link=user} one minted for tenant t2), {@code merge(a, b)}, {@code unmerge(last|N)}, {@code unmerge!(last)} (must fail),
 * {@code accept(last)}, {@code reject(last)}, {@code link(acct, customerOfAcct)}, {@code block(acct)},
 * {@code unblock(acct)}, {@code consent(acct, purpose, grant|revoke)}, {@code dnc(acct, type)},
 * {@code attr(acct, key, value)}.
 *
 * <p>Expectations: {@code customers=N}, {@code customers@t2=N}, {@code open=N}, {@code merges=N} (not undone),
 * {@code same(a, b, ...)}, {@code different(a, b)}, {@code ambiguous(point)}, {@code notAmbiguous(point)},
 * {@code conflicts(acct)=N}, {@code name(acct)=value}, {@code attr(acct, key)=value}, {@code blocked(acct)},
 * {@code notBlocked(acct)}, {@code accounts(acct)=N}, {@code queue=N} (the agent's queue: canonical, no self pairs,
 * no duplicates), {@code consent(acct, purpose, type)=true|false}, {@code dnc(acct, type)},
 * {@code has(acct, point)}, {@code lacks(acct, point)}, {@code verified(acct, point)}, {@code restored},
 * {@code evidence(last)=source}, {@code actor(last)=name}, {@code survivor(last)=acct}, {@code created(last)},
 * {@code reason(last)~text}, {@code suggestion(last)=STATUS}, {@code suggestionReason(last)~text}.
 */
final class ScenarioHarness {

    private final InMemoryStore store = new InMemoryStore();
    private final TickingClock clock = new TickingClock();
    private final AtomicLong ids = new AtomicLong();
    // sequential ids so two tenants get colliding customer ids: isolation must come from the tenant, not the id
    /** Deep links signed for the default tenant and for t2, each with its own secret. */
    private final SignedDeepLinks links = SignedDeepLinks.builder().secret(TenantId.DEFAULT, secret(1))
            .secret(TenantId.of("t2"), secret(2)).clock(clock).build();
    /** The same tenants under secrets the host never configured: what a forger can mint. */
    private final SignedDeepLinks forger = SignedDeepLinks.builder().secret(TenantId.DEFAULT, secret(3))
            .secret(TenantId.of("t2"), secret(4)).clock(clock).build();
    private final IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").clock(clock)
            .idGenerator(() -> "id-" + ids.incrementAndGet()).deepLinks(links).build();
    private final Map<TenantId, Set<AccountKey>> accounts = new LinkedHashMap<>();
    private final List<MergeRecord> merges = new ArrayList<>();
    private final List<MergeSuggestion> suggestions = new ArrayList<>();
    private Resolution lastResolution;
    private Unmerge lastUnmerge;
    private MergeRecord lastUndone;

    void run(String steps, String expectations) {
        for (String step : split(steps)) {
            clock.tick();
            Call call = Call.parse(step);
            try {
                store.inTransaction(tx -> {
                    step(tx, call);
                    return null;
                });
            } catch (RuntimeException e) {
                throw new AssertionError("step failed: " + step + ": " + e, e);
            }
        }
        for (String expectation : split(expectations)) {
            store.inTransaction(tx -> {
                expect(tx, expectation);
                return null;
            });
        }
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(";")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- steps

    private void step(StoreTransaction tx, Call c) {
        switch (c.op) {
            case "resolve": {
                AccountKey key = account(c.arg(0));
                Profile profile = new Profile(c.opt("name"), Optional.empty(), c.opt("lang"), Optional.empty());
                List<Evidence> evidence = new ArrayList<>();
                Instant at = clock.instant();
                for (String v : c.all("vphone")) {
                    evidence.add(Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, v), source(key, "phone"), at));
                }
                for (String v : c.all("phone")) {
                    evidence.add(Evidence.unverified(new ContactPoint(ContactPoint.Kind.PHONE, v), "form", at));
                }
                for (String v : c.all("vemail")) {
                    evidence.add(Evidence.verified(new ContactPoint(ContactPoint.Kind.EMAIL, v), source(key, "email"), at));
                }
                for (String v : c.all("email")) {
                    evidence.add(Evidence.unverified(new ContactPoint(ContactPoint.Kind.EMAIL, v), "form", at));
                }
                for (String v : c.all("vext")) {
                    evidence.add(Evidence.verified(ContactPoint.externalId(v), "webchat.signed", at));
                }
                for (String v : c.all("vlink")) { // a valid deep link for this tenant
                    evidence.add(Evidence.unverified(ContactPoint.signedLink(
                            links.mint(key.tenant(), v, java.time.Duration.ofMinutes(10))), "telegram.start", at));
                }
                for (String v : c.all("forgedlink")) {
                    evidence.add(Evidence.unverified(ContactPoint.signedLink(
                            forger.mint(key.tenant(), v, java.time.Duration.ofMinutes(10))), "telegram.start", at));
                }
                for (String v : c.all("t2link")) { // valid, but minted for tenant t2
                    evidence.add(Evidence.unverified(ContactPoint.signedLink(
                            links.mint(TenantId.of("t2"), v, java.time.Duration.ofMinutes(10))), "telegram.start", at));
                }
                for (String v : c.all("text")) {
                    evidence.addAll(engine.normalizer().extractUnverified(v, "message.text", at));
                }
                accounts.computeIfAbsent(key.tenant(), t -> new LinkedHashSet<>()).add(key);
                lastResolution = engine.resolve(tx, new ChannelAccount(key, profile), evidence);
                merges.addAll(lastResolution.merges());
                suggestions.addAll(lastResolution.suggestions());
                break;
            }
            case "merge": {
                AccountKey a = account(c.arg(0));
                AccountKey b = account(c.arg(1));
                merges.add(engine.merge(tx, a.tenant(), owner(tx, a), owner(tx, b), "agent-1", "agent says so"));
                break;
            }
            case "unmerge": {
                MergeRecord r = pickMerge(c.arg(0));
                lastUnmerge = engine.unmerge(tx, r.tenant(), r.id(), "agent-1");
                lastUndone = r;
                break;
            }
            case "unmerge!": {
                MergeRecord r = pickMerge(c.arg(0));
                assertThatThrownBy(() -> engine.unmerge(tx, r.tenant(), r.id(), "agent-1"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(c.opt("message").orElse(""));
                break;
            }
            case "accept":
            case "reject": {
                MergeSuggestion s = pickSuggestion(c.arg(0));
                MergeSuggestion decided = engine.decide(tx, s.tenant(), s.id(), c.op.equals("accept"), "agent-7");
                suggestions.add(decided);
                if (c.op.equals("accept")) {
                    tx.mergesOf(s.tenant(), engine.canonical(tx, s.tenant(), s.first())).stream()
                            .filter(r -> !merges.contains(r) && !r.isUndone()).forEach(merges::add);
                }
                break;
            }
            case "link": {
                AccountKey a = account(c.arg(0));
                AccountKey target = account(c.arg(1));
                accounts.computeIfAbsent(a.tenant(), t -> new LinkedHashSet<>()).add(a);
                lastResolution = engine.link(tx, a, owner(tx, target), "host-app");
                merges.addAll(lastResolution.merges());
                break;
            }
            case "block":
            case "unblock":
                engine.setBlocked(tx, account(c.arg(0)), c.op.equals("block"));
                break;
            case "consent": {
                AccountKey a = account(c.arg(0));
                Customer cu = engine.customer(tx, a.tenant(), owner(tx, a));
                engine.setPreferences(tx, a.tenant(), cu.id(), cu.preferences().withConsent(c.arg(1),
                        c.arg(2).equals("grant"), "form", clock.instant()));
                break;
            }
            case "dnc": {
                AccountKey a = account(c.arg(0));
                Customer cu = engine.customer(tx, a.tenant(), owner(tx, a));
                engine.setPreferences(tx, a.tenant(), cu.id(),
                        cu.preferences().withDoNotContact(ChannelType.of(c.arg(1))));
                break;
            }
            case "attr": {
                AccountKey a = account(c.arg(0));
                Customer cu = engine.customer(tx, a.tenant(), owner(tx, a));
                tx.saveCustomer(cu.withAttribute(c.arg(1), c.arg(2), clock.instant()));
                break;
            }
            default:
                fail("unknown step " + c.op);
        }
    }

    private static byte[] secret(int seed) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) seed);
        return b;
    }

    private static String source(AccountKey key, String what) {
        String channel = key.channel().value();
        if (channel.equals("email") && what.equals("email")) {
            return "email.sender";
        }
        return channel + ".contact";
    }

    private MergeRecord pickMerge(String which) {
        if (merges.isEmpty()) {
            fail("no merge happened yet");
        }
        return which.equals("last") ? merges.get(merges.size() - 1) : merges.get(Integer.parseInt(which) - 1);
    }

    private MergeSuggestion pickSuggestion(String which) {
        if (suggestions.isEmpty()) {
            fail("no suggestion was made");
        }
        return which.equals("last") ? suggestions.get(suggestions.size() - 1)
                : suggestions.get(Integer.parseInt(which) - 1);
    }

    // ---------------------------------------------------------------------------------------------- expectations

    private void expect(StoreTransaction tx, String text) {
        String lhs = text;
        String rhs = null;
        String op = "=";
        int tilde = text.indexOf(")~");
        int eq = text.lastIndexOf('=');
        if (tilde >= 0) {
            lhs = text.substring(0, tilde + 1);
            rhs = text.substring(tilde + 2).strip();
            op = "~";
        } else if (eq >= 0 && (text.indexOf(')') < 0 || eq > text.lastIndexOf(')'))) {
            lhs = text.substring(0, eq).strip();
            rhs = text.substring(eq + 1).strip();
        }
        String desc = "expectation '" + text + "'";
        if (!lhs.contains("(")) {
            switch (lhs.split("@")[0]) {
                case "customers": {
                    TenantId t = lhs.contains("@") ? TenantId.of(lhs.split("@")[1]) : TenantId.DEFAULT;
                    assertThat(canonicalCustomers(tx, t)).as(desc).hasSize(Integer.parseInt(rhs));
                    return;
                }
                case "open": {
                    TenantId t = lhs.contains("@") ? TenantId.of(lhs.split("@")[1]) : TenantId.DEFAULT;
                    assertThat(tx.openSuggestions(t, 1000)).as(desc).hasSize(Integer.parseInt(rhs));
                    return;
                }
                case "queue": {
                    // what an agent sees: canonical ids, no customer paired with itself, each pair once
                    TenantId t = lhs.contains("@") ? TenantId.of(lhs.split("@")[1]) : TenantId.DEFAULT;
                    List<MergeSuggestion> queue = engine.suggestions(tx, t, 1000);
                    assertThat(queue).as(desc).hasSize(Integer.parseInt(rhs));
                    Set<Set<CustomerId>> pairs = new HashSet<>();
                    for (MergeSuggestion s : queue) {
                        assertThat(s.first()).as(desc + ": self pair " + s).isNotEqualTo(s.second());
                        assertThat(engine.canonical(tx, t, s.first())).as(desc + ": canonical").isEqualTo(s.first());
                        assertThat(engine.canonical(tx, t, s.second())).as(desc + ": canonical").isEqualTo(s.second());
                        assertThat(pairs.add(Set.of(s.first(), s.second()))).as(desc + ": listed twice " + s).isTrue();
                    }
                    return;
                }
                case "merges":
                    assertThat(merges.stream().filter(r -> !tx.merge(r.tenant(), r.id()).orElseThrow().isUndone()))
                            .as(desc).hasSize(Integer.parseInt(rhs));
                    return;
                case "restored": {
                    assertThat(lastUnmerge).as(desc + ": no unmerge ran").isNotNull();
                    assertThat(lastUnmerge.survivor()).as(desc + " (survivor)").isEqualTo(lastUndone.survivorBefore());
                    assertThat(lastUnmerge.restored()).as(desc + " (absorbed)").isEqualTo(lastUndone.absorbedBefore());
                    assertThat(tx.customer(lastUndone.tenant(), lastUndone.survivor())).as(desc)
                            .contains(lastUndone.survivorBefore());
                    assertThat(tx.customer(lastUndone.tenant(), lastUndone.absorbed())).as(desc)
                            .contains(lastUndone.absorbedBefore());
                    return;
                }
                default:
                    fail("unknown " + desc);
            }
        }
        Call c = Call.parse(lhs);
        switch (c.op) {
            case "same": {
                Set<CustomerId> owners = new HashSet<>();
                for (String a : c.args) {
                    AccountKey k = account(a);
                    owners.add(engine.canonical(tx, k.tenant(), owner(tx, k)));
                }
                assertThat(owners).as(desc).hasSize(1);
                return;
            }
            case "different": {
                AccountKey a = account(c.arg(0));
                AccountKey b = account(c.arg(1));
                if (a.tenant().equals(b.tenant())) {
                    assertThat(engine.canonical(tx, a.tenant(), owner(tx, a)))
                            .as(desc).isNotEqualTo(engine.canonical(tx, b.tenant(), owner(tx, b)));
                } else {
                    Customer ca = customerOf(tx, a);
                    Customer cb = customerOf(tx, b);
                    assertThat(ca.accounts()).as(desc).noneMatch(l -> l.key().equals(b));
                    assertThat(cb.accounts()).as(desc).noneMatch(l -> l.key().equals(a));
                }
                return;
            }
            case "ambiguous":
            case "notAmbiguous": {
                ContactPoint p = point(c.arg(0));
                TenantId t = c.opt("tenant").map(TenantId::of).orElse(TenantId.DEFAULT);
                assertThat(tx.isAmbiguous(t, p)).as(desc).isEqualTo(c.op.equals("ambiguous"));
                return;
            }
            case "contacts":
                assertThat(customerOf(tx, account(c.arg(0))).contacts()).as(desc).hasSize(Integer.parseInt(rhs));
                return;
            case "accounts":
                assertThat(customerOf(tx, account(c.arg(0))).accounts()).as(desc).hasSize(Integer.parseInt(rhs));
                return;
            case "conflicts":
                assertThat(customerOf(tx, account(c.arg(0))).conflicts()).as(desc).hasSize(Integer.parseInt(rhs));
                return;
            case "name":
                assertThat(customerOf(tx, account(c.arg(0))).displayName()).as(desc).contains(rhs);
                return;
            case "lang":
                assertThat(customerOf(tx, account(c.arg(0))).language()).as(desc).contains(rhs);
                return;
            case "attr":
                assertThat(customerOf(tx, account(c.arg(0))).attributes()).as(desc).containsEntry(c.arg(1), rhs);
                return;
            case "blocked":
            case "notBlocked": {
                AccountKey k = account(c.arg(0));
                assertThat(customerOf(tx, k).account(k).orElseThrow().blocked()).as(desc)
                        .isEqualTo(c.op.equals("blocked"));
                return;
            }
            case "consent": {
                Customer cu = customerOf(tx, account(c.arg(0)));
                assertThat(cu.preferences().hasConsent(c.arg(1), ChannelType.of(c.arg(2)))).as(desc)
                        .isEqualTo(Boolean.parseBoolean(rhs));
                return;
            }
            case "dnc":
                assertThat(customerOf(tx, account(c.arg(0))).preferences().allows(ChannelType.of(c.arg(1))))
                        .as(desc).isFalse();
                return;
            case "has":
            case "lacks":
            case "verified": {
                Customer cu = customerOf(tx, account(c.arg(0)));
                ContactPoint p = point(c.arg(1));
                boolean has = cu.contacts().stream().anyMatch(x -> x.point().equals(p));
                if (c.op.equals("verified")) {
                    assertThat(cu.hasVerified(p)).as(desc + " in " + cu.contacts()).isTrue();
                } else {
                    assertThat(has).as(desc + " in " + cu.contacts()).isEqualTo(c.op.equals("has"));
                }
                return;
            }
            case "evidence":
                assertThat(pickMerge(c.arg(0)).evidence()).as(desc).extracting(Evidence::source).contains(rhs);
                return;
            case "actor":
                assertThat(pickMerge(c.arg(0)).actor()).as(desc).isEqualTo(rhs);
                return;
            case "reason":
                assertThat(pickMerge(c.arg(0)).reason()).as(desc).contains(rhs);
                return;
            case "survivor": {
                AccountKey k = account(rhs);
                assertThat(pickMerge(c.arg(0)).survivor()).as(desc).isEqualTo(engine.canonical(tx, k.tenant(), owner(tx, k)));
                return;
            }
            case "created":
                assertThat(lastResolution.created()).as(desc).isTrue();
                return;
            case "suggestion": {
                MergeSuggestion s = pickSuggestion(c.arg(0));
                assertThat(tx.suggestion(s.tenant(), s.id()).orElseThrow().status()).as(desc)
                        .isEqualTo(MergeSuggestion.Status.valueOf(rhs));
                return;
            }
            case "suggestionReason":
                assertThat(String.join(" ", pickSuggestion(c.arg(0)).reasons())).as(desc).contains(rhs);
                return;
            default:
                fail("unknown " + desc);
        }
    }

    private Set<CustomerId> canonicalCustomers(StoreTransaction tx, TenantId tenant) {
        // (accounts are recorded as written; owner() looks them up under the key the engine stores them by)
        Set<CustomerId> out = new HashSet<>();
        for (AccountKey k : accounts.getOrDefault(tenant, Set.of())) {
            out.add(engine.canonical(tx, tenant, owner(tx, k)));
        }
        return out;
    }

    private Customer customerOf(StoreTransaction tx, AccountKey key) {
        return engine.customer(tx, key.tenant(), owner(tx, key));
    }

    private CustomerId owner(StoreTransaction tx, AccountKey key) {
        AccountKey stored = engine.accountKey(key); // an email sender is stored under its normalised address
        return tx.customerByAccount(stored).orElseThrow(() -> new AssertionError("no customer owns " + key));
    }

    private ContactPoint point(String raw) {
        if (raw.startsWith("ext:")) {
            return ContactPoint.externalId(raw.substring(4));
        }
        Function<String, Optional<ContactPoint>> f = raw.contains("@") ? engine.normalizer()::email
                : engine.normalizer()::phone;
        return f.apply(raw).orElseThrow(() -> new AssertionError("not a contact point: " + raw));
    }

    static AccountKey account(String spec) {
        TenantId tenant = TenantId.DEFAULT;
        String s = spec;
        int slash = s.indexOf('/');
        if (slash > 0) {
            tenant = TenantId.of(s.substring(0, slash));
            s = s.substring(slash + 1);
        }
        int colon = s.indexOf(':');
        String prefix = s.substring(0, colon);
        String user = s.substring(colon + 1);
        String channel;
        switch (prefix) {
            case "tg":
                channel = "telegram-main";
                break;
            case "em":
                channel = "email";
                break;
            case "web":
                channel = "webchat";
                break;
            case "vk":
                channel = "vk";
                break;
            case "viber":
                channel = "viber";
                break;
            default:
                throw new IllegalArgumentException("unknown channel prefix " + prefix);
        }
        return new AccountKey(tenant, ChannelId.of(channel), user);
    }

    /** One {@code op(arg, key=value)} call of the scenario language. */
    static final class Call {
        final String op;
        final List<String> args = new ArrayList<>();
        final Map<String, List<String>> options = new LinkedHashMap<>();

        private Call(String op) {
            this.op = op;
        }

        static Call parse(String text) {
            int open = text.indexOf('(');
            if (open < 0 || !text.endsWith(")")) {
                throw new IllegalArgumentException("expected op(args): " + text);
            }
            Call c = new Call(text.substring(0, open).strip());
            String body = text.substring(open + 1, text.length() - 1);
            if (body.isBlank()) {
                return c;
            }
            for (String part : body.split(",")) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).matches("[a-z]+")) {
                    c.options.computeIfAbsent(p.substring(0, eq), k -> new ArrayList<>()).add(p.substring(eq + 1).strip());
                } else {
                    c.args.add(p);
                }
            }
            return c;
        }

        String arg(int i) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(op + " needs argument " + (i + 1));
            }
            return args.get(i);
        }

        Optional<String> opt(String key) {
            List<String> v = options.get(key);
            return v == null ? Optional.empty() : Optional.of(v.get(0));
        }

        List<String> all(String key) {
            return options.getOrDefault(key, List.of());
        }
    }

    /** A clock that moves one second per step, so every step has its own instant. */
    static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void tick() {
            now = now.plusSeconds(1);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
