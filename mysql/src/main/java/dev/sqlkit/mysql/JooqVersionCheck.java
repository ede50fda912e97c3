package dev.sqlkit.mysql;

/**
 * jOOQ's check of the server version, for the servers sqlkit supports.
 *
 * <p>On the first query of a JVM, jOOQ compares the server's version with what its dialect supports
 * and warns when the server is older. The open-source edition's {@code MARIADB} dialect follows the
 * newest MariaDB (11.8 for jOOQ 3.21), so it warns about MariaDB 10.11 and 11.4, which sqlkit supports
 * and tests its migrations, generated code and dal on. For those versions only, this turns that one
 * jOOQ logger down through jOOQ's own per-logger setting (the system property
 * {@value #LOG_PROPERTY}); a value the user set is left alone, and an unsupported server still gets
 * jOOQ's warning. Sets a string property, so it works without jOOQ on the class path.
 */
public final class JooqVersionCheck {

    /** jOOQ reads {@code org.jooq.log.<logger name>} as that logger's threshold. */
    public static final String LOG_PROPERTY = "org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport";

    private JooqVersionCheck() {
    }

    /** Quiets jOOQ's version warning when {@code version} is a server sqlkit supports. */
    public static void acceptIfSupported(ServerVersion version) {
        if (version.isSupported() && System.getProperty(LOG_PROPERTY) == null) {
            System.setProperty(LOG_PROPERTY, "ERROR");
        }
    }
}
