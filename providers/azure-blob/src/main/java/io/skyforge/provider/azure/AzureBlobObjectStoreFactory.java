package io.skyforge.provider.azure;

import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStoreFactory;
import java.util.ArrayList;
import java.util.List;

/** {@code type: azure-blob}: an Azure storage account; a container is a physical bucket. */
public final class AzureBlobObjectStoreFactory implements ObjectStoreFactory {

    public static final String TYPE = "azure-blob";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Violation> validate(ObjectStoreConfig config) {
        return AzureSettings.validate(config);
    }

    @Override
    public ObjectStore create(ObjectStoreConfig config) {
        List<Violation> v = new ArrayList<>();
        AzureSettings settings = AzureSettings.from(config, v);
        config.requireValid(v);
        return new AzureBlobObjectStore(settings);
    }
}
