package io.stageguard.demo;

import io.stageguard.site.DatabaseConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A MariaDB server of its own on 127.0.0.1, with a throwaway data folder: for the demo and the
 * tests, never for a real site.
 */
public final class LocalMariaDb implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process server;

    private LocalMariaDb(Path dir, int port, Process server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    public static LocalMariaDb start(Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(dir);
        if (!Files.isDirectory(data.resolve("mysql"))) {
            Processes.run(
                    List.of(
                            "mariadb-install-db",
                            "--datadir=" + data,
                            "--user=root",
                            "--auth-root-authentication-method=normal",
                            "--skip-test-db"),
                    dir);
        }
        int port = Processes.freePort();
        // temporary tables in a folder of this server's own, not in the /tmp other servers and cleaners share
        Files.createDirectories(dir.resolve("tmp"));
        Process server = new ProcessBuilder(
                        "mariadbd",
                        "--no-defaults",
                        "--datadir=" + data,
                        "--tmpdir=" + dir.resolve("tmp"),
                        "--port=" + port,
                        "--bind-address=127.0.0.1",
                        "--socket=" + dir.resolve("mysqld.sock"),
                        "--pid-file=" + dir.resolve("mysqld.pid"),
                        "--user=root",
                        "--skip-name-resolve",
                        "--innodb-buffer-pool-size=128M",
                        "--character-set-server=utf8mb4",
                        "--collation-server=utf8mb4_unicode_ci")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mariadbd.log").toFile())
                .start();
        LocalMariaDb db = new LocalMariaDb(dir, port, server);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        Processes.awaitPort(server, port, Duration.ofSeconds(60), "mariadbd");
        return db;
    }

    public int port() {
        return port;
    }

    /** Creates (or recreates, empty) a database and a password user that owns it. */
    public DatabaseConnection createDatabase(String name, String user, String password, String tablePrefix)
            throws IOException {
        sql("DROP DATABASE IF EXISTS `" + name + "`; CREATE DATABASE `" + name
                + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "
                + "CREATE USER IF NOT EXISTS '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'; "
                + "GRANT ALL ON `" + name + "`.* TO '" + user + "'@'127.0.0.1'; FLUSH PRIVILEGES;");
        return new DatabaseConnection("127.0.0.1", port, name, user, password, tablePrefix);
    }

    /** Runs SQL as root over the server's socket. */
    public String sql(String statements) throws IOException {
        return Processes.run(
                List.of(
                        "mariadb",
                        "--no-defaults",
                        "--socket=" + dir.resolve("mysqld.sock"),
                        "-uroot",
                        "--batch",
                        "--skip-column-names",
                        "-e",
                        statements),
                dir);
    }

    @Override
    public void close() {
        Processes.stop(server);
    }
}
