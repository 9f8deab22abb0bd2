package dev.switchboard.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A table of given names and their diminutive and informal forms (Саша, Шура and Alex for Александр; Женя for
 * Евгений and Евгения; Ника for Вероника), which the name matcher uses for blocking and scoring: "Саша Петрова" and
 * "Александра Петрова" land in one block and score as one name. A form may stand for several full names (Слава for
 * Вячеслав, Ярослав, Станислав ...); it then matches each of them, while those full names do not match one another.
 *
 * <p>{@link #standard()} is the table shipped in {@code dev/switchboard/identity/russian-given-names.txt} (several
 * hundred Russian given names; its header documents the source). Hosts extend it with {@link #builder()}, e.g.
 * {@code GivenNames.builder().addStandard().add("Влас", "Власик").build()}, and hand the result to
 * {@link IdentityEngine.Builder#givenNames(GivenNames)}. Immutable and thread-safe.
 */
public final class GivenNames {

    private static final String RESOURCE = "russian-given-names.txt";

    /** Skeleton of a form -> sorted skeletons of the full names it may stand for (itself included if a full name). */
    private final Map<String, String[]> meanings;

    private GivenNames(Map<String, String[]> meanings) {
        this.meanings = meanings;
    }

    /** The shipped table of Russian given names. */
    public static GivenNames standard() {
        return Standard.TABLE;
    }

    /** No names at all: the matcher then compares spellings only. */
    public static GivenNames none() {
        return Standard.NONE;
    }

    /** Starts an empty table; see {@link Builder#addStandard()} to extend the shipped one. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many distinct spellings (full names and forms, after transliteration) the table knows. */
    public int size() {
        return meanings.size();
    }

    /**
     * The full names (as spelling skeletons) a token's skeleton may stand for, sorted; null when the table does not
     * know the token.
     */
    String[] meaningsOf(String skeleton) {
        return meanings.get(skeleton);
    }

    /** Lazily loaded, so a host that never matches names never reads the resource. */
    private static final class Standard {
        static final GivenNames NONE = new GivenNames(Map.of());
        static final GivenNames TABLE = load();

        private static GivenNames load() {
            try (InputStream in = GivenNames.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("given-name table " + RESOURCE + " is missing from the classpath");
                }
                return builder().load(new InputStreamReader(in, StandardCharsets.UTF_8)).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read given-name table " + RESOURCE, e);
            }
        }
    }

    @Override
    public String toString() {
        return "GivenNames[" + meanings.size() + " spellings]";
    }

    /** Collects full names with their forms; {@link #build()} indexes them. Not thread-safe. */
    public static final class Builder {
        private final Map<String, TreeSet<String>> meanings = new HashMap<>();

        private Builder() {
        }

        /** Adds every entry of the shipped table. */
        public Builder addStandard() {
            standard().meanings.forEach((form, full) -> meanings.computeIfAbsent(form, k -> new TreeSet<>())
                    .addAll(Arrays.asList(full)));
            return this;
        }

        /**
         * Adds a full name and forms that stand for it, in any script the matcher transliterates (Cyrillic or Latin).
         *
         * @throws IllegalArgumentException when the full name or a form is not a single word of letters
         */
        public Builder add(String fullName, String... forms) {
            Objects.requireNonNull(fullName, "fullName");
            String full = single(fullName, "full name");
            meanings.computeIfAbsent(full, k -> new TreeSet<>()).add(full);
            for (String form : forms) {
                Objects.requireNonNull(form, "form");
                meanings.computeIfAbsent(single(form, "form of " + fullName), k -> new TreeSet<>()).add(full);
            }
            return this;
        }

        /**
         * Reads entries in the shipped format: one full name per line, {@code Full: form, form, ...}; lines starting
         * with {@code #} and blank lines are ignored.
         *
         * @throws IllegalArgumentException naming the line when an entry is malformed
         */
        public Builder load(Reader reader) throws IOException {
            BufferedReader in = new BufferedReader(reader);
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                int colon = text.indexOf(':');
                String full = colon < 0 ? text : text.substring(0, colon).strip();
                List<String> forms = new ArrayList<>();
                if (colon >= 0) {
                    for (String f : text.substring(colon + 1).split(",")) {
                        if (!f.isBlank()) {
                            forms.add(f.strip());
                        }
                    }
                }
                try {
                    add(full, forms.toArray(new String[0]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("given-name table line " + number + ": " + e.getMessage(), e);
                }
            }
            return this;
        }

        /** The table of given names and diminutives built so far. */
        public GivenNames build() {
            Map<String, String[]> out = new HashMap<>(meanings.size() * 2);
            meanings.forEach((form, full) -> out.put(form, full.toArray(new String[0])));
            return new GivenNames(Map.copyOf(out));
        }

        private static String single(String word, String what) {
            List<String> tokens = NameMatcher.spellingTokens(word);
            if (tokens.size() != 1 || tokens.get(0).length() < 2) {
                throw new IllegalArgumentException(what + " '" + word + "' must be one word of at least two letters");
            }
            return tokens.get(0);
        }
    }
}
