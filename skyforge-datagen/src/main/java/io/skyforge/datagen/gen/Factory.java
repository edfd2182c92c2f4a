package io.skyforge.datagen.gen;

import io.skyforge.datagen.engine.Built;
import io.skyforge.datagen.engine.GenContext;
import io.skyforge.datagen.engine.GeneratorFactory;
import java.util.List;
import java.util.function.Function;

/** A generator factory from a name, its parameter names and a build function. */
record Factory(String kind, List<String> params, Function<GenContext, Built> fn) implements GeneratorFactory {

    Factory {
        params = List.copyOf(params);
    }

    static Factory of(String kind, List<String> params, Function<GenContext, Built> fn) {
        return new Factory(kind, params, fn);
    }

    @Override
    public Built build(GenContext g) {
        return fn.apply(g);
    }
}
