package dev.switchboard.identity;

import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The open-suggestion queue as an agent reads it. A store lists suggestions under the ids they were made for; after
 * merges those ids may be tombstones, two suggestions may now name the same pair, and a pair may have become one
 * customer (merges close such suggestions, but a store written before that rule may still hold some). The queue
 * answers with canonical ids, drops pairs of a customer with itself and lists each pair once.
 */
final class OpenSuggestions {

    private OpenSuggestions() {
    }

    static List<MergeSuggestion> list(IdentityTransaction tx, TenantId tenant, int limit,
                                      UnaryOperator<CustomerId> canonical) {
        if (limit <= 0) {
            return List.of();
        }
        int asked = limit;
        while (true) {
            List<MergeSuggestion> raw = tx.openSuggestions(tenant, asked);
            List<MergeSuggestion> out = new ArrayList<>(Math.min(limit, raw.size()));
            Set<List<CustomerId>> pairs = new HashSet<>();
            for (MergeSuggestion s : raw) {
                CustomerId a = canonical.apply(s.first());
                CustomerId b = canonical.apply(s.second());
                if (a.equals(b)) {
                    continue;
                }
                List<CustomerId> pair = a.value().compareTo(b.value()) <= 0 ? List.of(a, b) : List.of(b, a);
                if (!pairs.add(pair)) {
                    continue; // raw is highest score first: the first of a pair is the one to keep
                }
                out.add(a.equals(s.first()) && b.equals(s.second()) ? s
                        : new MergeSuggestion(s.tenant(), s.id(), a, b, s.score(), s.reasons(), s.status(),
                        s.createdAt(), s.decidedAt(), s.decidedBy()));
                if (out.size() == limit) {
                    return out;
                }
            }
            if (raw.size() < asked || asked >= Integer.MAX_VALUE / 2) {
                return out; // the store has no more
            }
            asked *= 2; // some were dropped: read further to fill the page
        }
    }
}
