package io.skyforge.schema.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ColumnDef;
import io.skyforge.spi.tabular.ForeignKeyDef;
import io.skyforge.spi.tabular.ForwardKey;
import io.skyforge.spi.tabular.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadPlanTest {

    static TableDef table(String name, ForeignKeyDef... fks) {
        return new TableDef(name, List.of(new ColumnDef("id", "bigint", false, false)), List.of("id"), List.of(), List.of(fks));
    }

    static ForeignKeyDef fk(String name, String column, String ref) {
        return new ForeignKeyDef(name, List.of(column), ref, List.of("id"));
    }

    static List<String> names(LoadPlan p) {
        return p.order().stream().map(TableDef::name).toList();
    }

    static final ForwardKey NOT_NULL = new ForwardKey(true, false, false);
    static final ForwardKey NULLABLE = new ForwardKey(true, false, true);
    static final ForwardKey DEFERRABLE = new ForwardKey(true, true, false);

    @Test
    void shouldKeepTheDatasetOrderAndAskNothingWithoutACycle() {
        List<String> asked = new ArrayList<>();
        LoadPlan p = LoadPlan.of(List.of(table("a"), table("b", fk("b1", "a_id", "a")), table("c", fk("c1", "c_id", "c"))),
                (t, f) -> {
                    asked.add(f.name());
                    return NOT_NULL;
                });
        assertThat(names(p)).containsExactly("a", "b", "c");
        assertThat(p.nullFirst()).isEmpty();
        assertThat(p.deferredRuns()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void shouldLoadTheTableWhoseKeyIsNullableFirstAndSetThatKeyAfterwards() {
        TableDef players = table("players", fk("p1", "team_id", "teams"));
        TableDef teams = table("teams", fk("t1", "captain_id", "players"));
        LoadPlan p = LoadPlan.of(List.of(players, teams), (t, f) -> t.name().equals("teams") ? NULLABLE : NOT_NULL);
        assertThat(names(p)).containsExactly("teams", "players");
        assertThat(p.nullFirst()).containsOnlyKeys("teams");
        assertThat(p.nullFirst().get("teams")).extracting(ForeignKeyDef::name).containsExactly("t1");
        assertThat(p.deferredRuns()).isEmpty();
    }

    @Test
    void shouldPreferADeferrableKeyAndLoadTheTablesBetweenInOneRun() {
        TableDef a = table("a", fk("a1", "b_id", "b"));
        TableDef b = table("b", fk("b1", "c_id", "c"));
        TableDef c = table("c", fk("c1", "a_id", "a"));
        TableDef child = table("child", fk("x1", "a_id", "a"));
        LoadPlan p = LoadPlan.of(List.of(child, a, b, c), (t, f) -> switch (f.name()) {
            case "b1" -> DEFERRABLE;
            case "a1", "x1" -> NULLABLE;
            default -> NOT_NULL;
        });
        // b goes first (its key is deferrable, a's only nullable); everything up to c, which b points at, is one run
        assertThat(names(p)).containsExactly("b", "a", "child", "c");
        assertThat(p.nullFirst()).isEmpty();
        assertThat(p.deferredRuns()).singleElement().satisfies(r -> assertThat(r).containsExactly(0, 3));
    }

    @Test
    void shouldNotBreakAKeyOfATableThatOnlyDependsOnACycle() {
        TableDef a = table("a", fk("a1", "b_id", "b"));
        TableDef b = table("b", fk("b1", "a_id", "a"));
        TableDef child = table("child", fk("x1", "b_id", "b"));
        Map<String, ForwardKey> how = Map.of("a1", NOT_NULL, "b1", NULLABLE, "x1", NULLABLE);
        LoadPlan p = LoadPlan.of(List.of(child, a, b), (t, f) -> how.get(f.name()));
        assertThat(names(p)).containsExactly("b", "child", "a");
        assertThat(p.nullFirst()).containsOnlyKeys("b");
    }

    @Test
    void shouldNameEveryKeyOfACycleThatNoOrderSatisfies() {
        TableDef a = table("a", fk("a1", "b_id", "b"));
        TableDef b = new TableDef("b", List.of(new ColumnDef("x", "int", true, false)), List.of(), List.of(), List.of(fk("b1", "a_id", "a")));
        assertThatThrownBy(() -> LoadPlan.of(List.of(a, b), (t, f) -> f.name().equals("a1") ? NOT_NULL : NULLABLE))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).isEqualTo("foreign keys form a cycle between tables [a, b] that no load order satisfies:"
                            + " a(b_id) -> b is NOT NULL and not DEFERRABLE;"
                            + " b(a_id) -> a is nullable, but the table has no primary key to set it by afterwards."
                            + " Make one of these columns nullable (or, on PostgreSQL, its constraint DEFERRABLE); nothing was loaded");
                });
    }
}
