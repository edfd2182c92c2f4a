package io.skyforge.schema.load;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ForeignKeyDef;
import io.skyforge.spi.tabular.ForwardKey;
import io.skyforge.spi.tabular.TableDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The order tables load in, parents before children, and how each foreign-key cycle between tables
 * is broken. A table whose parents are all loaded goes next (in the dataset's order); when none is
 * left, the tables form a cycle and one of them loads before a parent. The foreign keys that then
 * point forward must allow it, as the database says ({@link ForwardKey}): a DEFERRABLE constraint
 * loads the tables from that one to its parent in one transaction, checked at the commit; a nullable
 * key loads as NULL and is set once the parent is there (the table needs a primary key to find its
 * rows again). When no table of a cycle can go first, the plan fails before anything is loaded,
 * naming the keys that hold the cycle.
 */
final class LoadPlan {

    /** A foreign key whose rows load before the rows they reference. */
    record Forward(TableDef table, ForeignKeyDef fk, ForwardKey how) {

        boolean deferred() {
            return how.deferrable();
        }

        String describe() {
            return table.name() + "(" + String.join(", ", fk.columns()) + ") -> " + fk.refTable();
        }
    }

    private final List<TableDef> order;
    private final List<Forward> forward;

    private LoadPlan(List<TableDef> order, List<Forward> forward) {
        this.order = List.copyOf(order);
        this.forward = List.copyOf(forward);
    }

    List<TableDef> order() {
        return order;
    }

    /** Keys loaded as NULL first, per table (in load order). */
    Map<String, List<ForeignKeyDef>> nullFirst() {
        Map<String, List<ForeignKeyDef>> m = new LinkedHashMap<>();
        for (Forward f : forward) {
            if (f.how().enforced() && !f.deferred()) {
                m.computeIfAbsent(f.table().name(), k -> new ArrayList<>()).add(f.fk());
            }
        }
        return m;
    }

    /**
     * Runs of consecutive tables (as positions in {@link #order()}, first and last inclusive) that
     * load in one transaction because a deferred key points from the first to a later one.
     */
    List<int[]> deferredRuns() {
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            pos.put(order.get(i).name(), i);
        }
        List<int[]> runs = new ArrayList<>();
        for (Forward f : forward) {
            if (!f.how().enforced() || !f.deferred()) {
                continue;
            }
            int from = pos.get(f.table().name());
            int to = pos.get(f.fk().refTable());
            runs.add(new int[] {from, to});
        }
        runs.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] r : runs) {
            if (!merged.isEmpty() && r[0] <= merged.get(merged.size() - 1)[1]) {
                int[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        }
        return merged;
    }

    /**
     * @param tables the tables to load, in the dataset's order
     * @param inspect what the database allows for a key that points forward (asked only inside cycles)
     */
    static LoadPlan of(List<TableDef> tables, BiFunction<TableDef, ForeignKeyDef, ForwardKey> inspect) {
        Set<String> names = new HashSet<>();
        tables.forEach(t -> names.add(t.name()));
        Map<String, ForwardKey> known = new HashMap<>();
        LinkedHashSet<TableDef> remaining = new LinkedHashSet<>(tables);
        Set<String> loaded = new HashSet<>();
        List<TableDef> order = new ArrayList<>();
        List<Forward> forward = new ArrayList<>();
        while (!remaining.isEmpty()) {
            TableDef next = null;
            for (TableDef t : remaining) {
                if (unmet(t, names, loaded).isEmpty()) {
                    next = t;
                    break;
                }
            }
            if (next == null) {
                // a cycle: the first table whose forward keys all allow it goes first, one with only deferrable keys preferred
                boolean nextDeferredOnly = false;
                Map<String, TableDef> byName = new HashMap<>();
                remaining.forEach(t -> byName.put(t.name(), t));
                for (TableDef t : remaining) {
                    if (!inCycle(t, byName, names, loaded)) {
                        continue; // a child of a cycle waits for it rather than breaking a key of its own
                    }
                    boolean breakable = true;
                    boolean deferredOnly = true;
                    for (ForeignKeyDef fk : unmet(t, names, loaded)) {
                        ForwardKey how = known.computeIfAbsent(t.name() + "\u0000" + fk.name(), k -> inspect.apply(t, fk));
                        breakable &= breaks(t, how);
                        deferredOnly &= !how.enforced() || how.deferrable();
                    }
                    if (breakable && (next == null || (deferredOnly && !nextDeferredOnly))) {
                        next = t;
                        nextDeferredOnly = deferredOnly;
                    }
                }
                if (next == null) {
                    throw unbreakable(remaining, names, loaded, known);
                }
                for (ForeignKeyDef fk : unmet(next, names, loaded)) {
                    forward.add(new Forward(next, fk, known.get(next.name() + "\u0000" + fk.name())));
                }
            }
            order.add(next);
            loaded.add(next.name());
            remaining.remove(next);
        }
        return new LoadPlan(order, forward);
    }

    /** Whether the unmet keys lead from {@code t} back to itself. */
    private static boolean inCycle(TableDef t, Map<String, TableDef> remaining, Set<String> names, Set<String> loaded) {
        List<TableDef> todo = new ArrayList<>(List.of(t));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            TableDef at = todo.remove(todo.size() - 1);
            for (ForeignKeyDef fk : unmet(at, names, loaded)) {
                if (fk.refTable().equals(t.name())) {
                    return true;
                }
                if (seen.add(fk.refTable())) {
                    todo.add(remaining.get(fk.refTable()));
                }
            }
        }
        return false;
    }

    private static boolean breaks(TableDef t, ForwardKey how) {
        return !how.enforced() || how.deferrable() || (how.nullable() && !t.primaryKey().isEmpty());
    }

    /** Keys of {@code t} to other tables of this load that are not loaded yet. */
    private static List<ForeignKeyDef> unmet(TableDef t, Set<String> names, Set<String> loaded) {
        List<ForeignKeyDef> out = new ArrayList<>();
        for (ForeignKeyDef fk : t.foreignKeys()) {
            if (!fk.refTable().equals(t.name()) && names.contains(fk.refTable()) && !loaded.contains(fk.refTable())) {
                out.add(fk);
            }
        }
        return out;
    }

    private static SkyforgeException unbreakable(Set<TableDef> remaining, Set<String> names, Set<String> loaded,
                                                 Map<String, ForwardKey> known) {
        List<String> holding = new ArrayList<>();
        Map<String, TableDef> byName = new HashMap<>();
        remaining.forEach(t -> byName.put(t.name(), t));
        List<String> cycle = new ArrayList<>();
        for (TableDef t : remaining) {
            if (!inCycle(t, byName, names, loaded)) {
                continue;
            }
            cycle.add(t.name());
            for (ForeignKeyDef fk : unmet(t, names, loaded)) {
                ForwardKey how = known.get(t.name() + "\u0000" + fk.name());
                if (how != null && !breaks(t, how)) {
                    String why = how.nullable() ? "nullable, but the table has no primary key to set it by afterwards"
                            : "NOT NULL and not DEFERRABLE";
                    holding.add(t.name() + "(" + String.join(", ", fk.columns()) + ") -> " + fk.refTable() + " is " + why);
                }
            }
        }
        return new SkyforgeException(ErrorCode.VALIDATION, "foreign keys form a cycle between tables "
                + cycle + " that no load order satisfies: " + String.join("; ", holding)
                + ". Make one of these columns nullable (or, on PostgreSQL, its constraint DEFERRABLE); nothing was loaded");
    }
}
