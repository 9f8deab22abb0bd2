package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.memory.InMemoryStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Recall and precision of name suggestions on a labelled fixture ({@code name-pairs.tsv}: diminutives and informal
 * forms in both scripts, transliteration systems, typos, word order, patronymics, and different people with close
 * names: family members, near-miss surnames, similar given names). Each pair goes through the engine as a host uses
 * it: two accounts with those display names resolved into an empty store, the second after the first; the pair
 * counts as suggested when the second raised a name suggestion. Required: recall of the "same" pairs at least 90 %,
 * precision at least 95 %.
 */
class NamePairFixtureTest {

    private record Pair(String first, String second, boolean same) {
    }

    @Test
    void recallAndPrecisionOnTheLabelledPairs() throws IOException {
        List<Pair> pairs = pairs();
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(150);
        int truePositives = 0;
        int falsePositives = 0;
        int same = 0;
        List<String> misses = new ArrayList<>();
        for (Pair p : pairs) {
            boolean suggested = suggested(p.first(), p.second());
            same += p.same() ? 1 : 0;
            if (suggested && p.same()) {
                truePositives++;
            } else if (suggested) {
                falsePositives++;
                misses.add("false suggestion: " + p.first() + " / " + p.second());
            } else if (p.same()) {
                misses.add("missed: " + p.first() + " / " + p.second());
            }
        }
        double recall = (double) truePositives / same;
        double precision = (double) truePositives / (truePositives + falsePositives);
        System.out.printf("name pairs: %d (%d same), recall %.3f, precision %.3f%n%s%n", pairs.size(), same, recall,
                precision, String.join("\n", misses));
        assertThat(recall).as("recall; %s", misses).isGreaterThanOrEqualTo(0.90);
        assertThat(precision).as("precision; %s", misses).isGreaterThanOrEqualTo(0.95);
    }

    /** Without the given-name table, diminutives are not found: the table is what carries the recall. */
    @Test
    void theGivenNameTableCarriesTheDiminutives() {
        assertThat(suggested("Саша Петрова", "Александра Петрова")).isTrue();
        assertThat(suggested("Саша Петрова", "Александра Петрова", GivenNames.none())).isFalse();
        assertThat(suggested("Пиня Петров", "Елпидифор Петров")).isFalse();
        GivenNames extended = GivenNames.builder().addStandard().add("Елпидифор", "Пиня").build();
        assertThat(suggested("Пиня Петров", "Елпидифор Петров", extended)).isTrue();
    }

    private static boolean suggested(String first, String second) {
        return suggested(first, second, GivenNames.standard());
    }

    private static boolean suggested(String first, String second, GivenNames names) {
        InMemoryStore store = new InMemoryStore();
        IdentityEngine engine = IdentityEngine.builder().defaultRegion("RU").givenNames(names).build();
        store.inTransaction(tx -> engine.resolve(tx, account("1", first), List.of()));
        Resolution r = store.inTransaction(tx -> engine.resolve(tx, account("2", second), List.of()));
        return !r.suggestions().isEmpty();
    }

    private static ChannelAccount account(String id, String name) {
        return new ChannelAccount(new AccountKey(TenantId.DEFAULT, ChannelId.of("telegram"), id),
                new Profile(Optional.of(name), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private static List<Pair> pairs() throws IOException {
        List<Pair> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                NamePairFixtureTest.class.getResourceAsStream("name-pairs.tsv")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                out.add(new Pair(f[0], f[1], f[2].equals("same")));
            }
        }
        return out;
    }
}
