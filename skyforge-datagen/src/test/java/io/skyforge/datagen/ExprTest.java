package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.engine.CompiledDataset;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expressions with constant operands (folded when compiled) give what plain arithmetic gives. */
class ExprTest {

    @Test
    void shouldGiveTheValuesOfPlainArithmeticWhateverOperandsAreConstant() {
        CompiledDataset ds = Specs.compile("""
                seed: 5
                tables:
                  - name: t
                    rows: 5000
                    columns:
                      - {name: a, type: bigint, generator: {kind: uniform, min: -100000, max: 100000}}
                      - {name: b, type: double, generator: {kind: uniform, min: -50.0, max: 50.0}}
                      - {name: folded, type: double, generator: {kind: expr, expr: "2 * 3 + 10 / 4 - 7 % 3 + div(9, 2) - -1"}}
                      - {name: left, type: double, generator: {kind: expr, expr: "90000 + 100 * a - 7 / b"}}
                      - {name: right, type: double, generator: {kind: expr, expr: "(a - 1) * 3 / 100 + b % 7 + div(a, 10) % 20001"}}
                      - {name: nested, type: double, generator: {kind: expr, expr: "(a + b) * (b - a) / (1 + abs(b)) + (3 - a) * (b + 0.5)"}}
                      - {name: cond, type: int, generator: {kind: expr, expr: "if(2 > 1, a > 0 && b <= 0, 0) + (a >= 5000) + !(b < 1)"}}
                      - {name: day, type: date, generator: {kind: expr, expr: "date('1995-06-17') + a % 100"}}
                      - {name: late, type: boolean, generator: {kind: expr, expr: "day > date('1995-07-01') || day == date('1995-06-17')"}}
                      - {name: pick, type: int, generator: {kind: expr, expr: "uniform(1, 6) + uniform(10 - 9, 2 * 3) * 0"}}
                """);
        long june17 = LocalDate.parse("1995-06-17").toEpochDay();
        for (List<String> row : Gen.cells(ds, "t")) {
            double a = Double.parseDouble(row.get(0));
            double b = Double.parseDouble(row.get(1));
            assertThat(Double.parseDouble(row.get(2))).isEqualTo(2.0 * 3 + 10.0 / 4 - mod(7, 3) + Math.floor(9.0 / 2) + 1);
            assertThat(Double.parseDouble(row.get(3))).isEqualTo(90000 + 100 * a - 7 / b);
            assertThat(Double.parseDouble(row.get(4)))
                    .isEqualTo((a - 1) * 3 / 100 + mod(b, 7) + mod(Math.floor(a / 10), 20001));
            assertThat(Double.parseDouble(row.get(5))).isEqualTo((a + b) * (b - a) / (1 + Math.abs(b)) + (3 - a) * (b + 0.5));
            long cond = (a > 0 && b <= 0 ? 1 : 0) + (a >= 5000 ? 1 : 0) + (b < 1 ? 0 : 1);
            assertThat(Long.parseLong(row.get(6))).isEqualTo(cond);
            long day = Math.round(june17 + mod(a, 100));
            assertThat(LocalDate.parse(row.get(7)).toEpochDay()).isEqualTo(day);
            assertThat(Boolean.parseBoolean(row.get(8))).isEqualTo(day > june17 + 14 || day == june17);
            assertThat(Integer.parseInt(row.get(9))).isBetween(1, 6);
        }
    }

    private static double mod(double x, double y) {
        return x - Math.floor(x / y) * y;
    }
}
