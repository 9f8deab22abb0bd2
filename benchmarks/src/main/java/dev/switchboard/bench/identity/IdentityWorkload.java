package dev.switchboard.bench.identity;

import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A synthetic but realistic stream of inbound accounts for the identity benchmark: people with one to three accounts
 * (half have one, 30% two, 20% three) on Telegram, email, webchat, VK and Viber; names in Cyrillic or Latin with
 * occasional typos; evidence that mixes verified phones (Telegram/Viber contact sharing), verified emails (email
 * senders, host-signed webchat users), host external ids, phones and emails typed in messages, and a few family
 * phones shared by two people. Every account carries exactly three pieces of evidence, in raw platform formats
 * ("8 (916) ...", "7916...", "+7 916 ..."), so normalisation is part of the measured work. Deterministic per seed.
 */
public final class IdentityWorkload {

    private static final String[] FIRST_RU = {"Анастасия", "Мария", "Анна", "Екатерина", "Ольга", "Татьяна", "Елена",
            "Наталья", "Юлия", "Ксения", "Дарья", "Полина", "Виктория", "Алина", "Светлана", "Ирина", "Александр",
            "Дмитрий", "Сергей", "Андрей", "Алексей", "Иван", "Михаил", "Никита", "Максим", "Артём", "Евгений",
            "Фёдор", "Юрий", "Владимир", "Павел", "Роман", "Кирилл", "Илья", "Григорий", "Олег"};
    private static final String[] FIRST_EN = {"Anastasia", "Maria", "Anna", "Ekaterina", "Olga", "Tatiana", "Elena",
            "Natalia", "Yulia", "Ksenia", "Daria", "Polina", "Victoria", "Alina", "Svetlana", "Irina", "Alexander",
            "Dmitry", "Sergey", "Andrey", "Alexey", "Ivan", "Mikhail", "Nikita", "Maxim", "Artem", "Evgeny",
            "Fedor", "Yuri", "Vladimir", "Pavel", "Roman", "Kirill", "Ilya", "Grigory", "Oleg"};
    private static final String[] SYL_RU = {"ка", "ло", "ми", "ре", "до", "ва", "ну", "ши", "те", "бо", "ро", "ли",
            "зо", "гу", "ча", "фе", "пы", "со", "ха", "цы", "же", "мо", "ки", "ту"};
    private static final String[] SYL_EN = {"ka", "lo", "mi", "re", "do", "va", "nu", "shi", "te", "bo", "ro", "li",
            "zo", "gu", "cha", "fe", "py", "so", "kha", "tsy", "zhe", "mo", "ki", "tu"};
    private static final String[] END_RU = {"ов", "ев", "ин", "ский", "ко", "ук"};
    private static final String[] END_EN = {"ov", "ev", "in", "sky", "ko", "uk"};
    private static final String[] PREFIXES = {"916", "903", "925", "926", "985", "977", "999", "915", "905", "962",
            "910", "917", "919", "929", "964", "965", "967", "968", "980", "981"};

    private final ChannelAccount[] accounts;
    private final List<List<Evidence>> evidence;
    private final int[] persons;

    private IdentityWorkload(ChannelAccount[] accounts, List<List<Evidence>> evidence, int[] persons) {
        this.accounts = accounts;
        this.evidence = evidence;
        this.persons = persons;
    }

    public int size() {
        return accounts.length;
    }

    public ChannelAccount account(int i) {
        return accounts[i];
    }

    public List<Evidence> evidence(int i) {
        return evidence.get(i);
    }

    /** Ground truth: the generated person account {@code i} belongs to (for auditing decisions, never for resolving). */
    public int person(int i) {
        return persons[i];
    }

    /**
     * Id source for the engine under test: a counter scrambled with the SplitMix64 finaliser, in hex, so ids look like
     * the random ids a deployment uses (the engine's default is random UUIDs) and stay deterministic across runs. A
     * plain base-36 counter ("a1", "a2", ...) is a harness artifact to avoid: its String hash codes collide heavily
     * (2.1M such ids have only 892k distinct hashes, up to 8 ids per hash), which turns the store's HashMap bins into
     * trees and measures that rather than the engine.
     */
    public static Supplier<String> ids() {
        AtomicLong counter = new AtomicLong();
        return () -> {
            long z = counter.incrementAndGet() * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return Long.toHexString(z ^ (z >>> 31));
        };
    }

    public long evidenceCount() {
        long n = 0;
        for (List<Evidence> e : evidence) {
            n += e.size();
        }
        return n;
    }

    /** Generates {@code accountCount} accounts (and three times as many pieces of evidence), shuffled in time. */
    public static IdentityWorkload generate(int accountCount, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TenantId tenant = TenantId.DEFAULT;
        ChannelId[] channels = {ChannelId.of("telegram"), ChannelId.of("email"), ChannelId.of("webchat"),
                ChannelId.of("vk"), ChannelId.of("viber")};
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        ChannelAccount[] accounts = new ChannelAccount[accountCount];
        List<List<Evidence>> evidence = new ArrayList<>(accountCount);
        int[] persons = new int[accountCount];
        int made = 0;
        int person = 0;
        String previousPhone = null;
        while (made < accountCount) {
            person++;
            int first = r.nextInt(FIRST_RU.length);
            int[] syl = {r.nextInt(SYL_RU.length), r.nextInt(SYL_RU.length), r.nextInt(SYL_RU.length)};
            int end = r.nextInt(END_RU.length);
            String ru = FIRST_RU[first] + " " + cap(SYL_RU[syl[0]] + SYL_RU[syl[1]] + SYL_RU[syl[2]] + END_RU[end]);
            String en = FIRST_EN[first] + " " + cap(SYL_EN[syl[0]] + SYL_EN[syl[1]] + SYL_EN[syl[2]] + END_EN[end]);
            String national = PREFIXES[r.nextInt(PREFIXES.length)] + String.format("%07d", r.nextInt(10_000_000));
            // 3% of people share a family phone with the previous person
            if (previousPhone != null && r.nextInt(100) < 3) {
                national = previousPhone;
            }
            previousPhone = national;
            String email = "p" + person + "." + r.nextInt(1000) + "@example" + r.nextInt(50) + ".ru";
            String externalId = "u" + person;
            int roll = r.nextInt(10);
            int accountsOfPerson = roll < 5 ? 1 : roll < 8 ? 2 : 3;
            int firstChannel = r.nextInt(channels.length);
            for (int k = 0; k < accountsOfPerson && made < accountCount; k++) {
                int ch = (firstChannel + k) % channels.length;
                String name = r.nextBoolean() ? ru : en;
                if (r.nextInt(100) < 5) {
                    name = typo(name, r);
                }
                String user = ch == 1 ? email : channels[ch].value().charAt(0) + Integer.toString(person) + "-" + k;
                Profile profile = new Profile(Optional.of(name), Optional.empty(),
                        Optional.of(r.nextInt(4) == 0 ? "en" : "ru"), Optional.empty());
                accounts[made] = ChannelAccount.of(tenant, channels[ch], user, profile);
                persons[made] = person;
                evidence.add(evidenceFor(ch, national, email, externalId, r, at));
                made++;
            }
        }
        // interleave people's accounts in time: a person's second account shows up much later than the first
        for (int i = accountCount - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            ChannelAccount a = accounts[i];
            accounts[i] = accounts[j];
            accounts[j] = a;
            List<Evidence> e = evidence.get(i);
            evidence.set(i, evidence.get(j));
            evidence.set(j, e);
            int p = persons[i];
            persons[i] = persons[j];
            persons[j] = p;
        }
        return new IdentityWorkload(accounts, evidence, persons);
    }

    private static List<Evidence> evidenceFor(int channel, String national, String email, String externalId,
                                              SplittableRandom r, Instant at) {
        List<Evidence> out = new ArrayList<>(3);
        switch (channel) {
            case 0: // telegram: contact button (usually), plus typed things
            case 4: // viber: the account's own phone
                out.add(r.nextInt(10) < 8
                        ? Evidence.verified(phone(rawPhone(national, r)), channel == 0 ? "telegram.contact" : "viber.phone", at)
                        : Evidence.unverified(phone(rawPhone(national, r)), "message.text", at));
                out.add(Evidence.unverified(mail(email), "message.text", at));
                out.add(Evidence.unverified(phone(rawPhone(national, r)), "form", at));
                break;
            case 1: // email: the sender address, plus a signature phone
                out.add(Evidence.verified(mail(r.nextBoolean() ? email : email.toUpperCase()), "email.sender", at));
                out.add(Evidence.unverified(phone(rawPhone(national, r)), "email.signature", at));
                out.add(Evidence.unverified(mail(email), "email.body", at));
                break;
            case 2: // webchat: host-signed user with a verified email, or an anonymous visitor typing
                if (r.nextBoolean()) {
                    out.add(Evidence.verified(ContactPoint.externalId(externalId), "webchat.signed", at));
                    out.add(Evidence.verified(mail(email), "webchat.signed", at));
                } else {
                    out.add(Evidence.unverified(mail(email), "webchat.form", at));
                    out.add(Evidence.unverified(phone(rawPhone(national, r)), "webchat.form", at));
                }
                out.add(Evidence.unverified(phone(rawPhone(national, r)), "message.text", at));
                break;
            default: // vk: no verified contact data, typed phone and email
                out.add(Evidence.unverified(phone(rawPhone(national, r)), "message.text", at));
                out.add(Evidence.unverified(mail(email), "message.text", at));
                out.add(Evidence.unverified(phone(rawPhone(national, r)), "form", at));
        }
        return out;
    }

    private static String rawPhone(String national, SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return "+7" + national;
            case 1:
                return "7" + national; // Telegram hands phones over without '+'
            case 2:
                return "8 (" + national.substring(0, 3) + ") " + national.substring(3, 6) + "-"
                        + national.substring(6, 8) + "-" + national.substring(8);
            default:
                return "+7 " + national.substring(0, 3) + " " + national.substring(3, 6) + " " + national.substring(6);
        }
    }

    private static ContactPoint phone(String raw) {
        return new ContactPoint(ContactPoint.Kind.PHONE, raw);
    }

    private static ContactPoint mail(String raw) {
        return new ContactPoint(ContactPoint.Kind.EMAIL, raw);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String typo(String name, SplittableRandom r) {
        int i = 2 + r.nextInt(Math.max(1, name.length() - 3));
        if (i + 1 >= name.length() || name.charAt(i) == ' ' || name.charAt(i + 1) == ' ') {
            return name;
        }
        return name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2);
    }
}
