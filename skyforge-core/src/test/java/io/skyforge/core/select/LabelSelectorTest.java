package io.skyforge.core.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.select.LabelSelector.Operator;
import io.skyforge.core.select.LabelSelector.Requirement;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static SkyforgeException parseFailure(String text) {
        try {
            LabelSelector.parse(text);
        } catch (SkyforgeException e) {
            return e;
        }
        throw new AssertionError("expected '" + text + "' to be refused");
    }

    @Test
    void shouldParseEveryOperator() {
        LabelSelector s = LabelSelector.parse("app=web,tier==front,env!=prod,zone in (a,b),region notin (x),owner,!legacy");

        assertThat(s.requirements()).containsExactly(
                new Requirement("app", Operator.EQUALS, List.of("web")),
                new Requirement("tier", Operator.EQUALS, List.of("front")),
                new Requirement("env", Operator.NOT_EQUALS, List.of("prod")),
                new Requirement("zone", Operator.IN, List.of("a", "b")),
                new Requirement("region", Operator.NOT_IN, List.of("x")),
                new Requirement("owner", Operator.EXISTS, List.of()),
                new Requirement("legacy", Operator.DOES_NOT_EXIST, List.of()));
    }

    @Test
    void shouldTolerateWhitespaceAroundTokens() {
        LabelSelector s = LabelSelector.parse("  app = web ,  zone  in ( a , b ) , ! legacy  ");

        assertThat(s).isEqualTo(LabelSelector.parse("app=web,zone in (a,b),!legacy"));
    }

    @Test
    void shouldSelectEverythingForNullOrBlank() {
        assertThat(LabelSelector.parse(null)).isEqualTo(LabelSelector.EVERYTHING);
        assertThat(LabelSelector.parse("   ")).isEqualTo(LabelSelector.EVERYTHING);
        assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
        assertThat(LabelSelector.EVERYTHING.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "app=web",
        "app!=web",
        "app=",
        "example.com/app=web-1.0_x",
        "zone in (a,b,c)",
        "zone notin (a)",
        "zone in (a,)",
        "owner",
        "!legacy",
        "app=web,tier!=db,env in (a,b),env notin (c),owner,!legacy"
    })
    void shouldRoundTripThroughToString(String text) {
        LabelSelector s = LabelSelector.parse(text);

        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void shouldWriteTheCanonicalForm() {
        assertThat(LabelSelector.parse(" app == web , zone in ( b , a, b ),!x").toString())
                .isEqualTo("app=web,zone in (b,a),!x");
    }

    @Test
    void shouldMatchLabelsAsKubernetesDoes() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front", "empty", "");

        assertThat(LabelSelector.parse("app=web,tier in (front,back)").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("app!=db").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("missing!=x").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("missing notin (x)").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("missing in (x)").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("empty=").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("empty").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("!empty").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("app=web,!tier").matches(labels)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "app=web tier=db      | 9  | expected ',' or the end",
        "app in a,b           | 8  | expected '(' after 'in'",
        "app in (a,b          | 12 | missing ')'",
        "app in ()            | 9  | 'in' needs at least one value",
        "app notin (a b)      | 14 | expected ',' or ')'",
        "app =! web           | 6  | expected ',' or the end",
        "app ~ web            | 5  | expected an operator",
        "app is web           | 5  | expected an operator",
        ",app=web             | 1  | expected a label key",
        "app=web,             | 9  | expected a label key",
        "!                    | 2  | expected a label key after '!'",
        "!app=web             | 5  | takes no operator or value",
        "-app=web             | 1  | invalid label key '-app'",
        "app=web!             | 8  | expected ',' or the end",
        "app=-web             | 5  | invalid label value '-web'",
        "Example.com/app=x    | 1  | the prefix must be a DNS subdomain",
        "/app=x               | 1  | prefix before '/' must not be empty",
        "app/=x               | 1  | the name part must not be empty",
    })
    void shouldRefuseBadSyntaxSayingWhere(String text, int column, String message) {
        SkyforgeException e = parseFailure(text);

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).startsWith("invalid label selector '" + text + "' at column " + column + ": ")
                .contains(message);
        assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.column()).isEqualTo(column));
    }

    @Test
    void shouldRefuseOverlongKeysAndValues() {
        String name64 = "a".repeat(64);

        assertThat(parseFailure(name64 + "=x").getMessage()).contains("at most 63 characters");
        assertThat(parseFailure("x=" + name64).getMessage()).contains("at most 63 characters");
        assertThat(parseFailure("a".repeat(254) + "/x=y").getMessage()).contains("at most 253 characters");
        assertThat(LabelSelector.parse("a".repeat(63) + "=" + "b".repeat(63)).requirements()).hasSize(1);
    }

    @Test
    void shouldValidateRequirementsBuiltInCode() {
        assertThatThrownBy(() -> new Requirement("app", Operator.EQUALS, List.of()))
                .isInstanceOf(SkyforgeException.class).hasMessageContaining("exactly one value");
        assertThatThrownBy(() -> new Requirement("app", Operator.EXISTS, List.of("x")))
                .isInstanceOf(SkyforgeException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> new Requirement("app", Operator.IN, List.of()))
                .isInstanceOf(SkyforgeException.class).hasMessageContaining("at least one value");
        assertThatThrownBy(() -> LabelSelector.validateKey("bad key"))
                .isInstanceOf(SkyforgeException.class).hasMessageContaining("invalid label key 'bad key'");
    }
}
