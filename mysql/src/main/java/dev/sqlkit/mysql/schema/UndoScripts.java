package dev.sqlkit.mysql.schema;

import java.util.Collection;
import java.util.regex.Pattern;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.Scanner;

/**
 * Undo scripts ({@code U<n>__x.sql} beside {@code V<n>__x.sql}, Flyway's naming) are run by sqlkit,
 * never by Flyway: Flyway Community has no undo, and with {@code validateMigrationNaming} it refuses
 * such a file ("Unrecognised migration name format: U1__x.sql"); without it, it counts them as
 * misnamed migrations in its log. {@link #hiddenFromFlyway} gives Flyway its own scanner's view of
 * the locations minus the undo scripts, so a misnamed {@code V} file still fails as before.
 */
public final class UndoScripts {

    private static final Pattern UNDO_SCRIPT = Pattern.compile("^U\\d+([._]\\d+)*__.+\\.sql$");

    private UndoScripts() {
    }

    /** Whether {@code fileName} (no folder) is an undo script. */
    public static boolean isUndoScript(String fileName) {
        return UNDO_SCRIPT.matcher(fileName).matches();
    }

    /** The undo script's name for a versioned migration's: {@code V3__index.sql} gives {@code U3__index.sql}. */
    public static String undoScriptOf(String versionedScript) {
        int slash = versionedScript.lastIndexOf('/');
        String folder = versionedScript.substring(0, slash + 1);
        String name = versionedScript.substring(slash + 1);
        if (!name.startsWith("V")) {
            throw new IllegalArgumentException(versionedScript + " is not a versioned migration (V<n>__name.sql)");
        }
        return folder + "U" + name.substring(1);
    }

    /**
     * Sets {@code configuration}'s resource provider to Flyway's own scanner over its locations,
     * with the undo scripts left out. Call after the locations are configured.
     */
    public static FluentConfiguration hiddenFromFlyway(FluentConfiguration configuration) {
        ResourceProvider scanner = new Scanner<>(JavaMigration.class, configuration, configuration.getLocations());
        return configuration.resourceProvider(new ResourceProvider() {
            @Override
            public LoadableResource getResource(String name) {
                return scanner.getResource(name);
            }

            @Override
            public Collection<LoadableResource> getResources(String prefix, String... suffixes) {
                return scanner.getResources(prefix, suffixes).stream()
                        .filter(resource -> !isUndoScript(fileName(resource.getFilename())))
                        .toList();
            }
        });
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
