package dev.switchboard.identity;

import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the partition into customers independent of the order events arrive in. The engine merges greedily: two
 * customers holding the same verified point merge as soon as the second claim arrives. A point can turn out to be
 * shared later (a second Telegram user verifies the family phone, a second host user id shows up behind it), and had
 * that evidence come first the merge would never have happened. So when a point becomes ambiguous, the automatic
 * merges made through it are undone, together with the later automatic merges of the same customer (they were made
 * on a customer that should not have existed; undoing them in reverse order is what keeps every undo exact), and the
 * customers this gives back merge again through whatever other verified, unambiguous points still join them.
 *
 * <p>A merge made by an agent or the host is never undone by the engine; neither is an automatic merge that one of
 * them depends on (made earlier into the same customer). Stateless apart from the engine it works for.
 */
final class AmbiguitySplitter {

    private static final Logger LOG = LoggerFactory.getLogger(AmbiguitySplitter.class);

    private final IdentityEngine engine;

    AmbiguitySplitter(IdentityEngine engine) {
        this.engine = engine;
    }

    /**
     * Undoes the automatic merges through {@code point} among the customers holding it ({@code holders}, any ids
     * they had), then re-applies the other verified points of every customer given back.
     *
     * @return whether anything was undone
     */
    boolean split(IdentityTransaction tx, TenantId tenant, ContactPoint point, Collection<CustomerId> holders,
                  Instant now, IdentityEngine.Outcome out) {
        Set<CustomerId> roots = new LinkedHashSet<>();
        for (CustomerId h : holders) {
            roots.add(engine.canonical(tx, tenant, h));
        }
        List<MergeRecord> toUndo = new ArrayList<>();
        for (CustomerId root : roots) {
            toUndo.addAll(suffixThroughPoint(tx, tenant, root, point));
        }
        if (toUndo.isEmpty()) {
            return false;
        }
        Set<CustomerId> restored = new LinkedHashSet<>();
        // newest first; records of one event share an instant, so among those undo whichever survivor is canonical
        toUndo.sort(Comparator.comparing(MergeRecord::at).reversed());
        int undone = 0;
        List<MergeRecord> pending = new ArrayList<>(toUndo);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (int i = 0; i < pending.size(); i++) {
                MergeRecord r = pending.get(i);
                MergeRecord current = tx.merge(tenant, r.id()).orElse(r);
                if (current.isUndone()) {
                    pending.remove(i);
                    progress = true;
                    break;
                }
                if (!engine.canonical(tx, tenant, current.survivor()).equals(current.survivor())) {
                    continue;
                }
                engine.undo(tx, tenant, current, IdentityEngine.ENGINE_ACTOR, false);
                undone++;
                out.merges.removeIf(m -> m.id().equals(current.id()));
                restored.add(current.survivor());
                restored.add(current.absorbed());
                pending.remove(i);
                progress = true;
                break;
            }
            if (!progress) {
                // a survivor is held by a merge the engine does not take back (an agent's, across an instant)
                LOG.warn("left {} automatic merges through an ambiguous point in place in tenant {}: their "
                        + "survivors were merged by an agent or the host since", pending.size(), tenant);
                break;
            }
        }
        if (undone == 0) {
            return false;
        }
        out.split = true;
        LOG.debug("contact point of kind {} became ambiguous in tenant {}: undid {} automatic merges", point.kind(),
                tenant, undone);
        // merge again where other evidence still says these are one person
        for (CustomerId id : restored) {
            CustomerId self = engine.canonical(tx, tenant, id);
            Customer c = engine.customer(tx, tenant, self);
            for (CustomerContact contact : List.copyOf(c.contacts())) {
                if (!contact.verified() || contact.point().equals(point) || tx.isAmbiguous(tenant, contact.point())) {
                    continue;
                }
                AccountKey via = contact.via().orElse(c.accounts().isEmpty() ? null : c.accounts().get(0).key());
                if (via == null) {
                    continue;
                }
                Evidence e = new Evidence(contact.point(), true, contact.source(), contact.observedAt());
                self = engine.applyVerified(tx, tenant, engine.canonical(tx, tenant, self), e, via, now, out);
            }
        }
        return true;
    }

    /**
     * The merges of the customer's tree to undo: every merge from the oldest automatic merge through {@code point} on,
     * if all of them are automatic; otherwise only those after the newest merge an agent or the host made (what the
     * engine may take back without touching a human decision).
     */
    private List<MergeRecord> suffixThroughPoint(IdentityTransaction tx, TenantId tenant, CustomerId root,
                                                 ContactPoint point) {
        if (tx.mergesOf(tenant, root).isEmpty()) {
            return List.of();
        }
        Map<MergeId, MergeRecord> tree = new LinkedHashMap<>();
        List<CustomerId> stack = new ArrayList<>();
        stack.add(root);
        Set<CustomerId> visited = new HashSet<>();
        while (!stack.isEmpty()) {
            CustomerId node = stack.remove(stack.size() - 1);
            if (!visited.add(node)) {
                continue;
            }
            for (MergeRecord r : tx.mergesOf(tenant, node)) {
                if (r.survivor().equals(node) && !r.isUndone()) {
                    tree.putIfAbsent(r.id(), r);
                    stack.add(r.absorbed());
                }
            }
        }
        // what happened at or after the first automatic merge through the point; merges of one event share an
        // instant, so the cut is by instant (inclusive), never by list position
        Instant from = null;
        Instant lastHuman = null;
        for (MergeRecord r : tree.values()) {
            if (!r.actor().equals(IdentityEngine.ENGINE_ACTOR)) {
                lastHuman = lastHuman == null || r.at().isAfter(lastHuman) ? r.at() : lastHuman;
            } else if (through(r, point) && (from == null || r.at().isBefore(from))) {
                from = r.at();
            }
        }
        if (from == null) {
            return List.of();
        }
        List<MergeRecord> out = new ArrayList<>();
        boolean any = false;
        for (MergeRecord r : tree.values()) {
            boolean after = lastHuman == null || r.at().isAfter(lastHuman);
            if (after && !r.at().isBefore(from)) {
                out.add(r);
                any |= through(r, point);
            }
        }
        return any ? out : List.of();
    }

    private static boolean through(MergeRecord r, ContactPoint point) {
        for (Evidence e : r.evidence()) {
            if (e.point().equals(point)) {
                return true;
            }
        }
        return false;
    }
}
