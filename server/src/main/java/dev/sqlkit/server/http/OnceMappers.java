package dev.sqlkit.server.http;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.common.GenericType;
import io.helidon.common.mapper.Mapper;
import io.helidon.common.mapper.MapperManager;
import io.helidon.common.mapper.MappersConfig;

/**
 * Helidon's mapper manager, built once. Helidon finds it through its service registry on every typed
 * read of a header or a query parameter (its HTTP/1 connection reads Content-Length so, for every
 * request with a body), and the registry builds a new one for each lookup: a fifth of a POST's CPU.
 * Set as the global one, the lookup is a field read. It is built on first use, not at start:
 * building it is the registry's first use, 0.14 s of CPU that a start without such a request need
 * not spend.
 */
public final class OnceMappers implements MapperManager {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private MapperManager mappers;

    private OnceMappers() {
    }

    /** Makes this Helidon's global mapper manager; once per JVM, before the web server starts. */
    public static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            MapperManager.global(new OnceMappers());
        }
    }

    private synchronized MapperManager mappers() {
        if (mappers == null) {
            mappers = MapperManager.create();
        }
        return mappers;
    }

    @Override
    public <S, T> T map(S source, GenericType<S> sourceType, GenericType<T> targetType, String... qualifiers) {
        return mappers().map(source, sourceType, targetType, qualifiers);
    }

    @Override
    public <S, T> T map(S source, Class<S> sourceType, Class<T> targetType, String... qualifiers) {
        return mappers().map(source, sourceType, targetType, qualifiers);
    }

    @Override
    public <S, T> Optional<Mapper<S, T>> mapper(GenericType<S> sourceType, GenericType<T> targetType, String... qualifiers) {
        return mappers().mapper(sourceType, targetType, qualifiers);
    }

    @Override
    public MappersConfig prototype() {
        return mappers().prototype();
    }
}
