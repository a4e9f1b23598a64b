package io.stageguard.access;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP basic authentication in front of every door for machines: Camunda's own filter on the
 * engine REST API (as Camunda Run does it), and a check against the same identity store on
 * Stageguard's API and reports. Reading needs a part in the site ({@link AccessPolicy}); changing
 * needs an operator or an integration. The user is handed on as the request attribute
 * {@link AccessPolicy#USER}. Someone logged in to Tasklist or Cockpit may also read (never
 * change) with that session: the sign-off forms show a QA report's thumbnails and link the
 * release page, and a second login prompt in the middle of a form would be absurd.
 */
@Configuration(proxyBeanMethods = false)
class HttpSecurityConfiguration {

    @Bean
    FilterRegistrationBean<Filter> engineRestAuthentication() {
        FilterRegistrationBean<Filter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("camunda-engine-rest-auth");
        registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<Filter> apiAuthentication(IdentityService identity, AccessPolicy policy) {
        FilterRegistrationBean<Filter> registration =
                new FilterRegistrationBean<>(new BasicAuthFilter(identity, policy));
        registration.setName("stageguard-api-auth");
        registration.addUrlPatterns("/api/*", "/reports/*", "/releases/*", "/sites/*", "/actuator/prometheus");
        return registration;
    }

    static final class BasicAuthFilter extends OncePerRequestFilter {
        private static final List<String> WRITERS = List.of(Groups.CAMUNDA_ADMIN, IdentitySetup.INTEGRATIONS);
        private static final Pattern PUTS_LIVE_BACK = Pattern.compile("/api/releases/[^/]+/(rollback|restore)");
        /** Finding a site's updates is a POST (it downloads packages) that its people may send: the controller asks the access policy. */
        private static final Pattern FINDS_UPDATES = Pattern.compile("/api/sites/[^/]+/updates");

        private final IdentityService identity;
        private final AccessPolicy policy;

        BasicAuthFilter(IdentityService identity, AccessPolicy policy) {
            this.identity = identity;
            this.policy = policy;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean writes =
                    !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
            String user = authenticatedUser(request.getHeader("Authorization"));
            // a browser sends the session cookie cross-site too; only reads may ride on it
            if (user == null && !writes) user = webappUser(request);
            if (user == null) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"Stageguard\"");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "log in with a Stageguard (Camunda) user");
                return;
            }
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            // putting live back and finding updates are also for the site's people: the controller asks the access
            // policy
            boolean forSitesPeople = PUTS_LIVE_BACK.matcher(path).matches()
                    || FINDS_UPDATES.matcher(path).matches();
            if (path.startsWith("/actuator/") && !isWriter(user)) {
                // the metrics name every site: for operators and the monitoring system (an integration)
                response.sendError(HttpServletResponse.SC_FORBIDDEN, "metrics are for operators and integrations");
                return;
            }
            if (writes && !forSitesPeople && !isWriter(user)) {
                response.sendError(
                        HttpServletResponse.SC_FORBIDDEN,
                        "only operators and integrations may change releases and sites");
                return;
            }
            String contentType = request.getContentType() == null
                    ? ""
                    : request.getContentType().toLowerCase(Locale.ROOT);
            boolean sendsPackage = path.equals("/api/packages") && contentType.startsWith("application/zip");
            if (writes && !sendsPackage && !contentType.startsWith("application/json")) {
                // a browser logged in with basic auth sends a cross-site form POST with the credentials; it can never
                // send these content types cross-site without a CORS preflight, which Stageguard does not grant
                response.sendError(
                        415,
                        "send Content-Type: application/json with every request that changes something (also without a body), "
                                + "application/zip with a package to POST /api/packages");
                return;
            }
            if (path.startsWith("/reports/")) {
                // /reports/{releaseId}/...: a report is the release's, so it is read by those with a part in its site
                String releaseId = path.substring("/reports/".length()).replaceFirst("/.*$", "");
                if (!policy.mayReadRelease(user, releaseId)) {
                    response.sendError(
                            HttpServletResponse.SC_FORBIDDEN, "you have no part in the site of release " + releaseId);
                    return;
                }
                // reports hold pages copied from staging (a failed flow's HTML): never let them run script in
                // Stageguard's origin
                response.setHeader("Content-Security-Policy", "sandbox");
            }
            request.setAttribute(AccessPolicy.USER, user);
            chain.doFilter(request, response);
        }

        private boolean isWriter(String user) {
            return WRITERS.stream()
                    .anyMatch(g -> identity.createUserQuery()
                                    .userId(user)
                                    .memberOfGroup(g)
                                    .count()
                            > 0);
        }

        /** The user logged in to Camunda's web apps (Tasklist, Cockpit) in this session, if any. */
        private static String webappUser(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            if (session == null) return null;
            Authentications logins = AuthenticationUtil.getAuthsFromSession(session);
            Authentication login = logins == null ? null : logins.getAuthenticationForProcessEngine("default");
            return login == null || login == Authentication.ANONYMOUS ? null : login.getName();
        }

        private String authenticatedUser(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) return null;
            String user = decoded.substring(0, colon);
            return identity.checkPassword(user, decoded.substring(colon + 1)) ? user : null;
        }
    }
}
