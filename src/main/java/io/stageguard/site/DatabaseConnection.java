package io.stageguard.site;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** How to reach one WordPress database (MariaDB or MySQL). The password never leaves this object. */
public record DatabaseConnection(String host, int port, String name, String user, String password, String tablePrefix) {

    public DatabaseConnection {
        if (tablePrefix == null || tablePrefix.isBlank()) tablePrefix = "wp_";
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + name;
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection(jdbcUrl(), props);
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
