package io.stageguard.process.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stageguard.site.SiteCaches;
import io.stageguard.support.WritePoints;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.ReleasingApplicationTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Review 954a1fc, M4: job threads hold the pool's connections for their whole step. With every
 * connection of the pool taken while a step works, the keeper still pushes that step's lock
 * forward: it has a connection of its own. (Through the pool, its update waited for a connection
 * and the 4-second lock lapsed, letting the job start a second time beside the first.)
 */
@OwnPagesQa
class JobLockKeeperTest extends ReleasingApplicationTest {
    @Autowired
    DataSource dataSource;

    @Autowired
    DataSourceProperties dataSourceProperties;

    @DynamicPropertySource
    static void shortLocks(DynamicPropertyRegistry registry) {
        // pushed every second (a quarter of it)
        registry.add("camunda.bpm.job-execution.lock-time-in-millis", () -> "4000");
    }

    @Test
    void aFullConnectionPoolDoesNotLetAWorkingStepsLockLapse() throws Exception {
        registerAcme(SiteCaches.NONE);
        CountDownLatch atPoint = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        List<Connection> held = new ArrayList<>();
        WritePoints.listen((point, where) -> {
            if (!point.equals(WritePoints.CLONE_DATABASE_HALF_COPIED)) return;
            atPoint.countDown();
            try {
                goOn.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(rest.withBasicAuth("ci", "ci")
                            .exchange("/api/sites/acme/staging-refresh", HttpMethod.POST, JSON_NO_BODY, String.class)
                            .getStatusCode()
                            .value())
                    .isEqualTo(201);
            assertThat(atPoint.await(2, TimeUnit.MINUTES))
                    .as("the clone reached the middle of the database copy")
                    .isTrue();

            // every connection of the pool taken, as busy job threads would take them
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            try {
                while (pool.getHikariPoolMXBean().getActiveConnections() < pool.getMaximumPoolSize())
                    held.add(pool.getConnection());
            } catch (SQLException poolEmptiedMeanwhile) {
                // another thread took the last one: full all the same
            }
            assertThat(pool.getHikariPoolMXBean().getIdleConnections()).isZero();

            Instant first = lockExpiry();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(8))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> lockExpiry().isAfter(first.plusSeconds(2)));
        } finally {
            for (Connection c : held) c.close();
            goOn.countDown();
            WritePoints.listen((point, where) -> {});
        }
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .until(() -> runtime.createProcessInstanceQuery().count() == 0);
        assertThat(history.createHistoricProcessInstanceQuery()
                        .processDefinitionKey("create-staging-clone")
                        .completed()
                        .count())
                .as("the refresh ran once, to its end")
                .isOne();
    }

    /** The working job's lock expiry, read past the pool. */
    private Instant lockExpiry() throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        dataSourceProperties.determineUrl(),
                        dataSourceProperties.determineUsername(),
                        dataSourceProperties.determinePassword());
                ResultSet rs = c.createStatement()
                        .executeQuery("select max(LOCK_EXP_TIME_) from ACT_RU_JOB where LOCK_OWNER_ is not null")) {
            rs.next();
            Timestamp expiry = rs.getTimestamp(1);
            return expiry == null ? Instant.EPOCH : expiry.toInstant();
        }
    }
}
