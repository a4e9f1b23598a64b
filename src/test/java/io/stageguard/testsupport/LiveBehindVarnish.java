package io.stageguard.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link DemoSiteApplicationTest}: live is served as in production ({@link ServingStack}:
 * Varnish, nginx, PHP-FPM with OPcache not revalidating), and staging by nginx and PHP-FPM the same
 * way, instead of by php -S.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LiveBehindVarnish {}
