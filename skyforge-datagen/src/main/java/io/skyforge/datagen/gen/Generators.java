package io.skyforge.datagen.gen;

import io.skyforge.datagen.engine.GeneratorFactory;
import io.skyforge.datagen.engine.Relations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every generator kind a spec may name. */
public final class Generators {

    private static final Map<String, GeneratorFactory> ALL = new LinkedHashMap<>();

    static {
        List<GeneratorFactory> fs = new ArrayList<>();
        fs.addAll(BasicGenerators.all());
        fs.addAll(TextGenerators.all());
        fs.addAll(DomainGenerators.all());
        fs.add(Relations.reference());
        fs.add(Relations.childIndex());
        for (GeneratorFactory f : fs) {
            if (ALL.put(f.kind(), f) != null) {
                throw new IllegalStateException("duplicate generator " + f.kind());
            }
        }
    }

    private Generators() {
    }

    /** The factory of a kind, or null. */
    public static GeneratorFactory get(String kind) {
        return ALL.get(kind);
    }

    public static List<String> kinds() {
        return Collections.unmodifiableList(new ArrayList<>(ALL.keySet()));
    }
}
