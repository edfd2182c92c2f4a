package io.skyforge.datagen.engine;

import java.util.List;

/** Builds one kind of generator from its spec parameters; reports problems through the context. */
public interface GeneratorFactory {

    /** The generator's name in specs, e.g. {@code uniform}. */
    String kind();

    /** The parameter names it accepts (besides {@code kind}). */
    List<String> params();

    /** @return the generator, or null when its parameters were invalid (violations recorded) */
    Built build(GenContext g);
}
