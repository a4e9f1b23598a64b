package io.stageguard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;

/**
 * A start that loses the race for a site's slot answers 409 wherever in its transaction it lost:
 * the failures H2 really gives when another transaction holds the row (a lock wait that times out),
 * as they reach Stageguard from its own statements and wrapped by the engine, count as a lost race;
 * other faults do not.
 */
class SiteSlotTest {

    @Test
    void aLockTimeoutInOwnOrTheEnginesStatementsIsALostRace() throws Exception {
        SQLException timeout = lockTimeout();
        assertThat(timeout.getErrorCode()).as("H2's lock timeout").isEqualTo(50200);
        assertThat(SiteSlot.lostRace(timeout)).isTrue();
        assertThat(SiteSlot.lostRace(new ProcessEngineException(
                        "ENGINE-03004 Exception while executing Database Operation",
                        new org.apache.ibatis.exceptions.PersistenceException(timeout))))
                .as("wrapped by the engine")
                .isTrue();
        assertThat(SiteSlot.lostRace(new org.springframework.dao.CannotAcquireLockException("slot", timeout)))
                .isTrue();

        assertThat(SiteSlot.lostRace(new IllegalStateException("the process model is missing")))
                .isFalse();
        assertThat(SiteSlot.lostRace(
                        new ProcessEngineException("no process definition deployed with key 'staging-release'")))
                .isFalse();
        assertThat(SiteSlot.busy("acme", null).status().value()).isEqualTo(409);
    }

    /** Two transactions insert the same key into H2; the second waits for the first, which never commits, and times out. */
    private static SQLException lockTimeout() throws SQLException {
        String url = "jdbc:h2:mem:slot-race;LOCK_TIMEOUT=200;DB_CLOSE_DELAY=-1";
        try (Connection first = DriverManager.getConnection(url);
                Connection second = DriverManager.getConnection(url)) {
            try (Statement st = first.createStatement()) {
                st.execute("CREATE TABLE slot (site_id varchar(64) PRIMARY KEY)");
            }
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            try (Statement st = first.createStatement()) {
                st.execute("INSERT INTO slot VALUES ('acme')");
            }
            Throwable failure = catchThrowable(() -> {
                try (Statement st = second.createStatement()) {
                    st.execute("INSERT INTO slot VALUES ('acme')");
                }
            });
            first.rollback();
            return (SQLException) failure;
        }
    }
}
