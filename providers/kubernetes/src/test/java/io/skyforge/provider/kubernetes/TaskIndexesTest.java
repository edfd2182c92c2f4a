package io.skyforge.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskIndexesTest {

    @Test
    void shouldWriteRunsOfIndexesTheWayKubernetesDoes() {
        assertThat(TaskIndexes.of(0, 1, 2, 3, 7, 9, 10).compressed()).isEqualTo("0-3,7,9-10");
        assertThat(TaskIndexes.of(5).compressed()).isEqualTo("5");
        assertThat(TaskIndexes.range(12, 4).compressed()).isEqualTo("12-15");
    }

    @Test
    void shouldReadBackWhatItWrites() {
        TaskIndexes t = TaskIndexes.of(0, 1, 2, 3, 7, 9, 10);

        assertThat(TaskIndexes.parse(t.compressed(), 100)).isEqualTo(t.indexes());
    }

    @Test
    void shouldReadListsLenientlyWithinTheirBound() {
        assertThat(TaskIndexes.parse("1, 3-5,x,7-,9", 9)).containsExactly(1, 3, 4, 5);
        assertThat(TaskIndexes.parse("0-2000000000", 3)).containsExactly(0, 1, 2);
        assertThat(TaskIndexes.parse(null, 5)).isEmpty();
        assertThat(TaskIndexes.parse("", 5)).isEmpty();
    }

    @Test
    void shouldKnowWhenCompletionAndTaskIndexesAreTheSame() {
        assertThat(TaskIndexes.range(0, 4).isIdentity()).isTrue();
        assertThat(TaskIndexes.range(1, 4).isIdentity()).isFalse();
        assertThat(TaskIndexes.of(0, 2).isIdentity()).isFalse();
        assertThat(TaskIndexes.of(3, 12, 13).task(1)).isEqualTo(12);
        assertThat(TaskIndexes.of(3, 12, 13).spaced()).isEqualTo("3 12 13");
    }

    @Test
    void shouldRefuseIndexesOutOfOrderRepeatedOrNegative() {
        assertThatThrownBy(() -> new TaskIndexes(List.of(2, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskIndexes(List.of(1, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskIndexes(List.of(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskIndexes(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
