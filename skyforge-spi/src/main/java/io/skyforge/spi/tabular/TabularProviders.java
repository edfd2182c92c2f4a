package io.skyforge.spi.tabular;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the registered provider for a JDBC URL. */
public final class TabularProviders {

    private TabularProviders() {
    }

    public static List<TabularProvider> all() {
        List<TabularProvider> list = new ArrayList<>();
        ServiceLoader.load(TabularProvider.class, TabularProviders.class.getClassLoader()).forEach(list::add);
        return list;
    }

    public static TabularProvider forUrl(String jdbcUrl) {
        List<TabularProvider> all = all();
        if (all.isEmpty()) {
            throw new SkyforgeException(ErrorCode.INTERNAL,
                    "no database provider is registered (META-INF/services/" + TabularProvider.class.getName() + ")");
        }
        for (TabularProvider p : all) {
            if (p.accepts(jdbcUrl)) {
                return p;
            }
        }
        throw new SkyforgeException(ErrorCode.UNSUPPORTED, "no database provider accepts " + ConnectionConfig.redactUrl(jdbcUrl)
                + "; supported: " + all.stream().map(TabularProvider::name).toList());
    }
}
