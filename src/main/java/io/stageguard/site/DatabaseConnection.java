package io.stageguard.site;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to reach one WordPress database (MariaDB or MySQL). The password never leaves this object.
 *
 * @param password    the password itself (stored encrypted by {@link SiteRegistry}), or
 * @param passwordRef where to read it when it is needed: {@code env:NAME} (an environment variable
 *                    of Stageguard's process) or {@code file:/path} (a file's first line), so the
 *                    value never reaches Stageguard's database at all
 */
public record DatabaseConnection(
        String host, int port, String name, String user, String password, String tablePrefix, String passwordRef) {
    /**
     * How long one read may wait for the server: a hung server or a dead network would otherwise keep
     * a step (and its job lock) for ever (review 954a1fc, M4). Generous, because a copy or a restore
     * legitimately waits minutes for one statement on a large table.
     */
    public static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofMinutes(15);

    public DatabaseConnection(String host, int port, String name, String user, String password, String tablePrefix) {
        this(host, port, name, user, password, tablePrefix, null);
    }

    public DatabaseConnection {
        if (tablePrefix == null || tablePrefix.isBlank()) tablePrefix = "wp_";
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + name;
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", secret());
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", String.valueOf(READ_TIMEOUT.toMillis()));
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** The password, read from its reference when there is one; empty when there is none. */
    public String secret() {
        return SecretRef.resolve(password, passwordRef);
    }

    /** The same connection with another stored password (encrypted, or decrypted). */
    public DatabaseConnection withPassword(String stored) {
        return new DatabaseConnection(host, port, name, user, stored, tablePrefix, passwordRef);
    }

    /** The host:port form WordPress expects in DB_HOST. */
    public String wordpressHost() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + name + " (prefix " + tablePrefix + ")";
    }
}
