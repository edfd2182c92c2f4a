package io.skyforge.schema.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.spi.tabular.DbCheck;
import org.junit.jupiter.api.Test;

class CheckDomainTest {

    static CheckDomain parse(String expr) {
        return CheckDomain.parse(new DbCheck("ck", expr));
    }

    @Test
    void shouldReadPostgresBoundsWithCastsAndParentheses() {
        CheckDomain d = parse("((salary > (1000)::numeric) AND (salary <= (250000)::numeric))");
        assertThat(d.column()).isEqualTo("salary");
        assertThat(d.min()).isEqualTo(1000.0);
        assertThat(d.minExclusive()).isTrue();
        assertThat(d.max()).isEqualTo(250000.0);
        assertThat(d.maxExclusive()).isFalse();
    }

    @Test
    void shouldReadBetweenInEitherSpelling() {
        assertThat(parse("`floor` between 0 and 12").max()).isEqualTo(12.0);
        assertThat(parse("((floor >= 0) AND (floor <= 12))").min()).isEqualTo(0.0);
    }

    @Test
    void shouldReadValueListsFromInAndAnyArray() {
        assertThat(parse("`grade` in ('junior','senior','consultant')").values()).containsExactly("junior", "senior", "consultant");
        assertThat(parse("((grade)::text = ANY ((ARRAY['junior'::character varying, 'it''s'::character varying])::text[]))").values())
                .containsExactly("junior", "it's");
        assertThat(parse("(severity = ANY (ARRAY[1, 2, 3]))").values()).containsExactly("1", "2", "3");
    }

    @Test
    void shouldReadLengthLimits() {
        assertThat(parse("(char_length((national_id)::text) >= 6)").minLength()).isEqualTo(6);
        assertThat(parse("char_length(`code`) <= 4").maxLength()).isEqualTo(4);
    }

    @Test
    void shouldRefuseWhatIsNotASimpleSingleColumnDomain() {
        assertThat(parse("(a > 0) OR (b > 0)")).isNull();
        assertThat(parse("(a > 0) AND (b > 0)")).isNull();
        assertThat(parse("lower(email) = email")).isNull();
    }

    @Test
    void shouldReadAnOrderingBetweenTwoColumns() {
        assertThat(CheckDomain.ordering(new DbCheck("c", "(updated_at >= created_at)"))).containsExactly("created_at", "updated_at");
        assertThat(CheckDomain.ordering(new DbCheck("c", "`l_shipdate` <= `l_receiptdate`"))).containsExactly("l_shipdate", "l_receiptdate");
        assertThat(CheckDomain.ordering(new DbCheck("c", "(x > 5)"))).isNull();
    }
}
