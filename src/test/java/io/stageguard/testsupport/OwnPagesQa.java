package io.stageguard.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * For a test class whose subject is not what browser QA finds (sign-off clocks, pushes, restores,
 * who may do what): QA looks at the release's own QA paths at one width instead of up to twelve
 * discovered pages at two, so a release spends seconds in Chromium instead of a minute. Every check
 * still runs on those pages. What QA finds across discovered pages and widths is proven by the
 * classes without this ({@code BrowserQaTest}, {@code ReleaseEndToEndTest}, {@code CoreUpdateReleaseTest},
 * {@code ExperimentReleaseTest}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@TestPropertySource(
        properties = {
            "stageguard.qa.discover-pages=false",
            "stageguard.qa.viewports[0].name=desktop",
            "stageguard.qa.viewports[0].width=1366"
        })
public @interface OwnPagesQa {}
