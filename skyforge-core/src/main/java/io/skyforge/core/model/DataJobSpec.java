package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import io.skyforge.core.validation.Range;
import java.util.List;

/**
 * One batch job: generate (or a container image) into an output, placed on a cloud by policy
 * unless {@code cloud} pins it.
 */
public record DataJobSpec(
        String cloud,
        String cluster,
        String image,
        List<String> command,
        List<String> args,
        ResourceRequirements resources,
        GenerateSpec generate,
        OutputSpec output,
        @Range(min = 1, max = 10000) Integer parallelism,
        @OneOf({"critical", "batch"}) String priority,
        PlacementSpec placement,
        Boolean suspend,
        @Range(min = 0, max = 100) Integer backoffLimit) {

    public DataJobSpec {
        command = command == null ? null : List.copyOf(command);
        args = args == null ? null : List.copyOf(args);
    }
}
