package io.skyforge.core;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Resource;
import io.skyforge.core.seed.SeedForms;
import io.skyforge.core.validation.ResourceValidator;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads manifests the way {@code skyforge apply} and the server take them: parse (YAML or JSON,
 * multi-document), expand the seed's short forms, validate. Problems of every document are
 * reported together, so one run shows the user everything to fix.
 */
public final class Manifests {

    private Manifests() {
    }

    /** Parsed and seed-expanded documents, not yet validated. */
    public static List<ParsedDocument> documents(String source, String text) {
        return SeedForms.normalize(ResourceCodec.parse(source, text));
    }

    /** Every resource of the input, or a {@link SkyforgeException} listing every problem of every document. */
    public static List<Resource> read(String source, String text) {
        return validate(documents(source, text));
    }

    public static List<Resource> validate(List<ParsedDocument> docs) {
        List<Violation> all = new ArrayList<>();
        List<Resource> out = new ArrayList<>();
        ErrorCode code = ErrorCode.VALIDATION;
        SkyforgeException first = null;
        for (ParsedDocument d : docs) {
            List<Violation> v = new ArrayList<>();
            ErrorCode c = ResourceValidator.check(d, v);
            if (v.isEmpty()) {
                out.add(ResourceJson.read(d.body()));
            } else {
                if (first == null) {
                    first = ResourceValidator.failure(c, d, v);
                }
                if (c == ErrorCode.UNKNOWN_KIND) {
                    code = c;
                }
                all.addAll(v);
            }
        }
        if (first != null) {
            String message = all.size() == first.violations().size()
                    ? first.getMessage()
                    : first.getMessage() + " (" + all.size() + " problems in all)";
            throw new SkyforgeException(code, message, all);
        }
        return out;
    }
}
