package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.validation.SpecValidator;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Bad specs: every problem reported at once, each at its field path, line and column. */
class SpecValidationTest {

    static List<Violation> problems(String specBody) {
        ParsedDocument doc = Specs.dataset(specBody);
        return DatasetCompiler.check(doc.body().get("spec"), doc.sourceMap());
    }

    static Violation only(String specBody) {
        List<Violation> v = problems(specBody);
        assertThat(v).as(v.toString()).hasSize(1);
        return v.get(0);
    }

    @Test
    void shouldSuggestTheClosestGeneratorForAnUnknownOne() {
        Violation v = only("""
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: a, generator: {kind: unifrom, min: 1, max: 2}}
                """);
        assertThat(v.path()).isEqualTo("spec.tables[0].columns[0].generator.kind");
        assertThat(v.message()).contains("unknown generator 'unifrom'", "did you mean 'uniform'");
        assertThat(v.line()).isEqualTo(9);
        assertThat(v.column()).isGreaterThan(1);
        assertThat(v.source()).isEqualTo("test.yaml");
    }

    @Test
    void shouldReportUnknownTypesAndLocalesWithSuggestions() {
        List<Violation> v = problems("""
                locale: zh_TW
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: a, type: bigin, generator: sequence}
                """);
        assertThat(v).extracting(Violation::path).containsExactlyInAnyOrder("spec.locale", "spec.tables[0].columns[0].type");
        assertThat(v).extracting(Violation::message).anySatisfy(m -> assertThat(m).contains("unknown locale 'zh_TW'", "zh_CN"));
        assertThat(v).extracting(Violation::message).anySatisfy(m -> assertThat(m).contains("unknown type 'bigin'", "did you mean 'bigint'"));
        assertThat(v).allSatisfy(x -> assertThat(x.line()).isPositive());
    }

    @Test
    void shouldRejectNegativeAndFractionalRowCounts() {
        List<Violation> v = problems("""
                tables:
                  - {name: a, rows: -1, columns: [{name: x, generator: sequence}]}
                  - {name: b, rows: 2.5, columns: [{name: x, generator: sequence}]}
                """);
        assertThat(v).extracting(Violation::path).containsExactly("spec.tables[0].rows", "spec.tables[1].rows");
        assertThat(v.get(0).message()).contains("negative");
        assertThat(v.get(1).message()).contains("integer");
    }

    @Test
    void shouldRejectForeignKeysToMissingTablesAndColumns() {
        List<Violation> v = problems("""
                tables:
                  - name: parent
                    rows: 3
                    columns: [{name: id, generator: sequence}]
                  - name: child
                    rows: 3
                    columns:
                      - {name: a, generator: {kind: reference, table: parnet, column: id}}
                      - {name: b, generator: {kind: reference, table: parent, column: idd}}
                """);
        assertThat(v).extracting(Violation::path).containsExactly(
                "spec.tables[1].columns[0].generator.table", "spec.tables[1].columns[1].generator.column");
        assertThat(v.get(0).message()).contains("unknown table 'parnet'", "did you mean 'parent'");
        assertThat(v.get(1).message()).contains("unknown column 'parent.idd'", "did you mean 'id'");
    }

    @Test
    void shouldRejectACycleOfRequiredForeignKeys() {
        Violation v = only("""
                tables:
                  - name: a
                    rows: 3
                    columns:
                      - {name: id, generator: sequence}
                      - {name: b_id, generator: {kind: reference, table: b, column: id}}
                  - name: b
                    rows: 3
                    columns:
                      - {name: id, generator: sequence}
                      - {name: a_id, generator: {kind: reference, table: a, column: id}}
                """);
        assertThat(v.message()).contains("cycle", "a -> b -> a", "nullRate");
        // the same cycle with one nullable side can be loaded in order
        assertThat(problems("""
                tables:
                  - name: a
                    rows: 3
                    columns:
                      - {name: id, generator: sequence}
                      - {name: b_id, nullRate: 0.5, generator: {kind: reference, table: b, column: id}}
                  - name: b
                    rows: 3
                    columns:
                      - {name: id, generator: sequence}
                      - {name: a_id, generator: {kind: reference, table: a, column: id}}
                """)).isEmpty();
    }

    @Test
    void shouldRejectColumnsThatDependOnEachOther() {
        List<Violation> v = problems("""
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: a, type: int, generator: {kind: expr, expr: "b + 1"}}
                      - {name: b, type: int, generator: {kind: expr, expr: "a + 1"}}
                """);
        assertThat(v).isNotEmpty();
        assertThat(v.get(0).message()).contains("depends on itself");
    }

    @Test
    void shouldRejectUniqueOverTooSmallADomain() {
        List<Violation> v = problems("""
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: flag, type: boolean, unique: true, generator: boolean}
                  - name: u
                    rows: 11
                    columns:
                      - {name: n, type: int, unique: true, generator: {kind: uniform, min: 1, max: 10}}
                      - {name: fits, type: int, unique: true, generator: {kind: uniform, min: 1, max: 11}}
                """);
        assertThat(v).extracting(Violation::path).containsExactly("spec.tables[0].columns[0].unique", "spec.tables[1].columns[0].unique");
        assertThat(v.get(0).message()).contains("3 rows", "only 2");
        assertThat(v.get(1).message()).contains("11 rows", "only 10");
    }

    @Test
    void shouldRejectDecimalPrecisionOverflow() {
        List<Violation> v = problems("""
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: a, type: "decimal(5,2)", generator: {kind: uniform, min: 0, max: 5000}}
                      - {name: b, type: "decimal(40,2)", generator: {kind: uniform, min: 0, max: 5}}
                """);
        assertThat(v).extracting(Violation::path).containsExactly("spec.tables[0].columns[0].type", "spec.tables[0].columns[1].type");
        assertThat(v.get(0).message()).contains("precision overflow", "999.99", "5000");
        assertThat(v.get(1).message()).contains("precision");
    }

    @Test
    void shouldRejectPatternsTheEngineCannotGenerate() {
        List<Violation> v = problems("""
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: a, generator: {kind: pattern, pattern: "[a-z]+@x"}}
                      - {name: b, generator: {kind: pattern, pattern: "[^abc]{3}"}}
                      - {name: c, generator: {kind: pattern, pattern: "(ab|cd)"}}
                      - {name: d, unique: true, generator: {kind: pattern, pattern: "[A-Z]{1,3}"}}
                """);
        assertThat(v).hasSize(4);
        assertThat(v.get(0).message()).contains("unbounded repetition");
        assertThat(v.get(1).message()).contains("negated");
        assertThat(v.get(2).message()).contains("alternation");
        assertThat(v.get(3).message()).contains("fixed repetition");
    }

    @Test
    void shouldReportEveryProblemOfASpecTogether() {
        List<Violation> v = problems("""
                tables:
                  - name: t
                    rowz: 3
                    columns:
                      - {name: a, generator: sequenc}
                      - {name: a, type: int, nullRate: 2, generator: sequence}
                """);
        assertThat(v).extracting(Violation::path).contains(
                "spec.tables[0].rowz", "spec.tables[0].rows", "spec.tables[0].columns[0].generator",
                "spec.tables[0].columns[1].name", "spec.tables[0].columns[1].nullRate");
        assertThat(v).filteredOn(x -> x.path().equals("spec.tables[0].rowz")).first()
                .satisfies(x -> assertThat(x.message()).contains("did you mean 'rows'"));
    }

    @Test
    void shouldRejectTypeMismatchesBetweenGeneratorAndColumn() {
        Violation v = only("""
                tables:
                  - name: t
                    rows: 3
                    columns:
                      - {name: a, type: int, generator: firstName}
                """);
        assertThat(v.path()).isEqualTo("spec.tables[0].columns[0].type");
        assertThat(v.message()).contains("text values", "cannot be stored as int");
    }

    @Test
    void shouldThrowOneValidationErrorWithAllViolations() {
        ParsedDocument doc = Specs.dataset("""
                tables:
                  - {name: t, rows: 3, columns: [{name: a, generator: nope}, {name: b, generator: nada}]}
                """);
        assertThatThrownBy(() -> Specs.compile(doc))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.violations()).hasSize(2);
                });
    }

    @Test
    void shouldBeFoundByTheServerThroughServiceLoader() {
        SpecValidator found = ServiceLoader.load(SpecValidator.class).stream()
                .map(ServiceLoader.Provider::get).filter(s -> s.kind().equals("Dataset")).findFirst().orElseThrow();
        ParsedDocument doc = Specs.example("shop.yaml");
        assertThat(found.validate(doc.body().get("spec"), doc.sourceMap())).isEmpty();
        ParsedDocument bad = Specs.dataset("tables: [{name: t, rows: 1, columns: [{name: a, generator: bogus}]}]");
        assertThat(found.validate(bad.body().get("spec"), bad.sourceMap())).hasSize(1);
    }
}
