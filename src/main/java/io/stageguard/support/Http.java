package io.stageguard.support;

import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The one way Stageguard builds an HTTP client: every connection and every read has a timeout (a
 * step waiting on a server that never answers would hold its job for ever), nothing is retried
 * behind the caller's back (a purge or a webhook sent twice is not the same as once), and the user
 * agent says who asks.
 */
public final class Http {
    private Http() {}

    /**
     * @param connect         how long a connection may take to open
     * @param read            how long one read may wait for the server
     * @param followRedirects whether a redirect is followed (downloads) or handed back to the caller (page checks, which judge it)
     */
    public static CloseableHttpClient client(Duration connect, Duration read, boolean followRedirects) {
        Timeout readTimeout = Timeout.of(read);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connect))
                                .setSocketTimeout(readTimeout)
                                .build())
                        .setDefaultSocketConfig(
                                SocketConfig.custom().setSoTimeout(readTimeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(followRedirects)
                        .build())
                .disableAutomaticRetries()
                .setUserAgent("Stageguard")
                .build();
    }
}
