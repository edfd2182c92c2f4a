package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.spi.error.ErrorCode;
import org.junit.jupiter.api.Test;

class HttpStatusErrorsTest {

    @Test
    void shouldMapTheStatusesEveryBackendSharesAndTreatOtherServerErrorsAsUnavailable() {
        assertThat(HttpStatusErrors.code(404)).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(HttpStatusErrors.code(401)).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(HttpStatusErrors.code(403)).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(HttpStatusErrors.code(412)).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(HttpStatusErrors.code(416)).isEqualTo(ErrorCode.VALIDATION);
        assertThat(HttpStatusErrors.code(429)).isEqualTo(ErrorCode.THROTTLED);
        assertThat(HttpStatusErrors.code(500)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(HttpStatusErrors.code(503)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(HttpStatusErrors.code(400)).isEqualTo(ErrorCode.EXTERNAL);
        assertThat(HttpStatusErrors.code(409)).as("each backend says what a conflict is").isEqualTo(ErrorCode.EXTERNAL);
    }
}
