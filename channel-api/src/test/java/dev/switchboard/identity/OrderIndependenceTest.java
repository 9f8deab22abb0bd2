package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The final customers must not depend on the order events arrive in, as long as each account's own events keep their
 * order (two channels deliver concurrently; one channel delivers one account's messages in order). A generated
 * population (households sharing a landline across channels and through host-signed profiles, one person on five
 * channels, a host user with two webchat visitors, namesakes across households, email senders written in different
 * cases) is fed in 50 seeded random interleavings; every run must give the same partition of accounts into
 * customers, and no customer may ever hold two different host user ids.
 *
 * <p>{@link #greedyMergingFailsTheProperty} shows the property has teeth: an engine that merges greedily and never
 * takes a merge back once the point turns out to be shared (the behaviour before the rule) gives different partitions
 * for different interleavings of the same population.
 */
class OrderIndependenceTest {

    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final String[] NAMES = {"Anna Petrova", "Ivan Sokolov", "Maria Ivanova", "Олег Смирнов",
            "Elena Kuznetsova", "Дмитрий Попов"};

    /** One inbound event of one account: its name and the evidence it carries. */
    private record Event(AccountKey account, String name, List<Point> points) {
    }

    /** A point as written by a channel: kind, raw value, verified or typed. */
    private record Point(ContactPoint.Kind kind, String raw, boolean verified) {
    }

    @Test
    void fiftyInterleavingsGiveOnePartition() {
        Map<AccountKey, List<Event>> population = population(new Random(17));
        Set<Set<String>> first = null;
        Random orders = new Random(4242);
        for (int run = 0; run < 50; run++) {
            List<Event> order = interleave(population, orders);
            Set<Set<String>> partition = feed(order, () -> IdentityEngine.builder().defaultRegion("RU"));
            if (first == null) {
                first = partition;
                // the population is not trivial: merges happen, and households stay apart
                assertThat(first.size()).isLessThan(population.size()).isGreaterThan(20);
            } else {
                assertThat(partition).as("partition of interleaving %d", run).isEqualTo(first);
            }
        }
    }

    @Test
    void greedyMergingFailsTheProperty() {
        Map<AccountKey, List<Event>> population = population(new Random(17));
        Set<Set<Set<String>>> partitions = new HashSet<>();
        Random orders = new Random(4242);
        for (int run = 0; run < 50; run++) {
            partitions.add(feed(interleave(population, orders),
                    () -> IdentityEngine.builder().defaultRegion("RU").undoThroughAmbiguous(false)));
        }
        assertThat(partitions).as("an order-dependent engine must be caught").hasSizeGreaterThan(1);
    }

    // ---------------------------------------------------------------------------------------------- population

    private static Map<AccountKey, List<Event>> population(Random r) {
        Map<AccountKey, List<Event>> out = new LinkedHashMap<>();
        int phone = 1_000;
        for (int family = 0; family < 14; family++) {
            String landline = "+7495" + (1_000_000 + family);
            int members = 2 + r.nextInt(2);
            for (int m = 0; m < members; m++) {
                String person = "f" + family + "m" + m;
                String name = NAMES[r.nextInt(NAMES.length)]; // namesakes across households
                String mobile = "8 (916) " + (1_000_000 + phone++);
                String email = person + "@example.com";
                String host = "user-" + person;
                boolean everywhere = m == 0; // one person per household on all five channels
                // the household phone: one member's Telegram runs on it, another's Viber, a third has it in the
                // host's signed profile
                boolean tgOnLandline = m == 1;
                boolean viberOnLandline = m == 2;
                boolean profileLandline = m == 0 || r.nextBoolean();
                if (everywhere || r.nextBoolean()) {
                    add(out, acct("telegram", "tg-" + person), name,
                            List.of(new Point(ContactPoint.Kind.PHONE, tgOnLandline ? landline : mobile, true)));
                }
                if (everywhere || r.nextBoolean()) {
                    add(out, acct("viber", "vb-" + person), name,
                            List.of(new Point(ContactPoint.Kind.PHONE, viberOnLandline ? landline : mobile, true)));
                }
                if (everywhere || r.nextInt(3) == 0) {
                    add(out, acct("vk", "vk-" + person), name,
                            List.of(new Point(ContactPoint.Kind.PHONE, mobile, true)));
                }
                if (everywhere || r.nextBoolean()) {
                    // the sender written as the mail server wrote it, differently on different messages
                    AccountKey em = acct("email", email);
                    add(out, em, name, List.of(new Point(ContactPoint.Kind.EMAIL, email, true)));
                    add(out, acct("email", " " + email.toUpperCase(java.util.Locale.ROOT)), name,
                            List.of(new Point(ContactPoint.Kind.EMAIL, email.toUpperCase(java.util.Locale.ROOT), true),
                                    new Point(ContactPoint.Kind.PHONE, landline, false))); // typed: suggests only
                }
                if (everywhere || r.nextBoolean()) {
                    List<Point> signed = new ArrayList<>();
                    signed.add(new Point(ContactPoint.Kind.EXTERNAL_ID, host, true));
                    signed.add(new Point(ContactPoint.Kind.EMAIL, email, true));
                    if (profileLandline) {
                        signed.add(new Point(ContactPoint.Kind.PHONE, landline, true));
                    }
                    add(out, acct("webchat", "visitor-" + person), name, List.of()); // before logging in
                    add(out, acct("webchat", "visitor-" + person), name, signed);
                    if (r.nextInt(3) == 0) { // the same host user on a second device
                        add(out, acct("webchat", "visitor2-" + person), name, signed);
                    }
                }
            }
        }
        return out;
    }

    private static AccountKey acct(String channel, String id) {
        return new AccountKey(TENANT, ChannelId.of(channel), id);
    }

    private static void add(Map<AccountKey, List<Event>> out, AccountKey key, String name, List<Point> points) {
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(new Event(key, name, points));
    }

    /** A random merge of the accounts' event lists that keeps each list's order. */
    private static List<Event> interleave(Map<AccountKey, List<Event>> population, Random r) {
        List<List<Event>> queues = new ArrayList<>();
        population.values().forEach(q -> queues.add(new ArrayList<>(q)));
        List<Event> out = new ArrayList<>();
        while (!queues.isEmpty()) {
            int i = r.nextInt(queues.size());
            out.add(queues.get(i).remove(0));
            if (queues.get(i).isEmpty()) {
                queues.remove(i);
            }
        }
        return out;
    }

    /** Feeds the events to a fresh engine and store; the partition of (normalised) account ids into customers. */
    private static Set<Set<String>> feed(List<Event> events, Supplier<IdentityEngine.Builder> builder) {
        InMemoryStore store = new InMemoryStore();
        AtomicLong ids = new AtomicLong();
        AtomicLong ticks = new AtomicLong();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        ScenarioHarness.TickingClock clock = new ScenarioHarness.TickingClock();
        IdentityEngine engine = builder.get().clock(clock).idGenerator(() -> "c" + ids.incrementAndGet()).build();
        Set<AccountKey> seen = new HashSet<>();
        for (Event e : events) {
            clock.tick();
            Instant at = start.plusSeconds(ticks.incrementAndGet());
            List<Evidence> evidence = new ArrayList<>();
            for (Point p : e.points()) {
                evidence.add(new Evidence(new ContactPoint(p.kind(), p.raw()), p.verified(),
                        e.account().channel().value() + ".signed", at));
            }
            Profile profile = new Profile(Optional.of(e.name()), Optional.empty(), Optional.empty(), Optional.empty());
            Resolution res = store.inTransaction(tx -> engine.resolve(tx, new ChannelAccount(e.account(), profile),
                    evidence));
            seen.add(engine.accountKey(e.account()));
            assertThat(hostIds(res.customer())).as("host user ids of one customer").hasSizeLessThanOrEqualTo(1);
        }
        return store.inTransaction(tx -> {
            Map<CustomerId, Set<String>> byCustomer = new HashMap<>();
            for (AccountKey k : seen) {
                CustomerId owner = engine.canonical(tx, TENANT, tx.customerByAccount(k).orElseThrow());
                byCustomer.computeIfAbsent(owner, c -> new TreeSet<>()).add(k.channel() + "/" + k.platformUserId());
                assertThat(hostIds(engine.customer(tx, TENANT, owner))).as("host user ids of " + owner)
                        .hasSizeLessThanOrEqualTo(1);
            }
            return new HashSet<>(byCustomer.values());
        });
    }

    private static Set<String> hostIds(Customer c) {
        Set<String> out = new HashSet<>();
        for (CustomerContact contact : c.contacts()) {
            if (contact.verified() && contact.point().kind() == ContactPoint.Kind.EXTERNAL_ID) {
                out.add(contact.point().value());
            }
        }
        return out;
    }
}
