package io.stageguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.DemoSite;
import io.stageguard.site.DatabaseConnection;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What live's visitors write while a release is out, the way they write it: a comment through
 * WordPress's comment form, a sign-up (a user and their capabilities), a greeting in
 * hello-stageguard's own guestbook table (through 1.4.0's endpoint). Also reads live's database.
 */
public final class LiveVisitors {
    private final DemoSite demo;
    private final HttpClient http = HttpClient.newHttpClient();

    public LiveVisitors(DemoSite demo) {
        this.demo = demo;
    }

    /** The guestbook table as hello-stageguard 1.0.0 left it, with one greeting; 1.4.0 migrates it on its first load. */
    public void guestbookOfVersion1() throws SQLException {
        sql(
                "DROP TABLE IF EXISTS wp_hello_stageguard_greetings",
                "DELETE FROM wp_options WHERE option_name = 'hello_stageguard_db'",
                "CREATE TABLE wp_hello_stageguard_greetings (id int NOT NULL AUTO_INCREMENT, message varchar(100) NOT NULL, PRIMARY KEY (id))",
                "INSERT INTO wp_hello_stageguard_greetings (message) VALUES ('first!')");
    }

    public void comment(String text) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(demo.site().live().url("/wp-comments-post.php")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "comment_post_ID=1&author=Vera&email=vera%40example.org&comment=" + encoded(text)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
                .as("WordPress took the comment: %s", answer.body())
                .isEqualTo(302);
    }

    public void signUp(String login) throws SQLException {
        sql(
                "INSERT INTO wp_users (user_login, user_pass, user_nicename, user_email, user_registered, display_name)"
                        + " VALUES ('" + login + "', '$P$Bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '" + login + "', '" + login
                        + "@example.org', NOW(), '" + login + "')",
                "INSERT INTO wp_usermeta (user_id, meta_key, meta_value) SELECT ID, 'wp_capabilities', 'a:1:{s:10:\"subscriber\";b:1;}'"
                        + " FROM wp_users WHERE user_login = '" + login + "'");
    }

    public void greet(String message) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(demo.site().live().url("/?hello_greeting=" + encoded(message))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("thanks");
    }

    /** An editor changes the site's tagline and the title of the first post in WordPress's admin: updates of rows live had before the release. */
    public void editTaglineAndFirstPostTitle(String tagline, String title) throws SQLException {
        sql(
                "UPDATE wp_options SET option_value = '" + tagline + "' WHERE option_name = 'blogdescription'",
                "UPDATE wp_posts SET post_title = '" + title + "' WHERE ID = 1");
    }

    public void sql(String... statements) throws SQLException {
        try (Connection c = live().open();
                Statement st = c.createStatement()) {
            for (String statement : statements) st.execute(statement);
        }
    }

    /** The first row's value in {@code column} (1-based), or null when there is no row. */
    public String query(String query, int column) throws SQLException {
        try (Connection c = live().open();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(column) : null;
        }
    }

    public String query(String query) throws SQLException {
        return query(query, 1);
    }

    private DatabaseConnection live() {
        return demo.site().live().database();
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
