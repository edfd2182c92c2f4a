package io.skyforge.provider.s3;

import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStoreFactory;
import java.util.ArrayList;
import java.util.List;

/** {@code type: s3}: AWS S3 and S3-compatible stores (Aliyun OSS, Huawei OBS, Tencent COS, MinIO, S3Proxy). */
public final class S3ObjectStoreFactory implements ObjectStoreFactory {

    public static final String TYPE = "s3";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Violation> validate(ObjectStoreConfig config) {
        return S3Settings.validate(config);
    }

    @Override
    public ObjectStore create(ObjectStoreConfig config) {
        List<Violation> v = new ArrayList<>();
        S3Settings settings = S3Settings.from(config, v);
        config.requireValid(v);
        return new S3ObjectStore(settings);
    }
}
