package io.stageguard.clone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rewritten values are checked by PHP itself: what WordPress will read back with unserialize(). */
class UrlRewriterTest {
    private static final String LIVE = "https://shop.example";
    private static final String STAGING = "http://127.0.0.1:8089";
    private final UrlRewriter rewriter = new UrlRewriter(LIVE, STAGING);

    @TempDir
    Path tmp;

    @Test
    void nestedSerializedValuesKeepValidByteLengths() throws IOException {
        String live = php(
                "echo serialize(['home' => 'https://shop.example/', 'ünïcødé' => ['logo' => 'https://shop.example/wp-content/uploads/é.png',"
                        + " 'inner' => serialize(['u' => 'http://shop.example/x'])], 'n' => 42, 'f' => 1.5, 'b' => true, 'nil' => null]);");
        String staged = rewriter.rewrite(live);
        assertThat(staged).doesNotContain("shop.example");
        String decoded = php(
                "$v = unserialize(file_get_contents('php://stdin')); if ($v === false) { exit(3); }"
                        + " echo $v['home'], '|', $v['ünïcødé']['logo'], '|', unserialize($v['ünïcødé']['inner'])['u'], '|', $v['n'], '|', $v['f'], '|', var_export($v['b'], true), '|', var_export($v['nil'], true);",
                staged);
        assertThat(decoded)
                .isEqualTo(
                        "http://127.0.0.1:8089/|http://127.0.0.1:8089/wp-content/uploads/é.png|http://127.0.0.1:8089/x|42|1.5|true|NULL");
    }

    @Test
    void objectsOfClassesThatAreNotLoadedSurvive() throws IOException {
        String live = "O:7:\"WidgetX\":2:{s:3:\"url\";s:25:\"https://shop.example/shop\";s:5:\"title\";s:4:\"Shop\";}";
        String staged = rewriter.rewrite(live);
        assertThat(staged)
                .isEqualTo(
                        "O:7:\"WidgetX\":2:{s:3:\"url\";s:26:\"http://127.0.0.1:8089/shop\";s:5:\"title\";s:4:\"Shop\";}");
        assertThat(php(
                        "$v = unserialize(file_get_contents('php://stdin')); echo $v === false ? 'broken' : 'ok';",
                        staged))
                .isEqualTo("ok");
    }

    @Test
    void jsonEscapedUrlEncodedAndProtocolRelativeFormsAreRewritten() {
        assertThat(rewriter.rewrite("{\"link\":\"https:\\/\\/shop.example\\/cart\"}"))
                .isEqualTo("{\"link\":\"http:\\/\\/127.0.0.1:8089\\/cart\"}");
        assertThat(rewriter.rewrite("next=https%3A%2F%2Fshop.example%2Fcart"))
                .isEqualTo("next=http%3A%2F%2F127.0.0.1%3A8089%2Fcart");
        assertThat(rewriter.rewrite("<img src=\"//shop.example/a.png\">"))
                .isEqualTo("<img src=\"//127.0.0.1:8089/a.png\">");
        assertThat(rewriter.rewrite("<a href=\"http://shop.example/\">"))
                .isEqualTo("<a href=\"http://127.0.0.1:8089/\">");
    }

    @Test
    void theWwwTwinIsRewrittenButOtherHostsThatMerelyStartAlikeAreNot() {
        assertThat(rewriter.rewrite("see https://www.shop.example/about and //www.shop.example/x.css"))
                .isEqualTo("see http://127.0.0.1:8089/about and //127.0.0.1:8089/x.css");
        String others = "https://shop.example.org/ https://shop.examples.com/ https://shop.example-cdn.net/a.png";
        assertThat(rewriter.rewrite(others)).isSameAs(others);
        assertThat(rewriter.rewrite("Visit https://shop.example. Or https://shop.example, or https://shop.example?"))
                .isEqualTo("Visit http://127.0.0.1:8089. Or http://127.0.0.1:8089, or http://127.0.0.1:8089?");
    }

    @Test
    void valuesWithoutTheLiveUrlAreReturnedUntouched() {
        String unrelated = "s:5:\"hello\";";
        assertThat(rewriter.rewrite(unrelated)).isSameAs(unrelated);
        String lookalike = "a:1:{i:0;s:3:\"abc\"} mentions shop.example but is not serialized";
        assertThat(rewriter.rewrite(lookalike)).isSameAs(lookalike);
    }

    private String php(String code) throws IOException {
        return php(code, "");
    }

    private String php(String code, String stdin) throws IOException {
        Path script = tmp.resolve("t.php");
        Files.writeString(script, "<?php " + code, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("php", script.toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor()).as("php said: %s", out).isZero();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out;
    }
}
