package io.skyforge.control.store;

import io.skyforge.core.model.Resource;
import java.util.List;

/** One page of a list; {@code continueToken} is null on the last page. */
public record ResourcePage(List<Resource> items, String continueToken, long resourceVersion) {

    public ResourcePage {
        items = List.copyOf(items);
    }
}
