package io.skyforge.spi.tabular;

/** A CHECK constraint: its name and its expression in the engine's own spelling. */
public record DbCheck(String name, String expression) {
}
