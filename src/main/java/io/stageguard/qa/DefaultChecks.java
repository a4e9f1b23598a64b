package io.stageguard.qa;

import io.stageguard.site.UserFlow;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks every site gets without configuring any, walked on staging like its own flows: the
 * login form renders, the search form returns results (the search itself where the theme shows no
 * form), and the comment form takes a comment. Each
 * only where live offers it (as page discovery saw it there), so a site without comments or with a
 * renamed login is not held to them.
 */
public final class DefaultChecks {
    /** What the comment check writes: recognisable in staging's comments, and what it expects to see again. */
    static final String COMMENT = "Stageguard QA checks that comments can be posted.";

    private static final String SEARCH_FORM = "form[role=search]";

    private DefaultChecks() {}

    public static List<UserFlow> flows(PageDiscovery.Features features) {
        List<UserFlow> flows = new ArrayList<>();
        if (features == null) return flows;
        if (features.loginForm()) {
            flows.add(new UserFlow(
                    "the login form renders",
                    List.of(
                            step("visit", "/wp-login.php", null, null, null),
                            step("expectElement", null, "#loginform #user_login", null, null),
                            step("expectElement", null, "#loginform #user_pass", null, null))));
        }
        if (features.searchFinds() && features.searchForm() != null) {
            flows.add(new UserFlow(
                    "the search form returns results",
                    List.of(
                            step("visit", features.searchForm(), null, null, null),
                            step("fill", null, SEARCH_FORM + " input[name=s]", "a", null),
                            step("submit", null, SEARCH_FORM, null, null),
                            step("expectElement", null, "body.search-results", null, null))));
        } else if (features.searchFinds()) {
            // a theme that shows no search form: the search itself, as a form would send it
            flows.add(new UserFlow(
                    "the search returns results",
                    List.of(
                            step("visit", PageDiscovery.SEARCH_PROBE, null, null, null),
                            step("expectElement", null, "body.search-results", null, null))));
        }
        if (features.commentPost() != null) {
            List<UserFlow.Step> steps = new ArrayList<>(List.of(
                    step("visit", features.commentPost(), null, null, null),
                    step("fill", null, "#commentform #comment", COMMENT, null)));
            if (features.commentAsks().contains("author"))
                steps.add(step("fill", null, "#commentform #author", "Stageguard QA", null));
            if (features.commentAsks().contains("email"))
                steps.add(step("fill", null, "#commentform #email", "qa@stageguard.invalid", null));
            steps.add(step("submit", null, "#commentform", null, null));
            // held for moderation or published, WordPress shows the comment to whoever posted it
            steps.add(step("expectText", null, null, null, COMMENT));
            flows.add(new UserFlow("the comment form takes a comment", steps));
        }
        return flows;
    }

    private static UserFlow.Step step(String action, String path, String selector, String value, String text) {
        return new UserFlow.Step(action, path, selector, value, text, false);
    }
}
