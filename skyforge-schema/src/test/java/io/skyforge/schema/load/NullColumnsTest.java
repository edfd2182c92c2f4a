package io.skyforge.schema.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NullColumnsTest {

    static final String CSV = "1,\"a, \"\"quoted\"\"\nline\",7,x\n2,,8,\"y,z\"\n3,plain,,\n";

    static String blank(String csv, boolean[] columns, String nullText, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        try (NullColumns n = new NullColumns(out, columns, nullText)) {
            for (int i = 0; i < bytes.length; i += chunk) {
                n.write(bytes, i, Math.min(chunk, bytes.length - i));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReplaceTheChosenFieldsOfEveryRowByTheNullMarker() throws IOException {
        assertThat(blank(CSV, new boolean[] {false, true, false, false}, "NULL", 1 << 16))
                .isEqualTo("1,NULL,7,x\n2,NULL,8,\"y,z\"\n3,NULL,,\n");
        assertThat(blank(CSV, new boolean[] {false, false, true, true}, "", 1 << 16))
                .isEqualTo("1,\"a, \"\"quoted\"\"\nline\",,\n2,,,\n3,plain,,\n");
    }

    @Test
    void shouldGiveTheSameBytesWhateverHowTheStreamIsCut() throws IOException {
        boolean[] columns = {true, false, true, false};
        String whole = blank(CSV, columns, "\\N", 1 << 16);
        assertThat(whole).isEqualTo("\\N,\"a, \"\"quoted\"\"\nline\",\\N,x\n\\N,,\\N,\"y,z\"\n\\N,plain,\\N,\n");
        for (int chunk = 1; chunk < 12; chunk++) {
            assertThat(blank(CSV, columns, "\\N", chunk)).as("chunks of " + chunk).isEqualTo(whole);
        }
    }

    @Test
    void shouldPassRowsThroughUnchangedWhenNoColumnIsChosen() throws IOException {
        assertThat(blank(CSV, new boolean[4], "NULL", 3)).isEqualTo(CSV);
    }
}
