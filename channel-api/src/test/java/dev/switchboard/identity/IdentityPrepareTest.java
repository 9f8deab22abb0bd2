package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link IdentityEngine#prepare} moves work out of the transaction without changing a single decision, however far
 * ahead of the transaction and on whichever thread it runs.
 */
class IdentityPrepareTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] NAMES = {"Анна Петрова", "Anna Petrova", "Anna Petorva", "Иван Смирнов",
            "Ivan Smirnov", "Мария Соколова", "Maria Sokolova", "Oleg", "  ", "Петрова Анна Игоревна"};
    private static final String[] CHANNELS = {"telegram", "viber", "vk", "email", "webchat"};

    @Test
    void preparedAccountsResolveExactlyAsRawOnes() {
        SplittableRandom r = new SplittableRandom(5);
        List<ChannelAccount> accounts = new ArrayList<>();
        List<List<Evidence>> evidence = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = NAMES[r.nextInt(NAMES.length)];
            Profile profile = r.nextInt(8) == 0 ? Profile.EMPTY : Profile.named(name);
            accounts.add(ChannelAccount.of(TenantId.DEFAULT, ChannelId.of(CHANNELS[r.nextInt(CHANNELS.length)]),
                    "u" + r.nextInt(250), profile));
            List<Evidence> e = new ArrayList<>();
            String national = "916" + (1_000_000 + r.nextInt(40));
            String phone = switch (r.nextInt(4)) {
                case 0 -> "+7" + national;
                case 1 -> "7" + national;
                case 2 -> "8 (" + national.substring(0, 3) + ") " + national.substring(3);
                default -> "not a phone " + r.nextInt(10);
            };
            e.add(r.nextBoolean() ? Evidence.verified(point(ContactPoint.Kind.PHONE, phone), "contact", T0)
                    : Evidence.unverified(point(ContactPoint.Kind.PHONE, phone), "text", T0));
            String mail = "P" + r.nextInt(30) + "@Example.com";
            e.add(r.nextInt(3) == 0 ? Evidence.verified(point(ContactPoint.Kind.EMAIL, mail), "sender", T0)
                    : Evidence.unverified(point(ContactPoint.Kind.EMAIL, mail), "text", T0));
            evidence.add(e);
        }
        InMemoryStore rawStore = new InMemoryStore();
        InMemoryStore preparedStore = new InMemoryStore();
        IdentityEngine rawEngine = engine();
        IdentityEngine preparedEngine = engine();
        // as ingest lanes do: the whole batch prepared first, on several threads, outside any transaction, and
        // resolved afterwards; the decisions must be those of resolving each account as it comes
        List<PreparedAccount> prepared = java.util.stream.IntStream.range(0, accounts.size()).parallel()
                .mapToObj(i -> preparedEngine.prepare(accounts.get(i), evidence.get(i)))
                .collect(java.util.stream.Collectors.toList());
        for (int i = 0; i < accounts.size(); i++) {
            ChannelAccount account = accounts.get(i);
            List<Evidence> e = evidence.get(i);
            PreparedAccount p = prepared.get(i);
            Resolution raw = rawStore.inTransaction(tx -> rawEngine.resolve(tx, account, e));
            Resolution viaPrepared = preparedStore.inTransaction(tx -> preparedEngine.resolve(tx, p));
            assertThat(viaPrepared).as("account %d: %s", i, account.key()).isEqualTo(raw);
        }
        List<MergeSuggestion> rawOpen = rawStore.inTransaction(tx -> tx.openSuggestions(TenantId.DEFAULT, 1000));
        List<MergeSuggestion> preparedOpen =
                preparedStore.inTransaction(tx -> tx.openSuggestions(TenantId.DEFAULT, 1000));
        assertThat(preparedOpen).isEqualTo(rawOpen).isNotEmpty();
    }

    @Test
    void prepareNormalisesEveryPointAndLeavesOutWhatDoesNotParse() {
        PreparedAccount prepared = engine().prepare(
                ChannelAccount.of(TenantId.DEFAULT, ChannelId.of("viber"), "v1", Profile.named(" Анна Петрова ")),
                List.of(Evidence.verified(point(ContactPoint.Kind.PHONE, "8 (916) 123-45-67"), "viber.phone", T0),
                        Evidence.unverified(point(ContactPoint.Kind.PHONE, "call me"), "text", T0),
                        Evidence.unverified(point(ContactPoint.Kind.EMAIL, "Anna@Example.COM"), "text", T0)));
        assertThat(prepared.evidence()).containsExactly(
                Evidence.verified(point(ContactPoint.Kind.PHONE, "+79161234567"), "viber.phone", T0),
                Evidence.unverified(point(ContactPoint.Kind.EMAIL, "anna@example.com"), "text", T0));
        assertThat(prepared.toString()).contains("viber").contains("2 pieces of evidence");
    }

    @Test
    void aNewCustomerTakesTheStrippedDisplayNameAndABlankNameIsNone() {
        InMemoryStore store = new InMemoryStore();
        IdentityEngine engine = engine();
        Resolution padded = store.inTransaction(tx -> engine.resolve(tx, ChannelAccount.of(TenantId.DEFAULT,
                ChannelId.of("viber"), "v1", Profile.named(" \tАнна Петрова\n")), List.of()));
        Resolution blank = store.inTransaction(tx -> engine.resolve(tx, ChannelAccount.of(TenantId.DEFAULT,
                ChannelId.of("viber"), "v2", Profile.named("   ")), List.of()));
        assertThat(padded.customer().displayName()).contains("Анна Петрова");
        assertThat(blank.customer().displayName()).isEmpty();
        // the stripped name is what the name index holds: the namesake below is found through it
        Resolution namesake = store.inTransaction(tx -> engine.resolve(tx, ChannelAccount.of(TenantId.DEFAULT,
                ChannelId.of("telegram"), "t1", Profile.named("Anna Petrova")), List.of()));
        assertThat(namesake.suggestions()).hasSize(1);
        MergeSuggestion s = namesake.suggestions().get(0);
        assertThat(List.of(s.first(), s.second()))
                .containsExactlyInAnyOrder(namesake.customer().id(), padded.customer().id());
    }

    private static IdentityEngine engine() {
        AtomicLong ids = new AtomicLong();
        Supplier<String> idGenerator = () -> "id" + ids.incrementAndGet();
        return IdentityEngine.builder().defaultRegion("RU").clock(Clock.fixed(T0, ZoneOffset.UTC))
                .idGenerator(idGenerator).build();
    }

    private static ContactPoint point(ContactPoint.Kind kind, String value) {
        return new ContactPoint(kind, value);
    }
}
