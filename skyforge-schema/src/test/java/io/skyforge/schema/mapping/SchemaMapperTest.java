package io.skyforge.schema.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.DatabaseSchema;
import io.skyforge.spi.tabular.DbCheck;
import io.skyforge.spi.tabular.DbColumn;
import io.skyforge.spi.tabular.DbTable;
import io.skyforge.spi.tabular.ForeignKeyDef;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Schema import without a database: hand-built schemas in, a Dataset that compiles out. */
class SchemaMapperTest {

    static DbColumn col(String name, String type, boolean nullable) {
        return new DbColumn(name, type, type, type.equals("varchar") ? 60 : 0, type.equals("decimal") ? 10 : 0,
                type.equals("decimal") ? 2 : 0, nullable, null, false, false, List.of());
    }

    static DbTable table(String name, List<DbColumn> cols, List<String> pk, List<List<String>> uniques, List<ForeignKeyDef> fks,
                         List<DbCheck> checks) {
        return new DbTable(name, cols, pk, uniques, fks, checks, 123);
    }

    static JsonNode column(ObjectNode ds, String table, String column) {
        for (JsonNode t : ds.path("spec").path("tables")) {
            if (t.path("name").asString().equals(table)) {
                for (JsonNode c : t.path("columns")) {
                    if (c.path("name").asString().equals(column)) {
                        return c;
                    }
                }
            }
        }
        throw new AssertionError("no " + table + "." + column + " in " + ds);
    }

    static CompiledDataset compile(ObjectNode ds) {
        return DatasetCompiler.compile(ds.get("spec"), SourceMap.empty("test"), GenerateOptions.defaults());
    }

    DatabaseSchema shop() {
        DbTable customer = table("customer", List.of(col("customer_id", "int", false), col("email", "varchar", false),
                        col("first_name", "varchar", false), col("created_at", "timestamp", false), col("updated_at", "timestamp", false),
                        new DbColumn("tier", "enum", "tier", 0, 0, 0, false, null, false, false, List.of("gold", "silver")),
                        new DbColumn("full_name", "text", "text", 0, 0, 0, true, null, false, true, List.of())),
                List.of("customer_id"), List.of(List.of("email")), List.of(), List.of());
        DbTable product = table("product", List.of(col("product_id", "int", false), col("price", "decimal", false),
                        col("stock", "int", false)),
                List.of("product_id"), List.of(), List.of(),
                List.of(new DbCheck("p1", "(price > (0)::numeric)"), new DbCheck("p2", "((stock >= 0) AND (stock <= 50))"),
                        new DbCheck("p3", "(price * stock < 1000000)")));
        DbTable line = table("order_line", List.of(col("customer_id", "int", false), col("product_id", "int", false),
                        col("manager_id", "int", true), col("qty", "int", false)),
                List.of("customer_id", "product_id"), List.of(),
                List.of(new ForeignKeyDef("f1", List.of("customer_id"), "customer", List.of("customer_id")),
                        new ForeignKeyDef("f2", List.of("product_id"), "product", List.of("product_id"))),
                List.of());
        return new DatabaseSchema("postgresql", "public", List.of(customer, product, line));
    }

    @Test
    void shouldTurnKeysChecksAndEnumsIntoGeneratorsThatCompile() {
        ObjectNode ds = SchemaMapper.map(shop(), SchemaMapper.Options.defaults("shop"));

        assertThat(column(ds, "customer", "customer_id").path("generator").path("kind").asString()).isEqualTo("sequence");
        assertThat(column(ds, "customer", "email").path("unique").asBoolean()).isTrue();
        assertThat(column(ds, "customer", "email").path("generator").asString()).isEqualTo("email");
        assertThat(column(ds, "customer", "first_name").path("generator").asString()).isEqualTo("firstName");
        assertThat(column(ds, "customer", "updated_at").path("generator").path("expr").asString()).startsWith("created_at + ");
        assertThat(column(ds, "customer", "tier").path("generator").path("values").toString()).isEqualTo("[\"gold\",\"silver\"]");
        assertThat(column(ds, "product", "stock").path("generator").path("max").asLong()).isEqualTo(50);
        assertThat(column(ds, "product", "price").path("generator").path("min").asDouble()).isEqualTo(0.01);
        assertThat(ds.toString()).contains("full_name").contains("price * stock < 1000000");

        CompiledDataset compiled = compile(ds);
        assertThat(compiled.loadOrder()).containsSubsequence("product", "order_line");
        assertThat(compiled.loadOrder()).containsSubsequence("customer", "order_line");
    }

    @Test
    void shouldGenerateACompositeKeyOfTwoForeignKeysAsChildrenOfTheFirstParent() {
        ObjectNode ds = SchemaMapper.map(shop(), SchemaMapper.Options.defaults("shop"));
        JsonNode lines = ds.path("spec").path("tables").get(2);
        assertThat(lines.path("rows").path("perParent").path("table").asString()).isEqualTo("customer");
        assertThat(column(ds, "order_line", "product_id").path("generator").path("expr").asString())
                .isEqualTo("(customer_id * 7 + _child_no) % 1000 + 1");
    }

    @Test
    void shouldTakeRowCountsFromStatisticsWhenAsked() {
        ObjectNode ds = SchemaMapper.map(shop(), new SchemaMapper.Options("shop", true, 1000, false, 1));
        assertThat(ds.path("spec").path("tables").get(0).path("rows").asLong()).isEqualTo(123);
    }

    @Test
    void shouldNameEveryUngeneratableColumnAsTableDotColumn() {
        DbTable t = table("doc", List.of(col("id", "int", false), new DbColumn("body", "bytea", "bytea", 0, 0, 0, false, null, false, false, List.of())),
                List.of("id"), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> SchemaMapper.map(new DatabaseSchema("postgresql", "public", List.of(t)), SchemaMapper.Options.defaults("d")))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("doc.body"));
                });
    }

    @Test
    void shouldReportUniqueOverTooSmallADomainAsAContradiction() {
        DbTable t = table("flags", List.of(col("id", "int", false), col("on_off", "boolean", false)),
                List.of("id"), List.of(List.of("on_off")), List.of(), List.of());
        ObjectNode ds = SchemaMapper.map(new DatabaseSchema("postgresql", "public", List.of(t)), SchemaMapper.Options.defaults("f"));
        assertThatThrownBy(() -> compile(ds)).isInstanceOfSatisfying(SkyforgeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
    }
}
