package io.stageguard.testsupport;

import io.stageguard.demo.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Live as production serves it: Debian's nginx in front of php8.2-fpm with OPcache on and
 * {@code opcache.validate_timestamps=0} (compiled code is served until someone invalidates it, the
 * setting that makes a stale check visible), optionally behind a Varnish that caches pages for an
 * hour and accepts PURGE (one URL) and BAN (everything of a host) from 127.0.0.1. All on
 * 127.0.0.1, configured in a folder beside the document root, stopped on close.
 */
public final class ServingStack implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final int port;
    private final int backendPort;

    private ServingStack(int port, int backendPort) {
        this.port = port;
        this.backendPort = backendPort;
    }

    /** nginx + PHP-FPM on {@code port}. */
    public static ServingStack nginxPhpFpm(Path documentRoot, int port) throws IOException {
        ServingStack stack = new ServingStack(port, port);
        stack.startNginxAndFpm(documentRoot, port);
        return stack;
    }

    /** Varnish on {@code port}, in front of nginx + PHP-FPM on a port of their own. */
    public static ServingStack behindVarnish(Path documentRoot, int port) throws IOException {
        ServingStack stack = new ServingStack(port, Processes.freePort());
        stack.startNginxAndFpm(documentRoot, stack.backendPort);
        stack.startVarnish(runDir(documentRoot), port, stack.backendPort);
        return stack;
    }

    /** Where visitors connect: Varnish when there is one. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** nginx itself, past any cache. */
    public String backendUrl() {
        return "http://127.0.0.1:" + backendPort;
    }

    private static Path runDir(Path documentRoot) throws IOException {
        return Files.createDirectories(documentRoot.resolveSibling(documentRoot.getFileName() + "-serving"));
    }

    private void startNginxAndFpm(Path documentRoot, int nginxPort) throws IOException {
        Path run = runDir(documentRoot);
        boolean root = "root".equals(System.getProperty("user.name"));
        Path socket = run.resolve("php-fpm.sock");
        Files.writeString(
                run.resolve("php-fpm.conf"),
                """
                [global]
                error_log = %1$s/php-fpm.log
                daemonize = no
                [live]
                %2$s
                listen = %3$s
                pm = static
                pm.max_children = 6
                catch_workers_output = yes
                php_admin_value[error_log] = %1$s/php-errors.log
                php_admin_flag[log_errors] = on
                """.formatted(run, root ? "user = root\ngroup = root" : "", socket),
                StandardCharsets.UTF_8);
        List<String> fpm = new ArrayList<>(List.of(
                "/usr/sbin/php-fpm8.2",
                "--nodaemonize",
                "--fpm-config",
                run.resolve("php-fpm.conf").toString(),
                "-d",
                "opcache.enable=1",
                "-d",
                "opcache.validate_timestamps=0",
                "-d",
                "opcache.file_update_protection=0"));
        if (root) fpm.add("--allow-to-run-as-root");
        start(fpm, run.resolve("php-fpm.out"));
        awaitSocket(socket);
        Files.writeString(
                run.resolve("nginx.conf"),
                """
                daemon off;
                %1$s
                worker_processes 2;
                pid %2$s/nginx.pid;
                error_log %2$s/nginx-error.log;
                events { worker_connections 512; }
                http {
                  include /etc/nginx/mime.types;
                  access_log off;
                  client_body_temp_path %2$s/body;
                  fastcgi_temp_path %2$s/fastcgi;
                  proxy_temp_path %2$s/proxy;
                  uwsgi_temp_path %2$s/uwsgi;
                  scgi_temp_path %2$s/scgi;
                  server {
                    listen 127.0.0.1:%3$d;
                    root %4$s;
                    index index.php;
                    location / { try_files $uri $uri/ /index.php?$args; }
                    location ~ \\.php$ {
                      try_files $uri =404;
                      include /etc/nginx/fastcgi_params;
                      # Debian's fastcgi_params passes $host, without the port; live here is on a port of its own
                      fastcgi_param HTTP_HOST $http_host;
                      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                      fastcgi_pass unix:%5$s;
                    }
                  }
                }
                """.formatted(root ? "user root;" : "", run, nginxPort, documentRoot, socket),
                StandardCharsets.UTF_8);
        Process nginx = start(
                List.of("/usr/sbin/nginx", "-c", run.resolve("nginx.conf").toString(), "-p", run.toString()),
                run.resolve("nginx.out"));
        Processes.awaitPort(nginx, nginxPort, Duration.ofSeconds(20), "nginx");
    }

    private void startVarnish(Path run, int varnishPort, int backend) throws IOException {
        Files.writeString(run.resolve("default.vcl"), """
                vcl 4.1;
                backend default { .host = "127.0.0.1"; .port = "%d"; }
                acl purgers { "127.0.0.1"; }
                sub vcl_recv {
                  if (req.method == "PURGE") {
                    if (client.ip !~ purgers) { return (synth(405, "Not allowed")); }
                    return (purge);
                  }
                  if (req.method == "BAN") {
                    if (client.ip !~ purgers) { return (synth(405, "Not allowed")); }
                    ban("obj.http.x-host == " + req.http.host);
                    return (synth(200, "Banned"));
                  }
                }
                sub vcl_backend_response {
                  set beresp.http.x-host = bereq.http.host;
                  if (beresp.status == 200 && !beresp.http.Set-Cookie) { set beresp.ttl = 1h; }
                }
                sub vcl_deliver {
                  unset resp.http.x-host;
                  if (obj.hits > 0) { set resp.http.X-Cache = "HIT"; } else { set resp.http.X-Cache = "MISS"; }
                }
                """.formatted(backend), StandardCharsets.UTF_8);
        Process varnish = start(
                List.of(
                        "/usr/sbin/varnishd",
                        "-F",
                        "-j",
                        "none",
                        "-a",
                        "127.0.0.1:" + varnishPort,
                        "-T",
                        "none",
                        "-f",
                        run.resolve("default.vcl").toString(),
                        "-n",
                        run.resolve("varnish").toString(),
                        "-s",
                        "malloc,64m"),
                run.resolve("varnish.out"));
        Processes.awaitPort(varnish, varnishPort, Duration.ofSeconds(30), "varnishd");
    }

    private Process start(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(p);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Processes.stop(p)));
        return p;
    }

    private static void awaitSocket(Path socket) {
        Awaitility.await("php-fpm creates " + socket)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(socket));
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) Processes.stop(processes.get(i));
    }
}
