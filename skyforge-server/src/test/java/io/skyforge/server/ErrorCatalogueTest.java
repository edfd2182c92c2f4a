package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.server.api.Problems;
import io.skyforge.spi.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/errors.md lists every code with the HTTP status, type and retryability the code really has. */
class ErrorCatalogueTest {

    @Test
    void shouldDocumentEveryErrorCodeAsTheServerMapsIt() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "errors.md"));
        for (ErrorCode c : ErrorCode.values()) {
            String row = "| `" + c.code() + "` | " + Problems.status(c).value() + " | " + c.type() + " | "
                    + (c.retryable() ? "yes" : "no") + " |";
            assertThat(doc).as("docs/errors.md row for " + c.name().toLowerCase(Locale.ROOT)).contains(row);
        }
    }
}
